"""Task views of the exemption flow: parse the form, call one service, complete the task.

The committee, objection and decision pages are the shared steps' (workflows.steps.views)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from tolerance.services.cases import SubjectSpec, case_relate
from tolerance.views.held_uploads import HeldUploadsMixin
from tolerance.views.service_form import ServiceFormMixin
from workflows.exemption import confirmations, forms, investigation, prefill, results, services, supplement
from workflows.exemption.determinations import case_subjects, investigation_rows, subject_name, version_rules
from workflows.exemption.models import CASE_OUTCOME_CHOICES
from workflows.exemption.policy import policy_version_current
from workflows.steps import views as step_views
from workflows.task_views import CaseFilingMixin, CaseTaskFormView


def conversion_of(form) -> services.ConversionData:
    """The conversion facts of a filled filing form (an officer's filing, or an adopted self-application)."""
    data = form.cleaned_data
    return services.ConversionData(
        title=data["title"],
        result_title=data["result_title"],
        route=data["route"],
        counterparty=data["counterparty"],
        contract_number=data["contract_number"],
        contract_amount=data["contract_amount"],
        contract_signed_on=data["contract_signed_on"],
        failed_on=data["failed_on"],
        failure_description=data["failure_description"],
        loss_amount=data["loss_amount"],
        cited_entries=list(data["cited_entries"]),
        pricing_method=data["pricing_method"],
        objections_received=data["objections_received"] == "yes",
        objection_handling=data["objection_handling"],
        publicity_venues=form.venues_given(),
        decision=services.DecisionFacts(
            decided_by_body=data["decided_by_body"],
            decided_on=data["decided_on"],
            emergency=data["emergency"] == "yes",
            emergency_reason=data["emergency_reason"],
            reported_on=data["reported_on"],
            procedure_completed_on=data["procedure_completed_on"],
        ),
        trigger_source=data["trigger_source"],
        accountability_ref=data["accountability_ref"],
        loss_kind=data["loss_kind"],
        ledger_ref=data["ledger_ref"],
    )


class FilingView(CaseFilingMixin, HeldUploadsMixin, ServiceFormMixin, generic.FormView):
    form_class = forms.FilingForm
    template_name = "workflows/start.html"

    def institution(self):
        return self.request.user.profile.institution

    def source(self):
        """F14: the rectification or licence case this filing is opened from (`?from=<pk>`), or None."""
        pk = self.request.GET.get("from")
        return prefill.prefill_source(self.request.user, pk) if pk else None

    def get_form_kwargs(self):
        institution = self.institution()
        kwargs = {
            **super().get_form_kwargs(),
            "institution": institution,
            "policy_version": policy_version_current(institution),
        }
        if self.request.method == "GET":
            try:
                source = self.source()
            except ValidationError as error:
                messages.error(self.request, error.messages[0])
                source = None
            if source is not None:
                initial, kwargs["subjects_initial"] = prefill.prefill_from(source, kwargs["policy_version"])
                kwargs["initial"] = {**kwargs.get("initial", {}), **initial}
        return kwargs

    def perform(self, form):
        source = self.source()  # checked again before anything is written
        with transaction.atomic():
            self._file(form)
            if source is not None:
                case_relate(case=self.case, number=source.number, related_by=self.request.user)

    def _file(self, form):
        conversion = conversion_of(form)
        self.case = services.exemption_file(
            process=self.request.activation.process,
            institution=self.institution(),
            filed_by=self.request.user,
            conversion=conversion,
            subjects=[SubjectSpec(**row) for row in form.subjects_given()],
            evidence=form.evidence(),
        )


class CompletenessCheckView(CaseTaskFormView):
    form_class = forms.CompletenessForm

    def perform(self, form):
        services.intake_review_record(
            case=self.case,
            reviewed_by=self.request.user,
            result=form.cleaned_data["result"],
            reason=form.cleaned_data["reason"],
        )


class SupplementView(HeldUploadsMixin, CaseTaskFormView):
    form_class = forms.SupplementForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "intake": services.intake_latest(self.case)}

    def perform(self, form):
        services.supplement_submit(
            case=self.case, submitted_by=self.request.user, note=form.cleaned_data["note"], files=form.files_uploaded()
        )


class ExpiredSupplementView(CaseTaskFormView):
    form_class = forms.ExpiredSupplementForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "intake": services.intake_latest(self.case)}

    def perform(self, form):
        supplement.supplement_expiry_decide(
            case=self.case,
            decided_by=self.request.user,
            extend=form.cleaned_data["result"] == "extend",
            working_days=form.cleaned_data["working_days"],
            reason=form.cleaned_data["reason"],
        )


class InvestigationView(CaseTaskFormView):
    form_class = forms.InvestigationForm

    def get_form_kwargs(self):
        subjects = case_subjects(self.case)
        # A submitted form starts from what was posted: the earlier findings only fill the page.
        findings = self.case.findings.prefetch_related("evidence") if self.request.method == "GET" else []
        self.rows = investigation_rows(self.case, investigation.investigation_items(self.case), subjects)
        return {
            **super().get_form_kwargs(),
            "rows": self.rows,
            "attachments": self.case.attachments.all(),
            "initial_findings": {(f.item_id, f.subject_id): f for f in findings},
            "subject_names": {s.pk: subject_name(s) for s in subjects},
        }

    def perform(self, form):
        investigation.findings_record(
            case=self.case, recorded_by=self.request.user, findings=form.findings(), rows=self.rows
        )


class EvaluationView(CaseTaskFormView):
    form_class = forms.EvaluationForm

    def get_form_kwargs(self):
        self.proposal = investigation.evaluation_propose(self.case)
        self.proposals = investigation.determinations_propose(self.case)
        return {
            **super().get_form_kwargs(),
            "proposals": self.proposals,
            "subject_names": {s.pk: subject_name(s) for s in case_subjects(self.case)},
            "scope_options": version_rules(self.case).get("liability_scope_options", []),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "proposal": self.proposal,
            "proposal_label": dict(CASE_OUTCOME_CHOICES)[self.proposal.proposal],
            "proposals_by_subject": [
                {"name": subject_name(p.subject), "post": p.subject.post, "evaluation": p.evaluation}
                for p in self.proposals
                if p.subject is not None
            ],
        }

    def perform(self, form):
        investigation.evaluation_confirm(case=self.case, confirmed_by=self.request.user, rows=form.confirmations())


class DecisionView(step_views.DecisionView):
    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "confirmations_missing": [
                {
                    "name": subject_name(link),
                    "url": reverse("exemption_register:external_confirmation", args=[self.case.pk, link.pk]),
                }
                for link in confirmations.confirmations_missing(self.case)
            ],
        }

    def get_initial(self):
        details = self.case.exemption
        evaluation = self.case.evaluations.order_by("-id").first()
        facts = _(
            "%(result)s was converted by %(route)s to %(counterparty)s under contract %(contract)s of %(signed)s "
            "for %(amount)s yuan. On %(failed)s the conversion was found to have failed: %(what)s The loss is %(loss)s yuan."
        ) % {
            "result": details.result_title,
            "route": details.get_route_display(),
            "counterparty": details.counterparty,
            "contract": details.contract_number,
            "signed": details.contract_signed_on,
            "amount": details.contract_amount,
            "failed": details.failed_on,
            "what": details.failure_description,
            "loss": details.loss_amount,
        }
        reasoning = evaluation.explanation.get("summary", "") if evaluation else ""
        if evaluation and evaluation.override_reason:
            reasoning += "\n\n" + evaluation.override_reason
        return {"facts": facts, "reasoning": reasoning}

    def perform(self, form):
        results.exemption_decision_issue(
            case=self.case,
            issued_by=self.request.user,
            facts=form.cleaned_data["facts"],
            reasoning=form.cleaned_data["reasoning"],
        )
