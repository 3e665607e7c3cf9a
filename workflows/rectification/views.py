"""Task views of the rectification flow: parse the form, call one service, complete the task.

The committee and decision pages are the shared steps' (workflows.steps.views)."""

from django.views import generic

from tolerance.views.held_uploads import HeldUploadsMixin
from tolerance.views.service_form import ServiceFormMixin
from workflows.rectification import documents, forms, items, results, services, statement
from workflows.rectification.models import Origin
from workflows.steps import views as step_views
from workflows.steps.committee import review_current
from workflows.task_views import CaseFilingMixin, CaseTaskFormView


def declaration_from(data, *, lead_source, declared_on) -> services.Declaration:
    return services.Declaration(
        title=data["title"],
        activity_kind=data["activity_kind"],
        company_name=data["company_name"],
        company_uscc=data["company_uscc"].strip(),
        role=data["role"],
        equity_percent=data["equity_percent"],
        started_on=data["started_on"],
        ended_on=data["ended_on"],
        account=data["account"],
        lead_source=lead_source,
        declared_on=declared_on,
    )


class FilingView(CaseFilingMixin, HeldUploadsMixin, ServiceFormMixin, generic.FormView):
    form_class = forms.FilingForm
    template_name = "workflows/start.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "institution": self.request.user.profile.institution}

    def perform(self, form):
        data = form.cleaned_data
        self.case = services.rectification_file(
            process=self.request.activation.process,
            institution=self.request.user.profile.institution,
            filed_by=self.request.user,
            subject=data["subject"],
            declaration=declaration_from(data, lead_source=data["lead_source"], declared_on=data["declared_on"]),
            origin=Origin.OFFICER_FILED,
            files=form.files_uploaded(),
        )


class AcceptanceView(CaseTaskFormView):
    form_class = forms.AcceptanceForm

    def perform(self, form):
        services.acceptance_record(
            case=self.case,
            reviewed_by=self.request.user,
            result=form.cleaned_data["result"],
            reason=form.cleaned_data["reason"],
        )


class VerificationView(CaseTaskFormView):
    form_class = forms.VerificationForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "requests": self.case.department_requests.all()}

    def perform(self, form):
        data = form.cleaned_data
        services.verification_record(
            case=self.case,
            recorded_by=self.request.user,
            facts_verified=data["facts_verified"],
            discrepancies=data["discrepancies"],
            false_declaration=data["false_declaration"] == "yes",
        )


class ClassificationView(CaseTaskFormView):
    form_class = forms.ClassificationForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "catalogue": self.case.rectification.catalogue,
            "items": self.case.rectification_items.select_related("gap").prefetch_related("verifiers"),
        }

    def get_context_data(self, **kwargs):
        catalogue = self.case.rectification.catalogue
        return {**super().get_context_data(**kwargs), "catalogue_items": catalogue.items.order_by("kind", "order")}

    def perform(self, form):
        services.gaps_classify(
            case=self.case,
            recorded_by=self.request.user,
            rows=form.rows(),
            negative_codes=form.cleaned_data["negative_codes"],
        )


class GapConfirmationView(CaseTaskFormView):
    form_class = forms.ConfirmGapsForm

    def perform(self, form):
        services.gaps_confirm(
            case=self.case,
            confirmed_by=self.request.user,
            confirmed=form.cleaned_data["confirmed"] == "yes",
            reason=form.cleaned_data["reason"],
        )


class StatementAnswerView(CaseTaskFormView):
    form_class = forms.StatementAnswerForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "statement": statement.statement_current(self.case)}

    def perform(self, form):
        statement.statement_answer(
            case=self.case,
            answered_by=self.request.user,
            answer=form.cleaned_data["answer"],
            reopens=form.cleaned_data["reopens"] == "yes",
        )


class NoticeView(CaseTaskFormView):
    form_class = forms.NoticeForm

    def perform(self, form):
        items.notice_issue(case=self.case, issued_by=self.request.user)


class DecisionView(step_views.DecisionView):
    def perform(self, form):
        results.rectification_decision_issue(
            case=self.case,
            issued_by=self.request.user,
            facts=form.cleaned_data["facts"],
            reasoning=form.cleaned_data["reasoning"],
        )

    def get_initial(self):
        review = review_current(self.case)
        outcome = review.outcome if review else ""
        return {
            "facts": documents.facts_text(self.case),
            "reasoning": documents.proposed_reasoning(self.case, outcome),
        }
