"""Task pages of the shared steps: the chair opens a round and records the resolution, an officer rules on
objections and issues the decision. The outcomes offered are the case type's own."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from tolerance.case_types import case_type_spec_for
from workflows.steps import committee, forms, issuing, publicity
from workflows.task_views import CaseTaskFormView


class OpenReviewView(CaseTaskFormView):
    form_class = forms.OpenReviewForm

    def perform(self, form):
        committee.review_open(case=self.case, opened_by=self.request.user, agenda=form.cleaned_data["agenda"])


class ResolutionView(CaseTaskFormView):
    form_class = forms.ResolutionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "outcomes": case_type_spec_for(self.case).outcomes_for(self.case)}

    def get_context_data(self, **kwargs):
        # The chair sees the count per outcome, not who voted what: votes stay hidden until resolved.
        tally = committee.review_tally(committee.review_current(self.case))
        outcomes = case_type_spec_for(self.case).outcomes_for(self.case)
        counts = [(outcome.label, tally.counts.get(outcome.value, 0)) for outcome in outcomes]
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
    """Issue the decision; a case type's subclass proposes the facts and reasoning in get_initial()."""

    form_class = forms.DecisionForm

    def perform(self, form):
        issuing.case_decision_issue(
            case=self.case,
            issued_by=self.request.user,
            facts=form.cleaned_data["facts"],
            reasoning=form.cleaned_data["reasoning"],
        )
