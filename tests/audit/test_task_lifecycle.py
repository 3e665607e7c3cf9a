"""Viewflow task lifecycle events, captured centrally, driven through the real exemption flow's pages."""

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.workflows.conftest import day_after, run_timers
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.audit.verification import chain_verify
from workflows.flows import ExemptionFlow

pytestmark = pytest.mark.django_db


def _task_events(case, task):
    return list(
        AuditEvent.objects.filter(case_id=case.pk, target_type="viewflow.Task", target_id=str(task.pk))
        .order_by("case_sequence")
        .values_list("action", "actor_username")
    )


def test_claim_release_and_completion_are_recorded_once_each_in_the_case_chain(driver, client_for):
    case = driver.file()
    check = driver.task(case, "check_completeness")
    assert _task_events(case, check) == [(AuditAction.TASK_CREATED, "officer_guet")]

    reviewer = client_for("reviewer_guet")
    node = ExemptionFlow.check_completeness
    assert reviewer.post(node.reverse("assign", args=[case.process_id, check.pk])).status_code == 302
    assert reviewer.post(node.reverse("unassign", args=[case.process_id, check.pk])).status_code == 302
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})

    assert _task_events(case, check) == [
        (AuditAction.TASK_CREATED, "officer_guet"),
        (AuditAction.TASK_ASSIGNED, "reviewer_guet"),
        (AuditAction.TASK_RELEASED, "reviewer_guet"),
        (AuditAction.TASK_ASSIGNED, "reviewer_guet"),
        (AuditAction.TASK_COMPLETED, "reviewer_guet"),
    ]
    completed = AuditEvent.objects.get(case_id=case.pk, action=AuditAction.TASK_COMPLETED, target_id=str(check.pk))
    assert completed.payload["node"] == "check_completeness" and completed.payload["owner"] == "reviewer_guet"
    investigate = driver.task(case, "investigate")
    assert _task_events(case, investigate)[0][0] == AuditAction.TASK_CREATED
    assert chain_verify(case=case).intact


def test_a_cancelled_task_loaded_as_a_plain_viewflow_task_is_recorded(driver):
    case = driver.file()
    task = Task.objects.get(pk=driver.task(case, "check_completeness").pk)
    with task.activation() as activation:
        activation.cancel()
    assert _task_events(case, task)[-1] == (AuditAction.TASK_CANCELLED, "")


def test_the_publicity_timer_firing_is_recorded_as_the_system(driver):
    case = driver.file()
    outcome = driver.to_committee(case)
    driver.through_committee(case, outcome)
    publicity = case.publicities.get()
    before = AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.TIMER_FIRED).count()
    run_timers(day_after(publicity.ends_on))
    fired = AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.TIMER_FIRED)
    assert fired.count() == before + 1
    assert fired.last().actor_username == ""
    timer_tasks = Task.objects.filter(process_id=case.process_id, flow_task_type="TIMER", status=STATUS.DONE)
    for task in timer_tasks:
        assert [action for action, _actor in _task_events(case, task)].count(AuditAction.TIMER_FIRED) == 1
    assert chain_verify().intact
