"""Task pages of the shared steps: the chair opens a round and records the resolution, an officer rules on
objections and issues the decision. The outcomes offered are the case type's own."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from tolerance.case_types import case_type_spec_for
from tolerance.selectors.policy import case_policy
from workflows.steps import committee, forms, issuing, publicity
from workflows.task_views import CaseTaskFormView


class OpenReviewView(CaseTaskFormView):
    form_class = forms.OpenReviewForm

    def perform(self, form):
        committee.review_open(case=self.case, opened_by=self.request.user, agenda=form.cleaned_data["agenda"])


class ResolutionView(CaseTaskFormView):
    form_class = forms.ResolutionForm

    def get_form_kwargs(self):
        spec = case_type_spec_for(self.case)
        return {
            **super().get_form_kwargs(),
            "outcomes": spec.outcomes_for(self.case),
            "determinations": committee.round_determinations(self.case),
        }

    def get_context_data(self, **kwargs):
        # The chair sees the count per outcome, not who voted what: votes stay hidden until resolved.
        outcomes = case_type_spec_for(self.case).outcomes_for(self.case)
        policy = case_policy(self.case)
        tallies = [
            {
                "label": label,
                "tally": tally,
                "counts": [(outcome.label, tally.counts.get(outcome.value, 0)) for outcome in outcomes],
            }
            for _key, label, tally in committee.review_tallies(committee.review_current(self.case))
        ]
        return {
            **super().get_context_data(**kwargs),
            "tally": tallies[0]["tally"],
            "counts": tallies[0]["counts"],
            "tallies": tallies if len(tallies) > 1 else [],
            "quorum_percent": policy.committee_quorum_percent,
            "threshold_percent": policy.vote_threshold_percent,
        }

    def perform(self, form):
        if form.new_ballot:
            committee.ballot_restart(case=self.case, restarted_by=self.request.user, reason=form.cleaned_data["text"])
            return
        outcomes = forms.determination_outcomes(form)
        if list(outcomes) == [""]:
            committee.resolution_record(
                case=self.case, recorded_by=self.request.user, outcome=outcomes[""], text=form.cleaned_data["text"]
            )
        else:
            committee.resolution_record(
                case=self.case, recorded_by=self.request.user, outcomes=outcomes, text=form.cleaned_data["text"]
            )

    def performed(self, form):
        if not form.new_ballot:
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
