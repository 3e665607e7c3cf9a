"""The sample flow: filing → committee → publicity (timer) → objections ruled (substantive → committee
again) → decision → appeal window (timer) or appeal → committee again → final decision → closed.

Every step after filing is a shared step's page or service, used as the exemption flow uses them."""

from viewflow import this
from viewflow.workflow import flow

from tests.sample_case_type import views
from tests.sample_case_type.case_type import CHAIR_TASK, OFFICER_TASK
from tests.sample_case_type.models import SampleProcess
from workflows import access
from workflows.base import ToleranceFlow
from workflows.nodes import CaseTaskView
from workflows.steps import views as step_views
from workflows.steps.flow_hooks import SharedStepHooks


class SampleFlow(SharedStepHooks, ToleranceFlow):
    process_class = SampleProcess
    process_title = "Sample case"
    process_summary_template = "{{ process.case.number }} {{ process.case.title }}"

    start = (
        flow.Start(views.SampleFilingView.as_view())
        .Annotation(title="File a sample case")
        .Available(access.can_file)
        .Next(this.open_review)
    )
    open_review = (
        CaseTaskView(step_views.OpenReviewView.as_view())
        .Annotation(title="Open the sample hearing")
        .Permission(CHAIR_TASK)
        .Eligible(access.is_case_chair)
        .Next(this.record_resolution)
    )
    record_resolution = (
        CaseTaskView(step_views.ResolutionView.as_view())
        .Annotation(title="Record the sample resolution")
        .Permission(CHAIR_TASK)
        .Eligible(access.is_case_chair)
        .Next(this.resolution_route)
    )
    resolution_route = flow.If(this.is_appeal_review).Then(this.issue_decision).Else(this.publicity_start)
    publicity_start = flow.Function(this.start_publicity).Next(this.publicity_period)
    publicity_period = flow.Timer(this.publicity_ends).Next(this.publicity_end)
    publicity_end = flow.Function(this.end_publicity).Next(this.objections_route)
    objections_route = flow.If(this.has_objections).Then(this.rule_objections).Else(this.issue_decision)
    rule_objections = (
        CaseTaskView(step_views.ObjectionRulingView.as_view())
        .Annotation(title="Rule on the sample comments")
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.objection_route)
    )
    # The sample type has no investigation: a substantive objection goes back to the committee.
    objection_route = flow.If(this.has_substantive_objection).Then(this.open_review).Else(this.issue_decision)
    issue_decision = (
        CaseTaskView(views.SampleDecisionView.as_view())
        .Annotation(title="Issue the sample ruling")
        .Permission(OFFICER_TASK)
        .Eligible(access.is_case_officer)
        .Next(this.decision_route)
    )
    decision_route = flow.If(this.is_appeal_review).Then(this.close_case).Else(this.await_appeal)
    # The shared appeal step finds this task by its name (workflows.steps.selectors.appeal_waiting_task).
    await_appeal = (
        flow.Handle()
        .OnTimeout(this.appeal_window_ends, this.close_case, title="Challenge window ended")
        .Next(this.open_review)
    )
    close_case = flow.Function(this.archive).Next(this.end)
    end = flow.End()
