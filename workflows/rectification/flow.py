"""离岗创业合规整改: the compliance-rectification flow.

declaration (researcher, portal) or filing (officer) → acceptance check (second officer) → verification with
the departments → gap classification → confirmation (second officer) → the subject's statement (confirmed;
contested and answered by the office, which may send the list back once; or silent past the period) →
committee: plan approved, or not rectifiable → 整改通知书 → rectification item by item (our tables; the flow
waits) → committee: passed or failed → decision → appeal window or appeal → committee again → final
decision → referrals acknowledged or escalated → closed.
Node names are stored in the database: never rename them.

Separation of duties (`.Excludes`): the filer does not check acceptance, and whoever classified the gaps
does not confirm them. A suspended case (中止) keeps its tasks, but nobody may claim or execute them until
the office resumes it (`_active`).
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows import access
from workflows.base import ToleranceFlow
from workflows.nodes import CaseTaskView
from workflows.rectification import views
from workflows.rectification.models import (
    AcceptanceResult,
    RectificationOutcome,
    RectificationProcess,
    RectificationStage,
    StatementKind,
)
from workflows.rectification.statement import statement_current
from workflows.steps import views as step_views
from workflows.steps.committee import review_current
from workflows.steps.flow_hooks import SharedStepHooks
from workflows.steps.referrals import referrals_settled

OFFICER_TASK = "workflows.officer_task_rectificationprocess"
SUSPENDED = RectificationStage.SUSPENDED.value
CHAIR_TASK = "workflows.chair_task_rectificationprocess"


def _active(predicate):
    """`predicate`, and the case is not suspended."""

    def eligible(user, case):
        return case is not None and case.stage != SUSPENDED and predicate(user, case)

    return eligible


class RectificationFlow(SharedStepHooks, ToleranceFlow):
    process_class = RectificationProcess
    process_title = _("Compliance rectification")
    process_description = _("Compliance rectification of researchers' past entrepreneurship (离岗创业合规整改).")
    process_summary_template = "{{ process.case.number }} {{ process.case.title }}"

    start = (
        flow.Start(views.FilingView.as_view())
        .Annotation(title=_("File a rectification case"))
        .Available(access.can_file)
        .Next(this.check_acceptance)
    )
    check_acceptance = (
        CaseTaskView(views.AcceptanceView.as_view())
        .Annotation(title=_("Check acceptance"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_second_officer))
        .Excludes("start")
        .Next(this.acceptance_route)
    )
    acceptance_route = (
        flow.Switch()
        .Annotation(title=_("Accepted?"))
        .Case(this.verify, this.is_accepted)
        .Case(this.supplement, this.is_returned)
        .Default(this.end_refused)
    )
    # The subject supplies through our page (the parties never use the flow's pages), which releases
    # this wait; so does the sweep when the deadline passed and the policy refuses (intake).
    supplement = flow.Handle().Annotation(title=_("Supply the materials asked for")).Next(this.supplement_route)
    supplement_route = (
        flow.If(this.supplement_refused)
        .Annotation(title=_("Supplement deadline passed?"))
        .Then(this.end_refused)
        .Else(this.check_acceptance)
    )
    verify = (
        CaseTaskView(views.VerificationView.as_view())
        .Annotation(title=_("Verify the facts"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_case_officer))
        .Next(this.classify)
    )
    classify = (
        CaseTaskView(views.ClassificationView.as_view())
        .Annotation(title=_("Classify the gaps and set the plan"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_case_officer))
        .Next(this.confirm_gaps)
    )
    confirm_gaps = (
        CaseTaskView(views.GapConfirmationView.as_view())
        .Annotation(title=_("Confirm the gap list"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_second_officer))
        .Excludes("classify")
        .Next(this.gaps_route)
    )
    gaps_route = (
        flow.If(this.gaps_confirmed)
        .Annotation(title=_("Gap list confirmed?"))
        .Then(this.await_statement)
        .Else(this.classify)
    )
    # 陈述与确认: released by the subject's confirmation or statement on our page, or by the sweep when
    # the period passed in silence (workflows.rectification.statement).
    await_statement = (
        flow.Handle().Annotation(title=_("The subject's statement on the gap list")).Next(this.statement_route)
    )
    statement_route = (
        flow.If(this.statement_contested)
        .Annotation(title=_("Gap list contested?"))
        .Then(this.answer_statement)
        .Else(this.open_review)
    )
    answer_statement = (
        CaseTaskView(views.StatementAnswerView.as_view())
        .Annotation(title=_("Answer the subject's statement"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_case_officer))
        .Next(this.answer_route)
    )
    answer_route = (
        flow.If(this.statement_reopens)
        .Annotation(title=_("Gap list sent back?"))
        .Then(this.classify)
        .Else(this.open_review)
    )
    open_review = (
        CaseTaskView(step_views.OpenReviewView.as_view())
        .Annotation(title=_("Open the committee review"))
        .Permission(CHAIR_TASK)
        .Eligible(_active(access.is_case_chair))
        .Next(this.record_resolution)
    )
    record_resolution = (
        CaseTaskView(step_views.ResolutionView.as_view())
        .Annotation(title=_("Record the committee resolution"))
        .Permission(CHAIR_TASK)
        .Eligible(_active(access.is_case_chair))
        .Next(this.resolution_route)
    )
    resolution_route = (
        flow.If(this.is_plan_approved)
        .Annotation(title=_("Plan approved?"))
        .Then(this.issue_notice)
        .Else(this.issue_decision)
    )
    issue_notice = (
        CaseTaskView(views.NoticeView.as_view())
        .Annotation(title=_("Issue the rectification notice"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_case_officer))
        .Next(this.await_rectification)
    )
    # Released by workflows.rectification.items once every item is accepted or not.
    await_rectification = flow.Handle().Annotation(title=_("Rectification item by item")).Next(this.open_review)
    issue_decision = (
        CaseTaskView(views.DecisionView.as_view())
        .Annotation(title=_("Issue the decision"))
        .Permission(OFFICER_TASK)
        .Eligible(_active(access.is_case_officer))
        .Next(this.decision_route)
    )
    decision_route = (
        flow.If(this.is_appeal_review)
        .Annotation(title=_("Final decision?"))
        .Then(this.referrals_route)
        .Else(this.await_appeal)
    )
    await_appeal = (
        flow.Handle()
        .Annotation(title=_("Appeal window"))
        .OnTimeout(this.appeal_window_ends, this.referrals_route, title=_("Appeal window ended"))
        .Next(this.open_review)
    )
    # Archiving waits until every referral of the decision in force is acknowledged or, overdue, escalated
    # (released by workflows.steps.referrals: the acknowledgement or the shared sweep).
    referrals_route = (
        flow.If(this.referrals_are_settled)
        .Annotation(title=_("Referrals acknowledged?"))
        .Then(this.close_case)
        .Else(this.await_referrals)
    )
    await_referrals = (
        flow.Handle().Annotation(title=_("Awaiting acknowledgement of the referrals")).Next(this.close_case)
    )
    close_case = flow.Function(this.archive).Annotation(title=_("Close and archive")).Next(this.end)
    end = flow.End().Annotation(title=_("Closed"))
    end_refused = flow.End().Annotation(title=_("Not accepted"))

    def is_accepted(self, activation):
        review = activation.process.case.acceptance_reviews.order_by("-id").first()
        return review is not None and review.result == AcceptanceResult.ACCEPTED

    def is_returned(self, activation):
        review = activation.process.case.acceptance_reviews.order_by("-id").first()
        return review is not None and review.result == AcceptanceResult.SUPPLEMENT

    def supplement_refused(self, activation):
        review = activation.process.case.acceptance_reviews.order_by("-id").first()
        return review is not None and review.supplied_at is None and review.expiry_consequence == "refuse"

    def gaps_confirmed(self, activation):
        return activation.process.case.rectification.gaps_confirmed

    def statement_contested(self, activation):
        statement = statement_current(activation.process.case)
        return statement is not None and statement.kind == StatementKind.CONTESTED

    def statement_reopens(self, activation):
        statement = statement_current(activation.process.case)
        return statement is not None and statement.reopens

    def referrals_are_settled(self, activation):
        return referrals_settled(activation.process.case)

    def is_plan_approved(self, activation):
        review = review_current(activation.process.case)
        return review is not None and review.outcome == RectificationOutcome.PLAN_APPROVED
