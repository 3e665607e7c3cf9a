"""先使用后付费: the pay-after-use licensing flow.

filing (an officer for the company, or an officer accepting the company's portal application) → review with the conflict check (a second officer) → committee
→ the higher body's approval where the path needs it (related party, amount threshold)
→ publicity, calendar days by the type's policy (timer) → objections ruled (substantive → review again)
→ licence decision (conflicts checked again, results locked) → contract recorded → in force, until the
licence ends (completed, exited, terminated or converted: licensing.closure releases `in_force`).
Reports, triggers, payments and the overdue ladder run beside the waiting `in_force` task.
Node names are stored in the database: never rename them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows import access
from workflows.base import ToleranceFlow
from workflows.licensing import views
from workflows.licensing.applications import application_accept
from workflows.licensing.closure import licence_not_granted
from workflows.licensing.models import LicensingOutcome, LicensingProcess, ReviewResult
from workflows.licensing.services import review_latest
from workflows.nodes import CaseTaskView
from workflows.steps import views as step_views
from workflows.steps.committee import review_current
from workflows.steps.flow_hooks import SharedStepHooks

OFFICER_TASK = "workflows.officer_task_licensingprocess"
CHAIR_TASK = "workflows.chair_task_licensingprocess"


class LicensingFlow(SharedStepHooks, ToleranceFlow):
    process_class = LicensingProcess
    process_title = _("Pay-after-use licensing")
    process_description = _("Licensing a research result to a company that pays only after agreed triggers.")
    process_summary_template = "{{ process.case.number }} {{ process.case.title }}"

    start = (
        flow.Start(views.FilingView.as_view())
        .Annotation(title=_("File a licence application"))
        .Available(access.can_file)
        .Next(this.review)
    )
    start_application = (
        flow.StartHandle(this.accept_application)
        .Annotation(title=_("Accept a company's application"))
        .Next(this.review)
    )
    review = (
        CaseTaskView(views.ReviewView.as_view())
        .Annotation(title=_("Review eligibility and conflicts"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_second_officer)
        .Excludes("start", "start_application")
        .Next(this.review_route)
    )
    review_route = (
        flow.If(this.is_accepted).Annotation(title=_("Eligible?")).Then(this.open_review).Else(this.end_refused)
    )
    open_review = (
        CaseTaskView(views.OpenReviewView.as_view())
        .Annotation(title=_("Open the committee review"))
        .Permission(CHAIR_TASK)
        .Eligible(access.is_case_chair)
        .Next(this.record_resolution)
    )
    record_resolution = (
        CaseTaskView(views.ResolutionView.as_view())
        .Annotation(title=_("Record the committee resolution"))
        .Permission(CHAIR_TASK)
        .Eligible(access.is_case_chair)
        .Next(this.resolution_route)
    )
    resolution_route = (
        flow.If(this.is_granted).Annotation(title=_("Granted?")).Then(this.approval_route).Else(this.not_granted)
    )
    approval_route = (
        flow.If(this.needs_higher_approval)
        .Annotation(title=_("Higher body's approval needed?"))
        .Then(this.higher_approval)
        .Else(this.publicity_start)
    )
    higher_approval = (
        CaseTaskView(views.HigherApprovalView.as_view())
        .Annotation(title=_("Record the higher body's approval"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.higher_route)
    )
    higher_route = (
        flow.If(this.is_higher_approved)
        .Annotation(title=_("Approved by the higher body?"))
        .Then(this.publicity_start)
        .Else(this.not_granted)
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
        .Then(this.review)
        .Else(this.issue_decision)
    )
    issue_decision = (
        CaseTaskView(views.DecisionView.as_view())
        .Annotation(title=_("Issue the licence decision"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.record_contract)
    )
    record_contract = (
        CaseTaskView(views.ContractView.as_view())
        .Annotation(title=_("Record the signed contract"))
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.in_force)
    )
    in_force = flow.Handle().Annotation(title=_("Licence in force")).Next(this.end)
    end = flow.End().Annotation(title=_("Closed"))
    not_granted = flow.Function(this.mark_not_granted).Annotation(title=_("Not granted")).Next(this.end_refused)
    end_refused = flow.End().Annotation(title=_("Refused"))

    def accept_application(self, activation, application, accepted_by, inventors=()):
        # The accepting officer is the filer: four-eyes keeps them out of the review.
        activation.task.owner = accepted_by
        return application_accept(
            process=activation.process, application=application, accepted_by=accepted_by, inventors=inventors
        )

    def needs_higher_approval(self, activation):
        return bool(activation.process.case.licensing.approval_body)

    def is_higher_approved(self, activation):
        return activation.process.case.licensing.approval_granted is True

    def is_accepted(self, activation):
        return review_latest(activation.process.case).result == ReviewResult.ACCEPTED

    def is_granted(self, activation):
        return review_current(activation.process.case).outcome == LicensingOutcome.GRANTED

    def mark_not_granted(self, activation):
        licence_not_granted(case=activation.process.case)
