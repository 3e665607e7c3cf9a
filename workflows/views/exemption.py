"""Task views of the exemption flow: parse the form, call one service, complete the task."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin

from tolerance.services.cases import SubjectSpec
from tolerance.views.service_form import ServiceFormMixin
from workflows import forms
from workflows.models import ExemptionOutcome, PolicyItemKind
from workflows.services import committee, decision, exemption, publicity
from workflows.services.policy import policy_version_current


class CaseTaskMixin(ServiceFormMixin, TaskSuccessUrlMixin):
    """A task page: the case summary beside the form; a service ValidationError becomes a form error."""

    template_name = "workflows/task.html"
    success_text = ""

    @property
    def case(self):
        return self.request.activation.process.case

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["details"] = getattr(self.case, "exemption", None)
        return context

    def performed(self, form):
        self.request.activation.execute()
        messages.success(self.request, self.success_text or _("Done."))
        return HttpResponseRedirect(self.get_success_url())


class CaseTaskFormView(CaseTaskMixin, generic.FormView):
    pass


class FilingView(ServiceFormMixin, TaskSuccessUrlMixin, generic.FormView):
    form_class = forms.FilingForm
    template_name = "workflows/start.html"

    def institution(self):
        return self.request.user.profile.institution

    def get_form_kwargs(self):
        institution = self.institution()
        return {
            **super().get_form_kwargs(),
            "institution": institution,
            "policy_version": policy_version_current(institution),
        }

    def perform(self, form):
        data = form.cleaned_data
        conversion = exemption.ConversionData(
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
        )
        self.case = exemption.exemption_file(
            process=self.request.activation.process,
            institution=self.institution(),
            filed_by=self.request.user,
            conversion=conversion,
            subjects=[SubjectSpec(user=user, role_in_case=role) for user, role in form.subjects()],
            evidence=form.evidence(),
        )

    def performed(self, form):
        self.request.activation.execute()
        messages.success(self.request, _("Case %(number)s filed.") % {"number": self.case.number})
        return HttpResponseRedirect(self.get_success_url())


class CompletenessCheckView(CaseTaskFormView):
    form_class = forms.CompletenessForm

    def perform(self, form):
        exemption.intake_review_record(
            case=self.case,
            reviewed_by=self.request.user,
            result=form.cleaned_data["result"],
            reason=form.cleaned_data["reason"],
        )


class SupplementView(CaseTaskFormView):
    form_class = forms.SupplementForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "intake": exemption.intake_latest(self.case)}

    def perform(self, form):
        exemption.supplement_submit(
            case=self.case, submitted_by=self.request.user, note=form.cleaned_data["note"], files=form.files_uploaded()
        )


class InvestigationView(CaseTaskFormView):
    form_class = forms.InvestigationForm

    def get_form_kwargs(self):
        version = self.case.exemption.policy_version
        return {
            **super().get_form_kwargs(),
            "items": version.items.exclude(kind=PolicyItemKind.ENTRY).order_by("kind", "order"),
            "attachments": self.case.attachments.all(),
            "initial_findings": {f.item_id: f for f in self.case.findings.prefetch_related("evidence")},
        }

    def perform(self, form):
        exemption.findings_record(case=self.case, recorded_by=self.request.user, findings=form.findings())


class EvaluationView(CaseTaskFormView):
    form_class = forms.EvaluationForm

    def get_form_kwargs(self):
        self.proposal = exemption.evaluation_propose(self.case)
        return {**super().get_form_kwargs(), "proposal": self.proposal.proposal}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "proposal": self.proposal,
            "proposal_label": ExemptionOutcome(self.proposal.proposal).label,
        }

    def perform(self, form):
        exemption.evaluation_confirm(
            case=self.case,
            confirmed_by=self.request.user,
            outcome=form.cleaned_data["outcome"],
            override_reason=form.cleaned_data["override_reason"],
        )


class OpenReviewView(CaseTaskFormView):
    form_class = forms.OpenReviewForm

    def perform(self, form):
        committee.review_open(
            case=self.case,
            opened_by=self.request.user,
            agenda=form.cleaned_data["agenda"],
            is_appeal=hasattr(self.case, "appeal"),
        )


class ResolutionView(CaseTaskFormView):
    form_class = forms.ResolutionForm

    def get_context_data(self, **kwargs):
        # The chair sees the count per outcome, not who voted what: votes stay hidden until resolved.
        tally = committee.review_tally(committee.review_current(self.case))
        counts = [(outcome.label, tally.counts.get(outcome.value, 0)) for outcome in ExemptionOutcome]
        return {**super().get_context_data(**kwargs), "tally": tally, "counts": counts}

    def perform(self, form):
        if form.cleaned_data["outcome"] == forms.ResolutionForm.NEW_BALLOT:
            committee.ballot_restart(case=self.case, restarted_by=self.request.user, reason=form.cleaned_data["text"])
            return
        committee.resolution_record(
            case=self.case,
            recorded_by=self.request.user,
            outcome=form.cleaned_data["outcome"],
            text=form.cleaned_data["text"],
        )

    def performed(self, form):
        if form.cleaned_data["outcome"] != forms.ResolutionForm.NEW_BALLOT:
            return super().performed(form)
        # The task stays open: the flow waits here until a round produces a resolution.
        messages.success(self.request, _("A new ballot is open: the members declare and vote again."))
        return HttpResponseRedirect(self.request.get_full_path())


class ObjectionRulingView(CaseTaskFormView):
    form_class = forms.ObjectionRulingForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "objections": publicity.publicity_current(self.case).objections.order_by("pk"),
        }

    def perform(self, form):
        publicity.objections_rule(case=self.case, ruled_by=self.request.user, rulings=form.rulings())


class DecisionView(CaseTaskFormView):
    form_class = forms.DecisionForm

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
        decision.exemption_decision_issue(
            case=self.case,
            issued_by=self.request.user,
            facts=form.cleaned_data["facts"],
            reasoning=form.cleaned_data["reasoning"],
        )
