"""容错免责认定: the liability-exemption flow.

filing → completeness check (second officer: accept / supplement → resubmit / refuse) → investigation
→ rule evaluation (second officer confirms or overrides; the departments' joint opinions, when asked, answered
first) → committee review → publicity (timer) → objections ruled (substantive → investigation again) → decision
→ appeal window (timer) or appeals (each person their own; the review waits for the window unless all have
appealed) → committee again → final decision → referrals acknowledged → closed. Node names are stored in the
database: never rename them. A person's own application, adopted by an officer, starts at the completeness
check too (start_application).

Separation of duties (`.Excludes`, domain.md "Second officer"): the filer never checks the completeness
of their own filing nor confirms the evaluation, and whoever investigated does not confirm the evaluation
built on their findings. Issuing writes out what the committee resolved; the policy names no exclusion.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows import access
from workflows.base import ToleranceFlow
from workflows.exemption import routes, self_applications, supplement, views
from workflows.exemption.models import ExemptionProcess, IntakeResult
from workflows.exemption.services import intake_latest
from workflows.nodes import CaseTaskView
from workflows.steps import views as step_views
from workflows.steps.flow_hooks import SharedStepHooks
from workflows.steps.referrals import referrals_settled

OFFICER_TASK = "workflows.officer_task_exemptionprocess"
CHAIR_TASK = "workflows.chair_task_exemptionprocess"


class ExemptionFlow(SharedStepHooks, ToleranceFlow):
    process_class = ExemptionProcess
    process_title = _("Liability exemption")
    process_description = _(
        "Determination of exemption or reduced liability for a failed conversion of a research result."
    )
    process_summary_template = "{{ process.case.number }} {{ process.case.title }}"

    start = (
        flow.Start(views.FilingView.as_view())
        .Annotation(title=_("File an exemption case"))
        .Available(access.can_file)
        .Next(this.check_completeness)
    )
    # X3: an officer adopts a person's own application through the portal, filing the case from it.
    start_application = (
        flow.StartHandle(this.adopt_application)
        .Annotation(title=_("Adopt a self-application"))
        .Next(this.check_completeness)
    )
    check_completeness = (
        CaseTaskView(views.CompletenessCheckView.as_view())
        .Annotation(title=_("Check completeness"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_second_officer)
        .Excludes("start", "start_application")
        .Next(this.intake_route)
    )
    intake_route = (
        flow.Switch()
        .Annotation(title=_("Route by completeness check"))
        .Case(this.investigate, this.is_accepted)
        .Case(this.supplement, this.is_returned)
        .Default(this.end_refused)
    )
    supplement = (
        CaseTaskView(views.SupplementView.as_view())
        .Annotation(title=_("Supplement the filing"))
        .Assign(this.filer_of)
        .Eligible(access.is_case_filer)
        .OnTimeout(this.supplement_deadline, this.supplement_expired, title=_("Supplement deadline passed"))
        .Next(this.check_completeness)
    )
    # F07: a passed supplement deadline refuses the filing or hands it to an officer, per the version.
    supplement_expired = (
        flow.Function(this.expire_supplement)
        .Annotation(title=_("Record the passed supplement deadline"))
        .Next(this.supplement_expiry_route)
    )
    supplement_expiry_route = (
        flow.If(this.expiry_refuses)
        .Annotation(title=_("Refuse when the deadline passes?"))
        .Then(this.end_refused)
        .Else(this.decide_expired_supplement)
    )
    decide_expired_supplement = (
        CaseTaskView(views.ExpiredSupplementView.as_view())
        .Annotation(title=_("Extend the supplement deadline or refuse"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.expired_supplement_route)
    )
    expired_supplement_route = (
        flow.If(this.is_returned).Annotation(title=_("Deadline extended?")).Then(this.supplement).Else(this.end_refused)
    )
    investigate = (
        CaseTaskView(views.InvestigationView.as_view())
        .Annotation(title=_("Investigate the conditions"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.evaluate)
    )
    evaluate = (
        CaseTaskView(views.EvaluationView.as_view())
        .Annotation(title=_("Confirm the rule evaluation"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_second_officer)
        .Excludes("start", "start_application", "investigate")
        .Next(this.open_review)
    )
    open_review = (
        CaseTaskView(step_views.OpenReviewView.as_view())
        .Annotation(title=_("Open the committee review"))
        .Permission(CHAIR_TASK)
        .Eligible(access.is_case_chair)
        .Next(this.record_resolution)
    )
    record_resolution = (
        CaseTaskView(step_views.ResolutionView.as_view())
        .Annotation(title=_("Record the committee resolution"))
        .Permission(CHAIR_TASK)
        .Eligible(access.is_case_chair)
        .Next(this.resolution_route)
    )
    # F16/F18: publicity as the version says (an appeal review skips it unless an outcome changed).
    resolution_route = (
        flow.If(this.skips_publicity)
        .Annotation(title=_("Publicity skipped?"))
        .Then(this.issue_decision)
        .Else(this.publicity_start)
    )
    publicity_start = (
        flow.Function(this.start_publicity).Annotation(title=_("Open publicity")).Next(this.publicity_period)
    )
    publicity_period = flow.Timer(this.publicity_ends).Annotation(title=_("Publicity period")).Next(this.publicity_end)
    publicity_end = flow.Function(this.end_publicity).Annotation(title=_("Close publicity")).Next(this.objections_route)
    objections_route = (
        flow.If(this.has_objections)
        .Annotation(title=_("Any objections?"))
        .Then(this.rule_objections)
        .Else(this.issue_decision)
    )
    rule_objections = (
        CaseTaskView(step_views.ObjectionRulingView.as_view())
        .Annotation(title=_("Rule on the objections"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.objection_route)
    )
    objection_route = (
        flow.If(this.has_substantive_objection)
        .Annotation(title=_("Substantive objection?"))
        .Then(this.investigate)
        .Else(this.issue_decision)
    )
    issue_decision = (
        CaseTaskView(views.DecisionView.as_view())
        .Annotation(title=_("Issue the decision"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
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
        .OnTimeout(this.appeal_window_ends, this.appeal_window_route, title=_("Appeal window ended"))
        .Next(this.open_review)
    )
    # Each person appeals their own determination: the window may end with appeals lodged but not released.
    appeal_window_route = (
        flow.If(this.is_appeal_review)
        .Annotation(title=_("Any appeal lodged?"))
        .Then(this.start_appeal_review)
        .Else(this.referrals_route)
    )
    start_appeal_review = (
        flow.Function(this.begin_appeal_review).Annotation(title=_("Begin the appeal review")).Next(this.open_review)
    )
    # Archiving waits until every referral (移送) is acknowledged, or overdue and escalated.
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
    end_refused = flow.End().Annotation(title=_("Refused"))

    def adopt_application(self, activation, application, adopted_by, **filing):
        # The adopting officer is the filer: four-eyes keeps them out of the completeness check.
        activation.task.owner = adopted_by
        return self_applications.self_application_adopt(
            process=activation.process, application=application, adopted_by=adopted_by, **filing
        )

    def filer_of(self, activation):
        return activation.process.case.filed_by

    def is_accepted(self, activation):
        return intake_latest(activation.process.case).result == IntakeResult.ACCEPTED

    def referrals_are_settled(self, activation):
        return referrals_settled(activation.process.case)

    def skips_publicity(self, activation):
        return routes.publicity_skipped(activation.process.case)

    def supplement_deadline(self, activation):
        return supplement.supplement_deadline_moment(activation.process.case)

    def expire_supplement(self, activation):
        supplement.supplement_expire(case=activation.process.case)

    def expiry_refuses(self, activation):
        return supplement.supplement_on_expiry(activation.process.case) == supplement.REFUSE

    def is_returned(self, activation):
        return intake_latest(activation.process.case).result == IntakeResult.SUPPLEMENT
