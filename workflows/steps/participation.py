"""Pages outside the task lists: committee members declare and vote, the institution objects during
publicity, officers register paper objections, subjects appeal. Each checks who may act, calls one
service and returns to the case page."""

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from tolerance.case_types import case_type_spec_for
from tolerance.selectors.cases import case_get_visible, cases_visible_to
from tolerance.views.held_uploads import HeldUploadsMixin
from tolerance.views.service_form import ServiceFormMixin
from tolerance.views.site_menu import InCasesMenuMixin
from workflows.steps import actions, appeal, committee, forms, publicity, selectors
from workflows.steps.models import Publicity


class CaseActionView(InCasesMenuMixin, ServiceFormMixin, generic.FormView):
    """The page of one action (workflows.steps.actions): refused unless the action's check passes."""

    template_name = "workflows/action.html"
    action = None
    success_text = ""

    def get_case(self):
        return case_get_visible(self.request.user, pk=self.kwargs["case_pk"])

    def dispatch(self, request, *args, **kwargs):
        self.case = self.get_case()
        if not self.action.who(request.user, self.case):
            raise PermissionDenied
        self.not_now = self.action.not_now(request.user, self.case)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # Not possible at this moment (already voted, window closed): say why, take nothing.
        if self.not_now:
            form = self.get_form()
            form.add_error(None, self.not_now)
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "case": self.case,
            "title": self.action.label,
            "not_now": self.not_now,
        }

    def get_success_url(self):
        return reverse("cases:detail", args=[self.case.pk])

    def performed(self, form):
        messages.success(self.request, self.success_text)
        return redirect(self.get_success_url())


class ConflictDeclareView(CaseActionView):
    action = actions.DECLARE_CONFLICT
    form_class = forms.ConflictForm
    success_text = gettext_lazy("Declaration recorded.")

    def get_success_url(self):
        # Declared without a conflict: the vote is the next thing to do, so go straight there.
        if actions.CAST_VOTE.check(self.request.user, self.case):
            return actions.CAST_VOTE.url(self.case)
        return super().get_success_url()

    def perform(self, form):
        committee.conflict_declare(
            case=self.case,
            member=self.request.user,
            conflicted=form.cleaned_data["conflicted"] == "yes",
            note=form.cleaned_data["note"],
        )


class VoteView(CaseActionView):
    action = actions.CAST_VOTE
    form_class = forms.VoteForm
    success_text = gettext_lazy("Vote recorded.")

    def get_form_kwargs(self):
        spec = case_type_spec_for(self.case)
        return {
            **super().get_form_kwargs(),
            "outcomes": spec.outcomes_for(self.case),
            "determinations": committee.round_determinations(self.case),
        }

    def get_context_data(self, **kwargs):
        # What the member decides on: the case type's summary (facts, evidence, proposal) beside the form.
        spec = case_type_spec_for(self.case)
        return {
            **super().get_context_data(**kwargs),
            "summary_template": spec.task_summary_template,
            "show_determinations": True,
        }

    def perform(self, form):
        committee.ballot_cast(
            case=self.case,
            member=self.request.user,
            outcomes=forms.determination_outcomes(form),
            reason=form.cleaned_data["reason"],
        )


class ObjectionLodgeView(CaseActionView):
    """Anyone of the institution, during the objection period (see selectors.cases_in_publicity_for)."""

    action = actions.LODGE_OBJECTION
    form_class = forms.ObjectionForm
    success_text = gettext_lazy("Objection lodged.")

    def get_case(self):
        case = selectors.cases_in_publicity_for(self.request.user).filter(pk=self.kwargs["case_pk"]).first()
        if case is None:
            raise Http404
        return case

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "notice": publicity.publicity_current(self.case)}

    def get_success_url(self):
        # Someone who is neither staff nor a subject cannot open the case page.
        if cases_visible_to(self.request.user).filter(pk=self.case.pk).exists():
            return super().get_success_url()
        return reverse("case_actions:publicity_board")

    def perform(self, form):
        publicity.objection_lodge(case=self.case, text=form.cleaned_data["text"], lodged_by=self.request.user)


class PaperObjectionView(CaseActionView):
    action = actions.REGISTER_PAPER_OBJECTION
    form_class = forms.PaperObjectionForm
    success_text = gettext_lazy("Objection registered.")

    def perform(self, form):
        publicity.objection_lodge(
            case=self.case,
            text=form.cleaned_data["text"],
            lodged_by=self.request.user,
            on_paper_from=form.cleaned_data["submitter_name"],
        )


class AppealView(HeldUploadsMixin, CaseActionView):
    action = actions.LODGE_APPEAL
    form_class = forms.AppealForm
    success_text = gettext_lazy("Appeal lodged: the committee will review the case again.")

    def perform(self, form):
        appeal.appeal_lodge(
            case=self.case,
            lodged_by=self.request.user,
            reasons=form.cleaned_data["reasons"],
            files=form.files_uploaded(),
            waiting_task=selectors.appeal_waiting_task(self.case),
        )
        if selectors.appeal_waiting_task(self.case) is not None:
            # Others judged in the same decision may still appeal theirs: the review waits for the window.
            self.success_text = _(
                "Appeal lodged: the committee reviews your determination once the appeal window ends on %(date)s."
            ) % {"date": appeal.appeal_deadline(self.case)}


class PublicityBoardView(InCasesMenuMixin, generic.TemplateView):
    """The notices the user may read by their scope (F16), with the way to object online."""

    template_name = "workflows/publicity_board.html"

    def get_context_data(self, **kwargs):
        cases = list(selectors.cases_in_publicity_for(self.request.user)[:100])
        # Each case's current publicity (its latest, as publicity_current), in one query for all of them.
        current = {}
        for notice in Publicity.objects.filter(case__in=cases).order_by("case_id", "-id"):
            current.setdefault(notice.case_id, notice)
        notices = [(case, current.get(case.pk)) for case in cases]
        return {**super().get_context_data(**kwargs), "notices": notices, "title": _("Publicity notices")}


class PublicNoticesView(generic.TemplateView):
    """The notices whose scope is the public (社会公开), for anyone, signed in or not; objections from
    outside the system go in writing to the institution, as the notice says."""

    template_name = "workflows/public_notices.html"

    def get_context_data(self, **kwargs):
        notices = publicity.publicities_open_to(AnonymousUser()).select_related("case__institution").order_by("-id")
        return {**super().get_context_data(**kwargs), "notices": notices[:100]}
