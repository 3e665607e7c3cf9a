"""The data migration that follows the exemption flow's move keeps running cases working."""

import importlib

from django.apps import apps
from viewflow.workflow.models import Process, Task

from workflows.exemption.flow import ExemptionFlow

migration = importlib.import_module("workflows.migrations.0003_flow_paths_by_case_type")


def _store_old_paths(case):
    """What a case filed before the move has in the database."""
    Process.objects.filter(pk=case.process_id).update(flow_class=migration.OLD)
    for task in Task.objects.filter(process_id=case.process_id):
        node = task.flow_task.name
        Task.objects.filter(pk=task.pk).update(flow_task=f"{migration.OLD}.{node}")


def test_a_case_filed_before_the_move_opens_and_advances_after_it(driver, client_for):
    case = driver.file()
    _store_old_paths(case)
    assert Process.objects.filter(pk=case.process_id, flow_class=migration.OLD).exists()

    migration.forwards(apps, None)

    process = Process.objects.get(pk=case.process_id)
    assert process.flow_class is ExemptionFlow
    assert {task.flow_task.flow_class for task in Task.objects.filter(process_id=case.process_id)} == {ExemptionFlow}
    assert client_for("reviewer_guet").get(f"/cases/{case.pk}/").status_code == 200
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    case.refresh_from_db()
    assert case.stage == "investigation"


def test_the_move_can_be_undone(driver):
    case = driver.file()
    migration.backwards(apps, None)
    assert Process.objects.filter(pk=case.process_id, flow_class=migration.OLD).exists()
    assert not Task.objects.filter(process_id=case.process_id).exclude(flow_task__startswith=migration.OLD).exists()
    migration.forwards(apps, None)
    assert Process.objects.get(pk=case.process_id).flow_class is ExemptionFlow
