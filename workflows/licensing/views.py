"""Task pages of the licensing flow: parse the form, call one service, complete the task. The committee
and objection pages are the shared steps'; opening the committee and issuing check conflicts again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.views import generic

from tolerance.views.service_form import ServiceFormMixin
from workflows.licensing import approval, forms, services
from workflows.licensing.conflict_service import conflict_message, conflict_record, licence_conflicts_find
from workflows.licensing.models import LicensingOutcome
from workflows.licensing.policy import LicensingPolicy, licensing_version_current
from workflows.steps import committee, issuing
from workflows.steps import forms as step_forms
from workflows.steps import views as step_views
from workflows.task_views import CaseFilingMixin, CaseTaskFormView


class FilingView(CaseFilingMixin, ServiceFormMixin, generic.FormView):
    form_class = forms.FilingForm
    template_name = "workflows/start.html"

    def institution(self):
        return self.request.user.profile.institution

    def get_form_kwargs(self):
        try:
            codes = LicensingPolicy.from_data(licensing_version_current(self.institution()).data).milestone_codes
        except ValidationError:  # no policy in force: the service refuses the filing with its message
            codes = ()
        return {**super().get_form_kwargs(), "institution": self.institution(), "milestone_codes": codes}

    def perform(self, form):
        data = form.cleaned_data
        self.case = services.licensing_file(
            process=self.request.activation.process,
            institution=self.institution(),
            filed_by=self.request.user,
            request=services.LicenceRequest(
                title=data["title"],
                company=data["company"],
                results=list(data["results"]),
                inventors=list(data["inventors"]),
                **form.terms(),
            ),
        )


class ReviewView(CaseTaskFormView):
    form_class = forms.ReviewForm

    def get_context_data(self, **kwargs):
        records = [conflict_record(c) for c in licence_conflicts_find(self.case)]
        found = [(r["level"], conflict_message(r, self.request.user)) for r in records]
        return {**super().get_context_data(**kwargs), "conflicts_found": found, "conflicts_checked": True}

    def perform(self, form):
        data = form.cleaned_data
        services.licensing_review_record(
            case=self.case,
            reviewed_by=self.request.user,
            result=data["result"],
            ownership_clear=data["ownership_clear"],
            inventors_consent=data["inventors_consent"],
            reason=data["reason"],
            proceed_reason=data["proceed_reason"],
            consent_file=data["consent_file"],
            related_party=data["related_party"],
            related_party_disclosure=data["related_party_disclosure"],
        )


class OpenReviewView(step_views.OpenReviewView):
    """The committee cannot be reached while a blocking conflict stands."""

    def perform(self, form):
        with transaction.atomic():
            services.conflicts_recheck(self.case, stage_label=_("opening the committee review"))
            committee.review_open(case=self.case, opened_by=self.request.user, agenda=form.cleaned_data["agenda"])


class ResolutionView(step_views.ResolutionView):
    """A granted resolution is the approval: conflicts are checked again with the results locked, in the
    transaction that moves the case on (to publicity, where it blocks others), so two conflicting
    approvals at once cannot both pass."""

    def perform(self, form):
        with transaction.atomic():
            if not form.new_ballot and LicensingOutcome.GRANTED in forms_outcomes(form):
                services.conflicts_recheck(self.case, stage_label=_("recording the committee's approval"))
            super().perform(form)


def forms_outcomes(form) -> list:
    return list(step_forms.determination_outcomes(form).values())


class HigherApprovalView(CaseTaskFormView):
    form_class = forms.HigherApprovalForm

    def get_context_data(self, **kwargs):
        details = self.case.licensing
        return {**super().get_context_data(**kwargs), "approval_body": details.approval_body}

    def perform(self, form):
        data = form.cleaned_data
        approval.higher_approval_record(
            case=self.case,
            recorded_by=self.request.user,
            granted=data["granted"] == "yes",
            met_on=data["met_on"],
            minutes_number=data["minutes_number"],
            minutes_file=data["minutes_file"],
        )


class DecisionView(step_views.DecisionView):
    """Conflicts are checked again, with the results locked, in the transaction that issues the licence."""

    def get_initial(self):
        details = self.case.licensing
        return {
            "facts": _("%(company)s applied for a %(type)s of %(results)s for %(use)s.")
            % {
                "company": self.case.company.name,
                "type": details.get_licence_type_display(),
                "results": "、".join(r.title for r in details.results.order_by("number")),
                "use": details.intended_use,
            },
            "reasoning": committee.review_current(self.case).resolution_text,
        }

    def perform(self, form):
        with transaction.atomic():
            services.conflicts_recheck(self.case, stage_label=_("issuing the licence decision"))
            issuing.case_decision_issue(
                case=self.case,
                issued_by=self.request.user,
                facts=form.cleaned_data["facts"],
                reasoning=form.cleaned_data["reasoning"],
            )


class ContractView(CaseTaskFormView):
    form_class = forms.ContractForm

    def perform(self, form):
        services.contract_record(case=self.case, recorded_by=self.request.user, **form.cleaned_data)
