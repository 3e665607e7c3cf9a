"""Separation of duties as data on the flow: the investigator never confirms the evaluation built on
their own findings, at claim, at execute, in the service and in the queue; another officer may."""

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.status import STATUS

from tests.factories import OfficerFactory
from tests.workflows.conftest import confirmation_data
from tests.workflows.lists_fixtures import exemption_flow_fixture, flow_app_fixture  # noqa: F401
from workflows.exemption.investigation import evaluation_confirm, evaluation_propose
from workflows.flows import ExemptionFlow
from workflows.lists import queue_tasks


@pytest.fixture
def investigated(driver):
    """Filed by officer_guet, checked and investigated by reviewer_guet: waiting for the evaluation."""
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    driver.investigate(case, username="reviewer_guet")
    return case


def _evaluation(case):
    return confirmation_data(case)


def test_the_nodes_name_whose_actors_they_exclude():
    # An adopted self-application is filed by the officer who adopts it (start_application): the same rules.
    assert ExemptionFlow.check_completeness._excludes == ("start", "start_application")
    assert ExemptionFlow.evaluate._excludes == ("start", "start_application", "investigate")


def test_the_investigator_may_not_claim_the_evaluation(driver, investigated, client_for):
    task = driver.task(investigated, "evaluate")
    response = client_for("reviewer_guet").post(
        ExemptionFlow.evaluate.reverse("assign", args=[investigated.process_id, task.pk])
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None


def test_the_investigator_may_not_execute_the_evaluation_even_if_assigned(driver, investigated, client_for, users):
    task = driver.task(investigated, "evaluate")
    # As if an administrator had assigned it to them.
    type(task).objects.filter(pk=task.pk).update(owner=users["reviewer_guet"], status=STATUS.ASSIGNED)
    client = client_for("reviewer_guet")
    url = ExemptionFlow.evaluate.reverse("execute", args=[investigated.process_id, task.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _evaluation(investigated)).status_code == 403
    assert not investigated.evaluations.exists()


def test_the_service_refuses_the_investigator_too(investigated, users):
    with pytest.raises(ValidationError) as refused:
        evaluation_confirm(
            case=investigated,
            confirmed_by=users["reviewer_guet"],
            outcome=evaluation_propose(investigated).proposal,
            override_reason="",
        )
    assert refused.value.messages == ["您已参与本案（调查核实各项条件），须由另一名经办人确认认定意见。"]
    assert not investigated.evaluations.exists()


def test_the_filer_may_not_confirm_either(driver, investigated):
    response = driver.act("officer_guet", investigated, "evaluate", _evaluation(investigated))
    assert response.status_code == 403


def test_another_officer_may_confirm(driver, investigated, guet, users):
    third = users["officer3_guet"] = OfficerFactory(username="officer3_guet", institution=guet)
    assert driver.act(third.username, investigated, "evaluate", _evaluation(investigated)).status_code == 302
    assert driver.task(investigated, "evaluate", statuses=(STATUS.DONE,)).owner == third


def test_the_queue_does_not_offer_the_evaluation_to_the_investigator(
    driver, investigated, guet, users, client_for, flow_app
):
    third = OfficerFactory(username="officer3_guet", institution=guet)
    evaluate = driver.task(investigated, "evaluate")
    assert evaluate not in queue_tasks(users["reviewer_guet"], ExemptionFlow)
    assert evaluate not in queue_tasks(users["officer_guet"], ExemptionFlow)
    assert evaluate in queue_tasks(third, ExemptionFlow)
    page = client_for("reviewer_guet").get(flow_app.reverse("queue"))
    assert evaluate not in page.context["rows"]
    # The page says why: each step and whose actors it leaves out.
    rules = {rule["node"].name: rule["excluded"] for rule in page.context["separation_rules"]}
    assert rules["evaluate"] == [
        ExemptionFlow.start.task_title,
        ExemptionFlow.start_application.task_title,
        ExemptionFlow.investigate.task_title,
    ]
    assert (
        "确认认定意见：不由办理过容错免责立案、受理自行申请并立案、调查核实各项条件的人员办理" in page.content.decode()
    )
