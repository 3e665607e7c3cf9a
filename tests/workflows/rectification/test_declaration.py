"""Opening a case: the researcher's self-declaration, bad input on the filing and classification forms, and
a false declaration, which is on the negative list."""

import pytest

from tests.workflows.rectification.conftest import USCC
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from tolerance.models import Case
from workflows.rectification.flow import RectificationFlow
from workflows.rectification.models import Origin, RectificationStage

pytestmark = pytest.mark.django_db


def no_events_since(last):
    """Nothing recorded but the test client's logins and the claim of the task the form belongs to."""
    return not AuditEvent.objects.filter(pk__gt=last).exclude(action__in=["auth.login", "task.assigned"]).exists()


def last_event():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_self_declaration_through_the_portal_is_within_the_window(driver, users):
    response = driver.declare()
    assert response.status_code == 302
    case = Case.objects.get()
    details = case.rectification
    assert details.origin == Origin.SELF_DECLARED and details.within_window
    assert case.filed_by == users["researcher_zhang"] and case.stage == RectificationStage.ACCEPTANCE
    # Any officer may check it: the researcher filed it.
    driver.done("officer_guet", case, "check_acceptance", {"result": "accepted", "reason": ""})
    page = driver.client_for("researcher_zhang").get(response["Location"])
    assert page.status_code == 200 and case.number in page.content.decode()


def test_only_researchers_declare(driver):
    assert driver.declare("officer_guet").status_code == 403
    assert driver.declare("hr_guet").status_code == 403


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"company_uscc": "91450300MA5K8R3X0Z"}, "company_uscc", "统一社会信用代码无效"),
        ({"started_on": "2023-05-01", "ended_on": "2022-01-01"}, "ended_on", "不能早于开始日期"),
        ({"started_on": "2099-01-01"}, "started_on", "不能晚于今天"),
        ({"equity_percent": "120"}, "equity_percent", ""),
        ({"company_name": ""}, "company_name", ""),
    ],
)
def test_bad_declarations_are_refused_beside_the_field(driver, overrides, field, message):
    last = last_event()
    response = driver.declare(**overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Case.objects.exists() and no_events_since(last)


def test_a_gap_code_not_in_the_catalogue_is_refused_on_its_row(driver):
    case = driver.file()
    driver.accept(case)
    driver.opinions(case)
    driver.verify(case)
    last = last_event()
    response = driver.classify(case, driver.gap(code="G99"))
    assert response.status_code == 200 and "问题目录中没有编号G99" in response.content.decode()
    response = driver.classify(case, driver.gap(deadline="0"))
    assert response.status_code == 200
    assert not case.rectification_items.exists() and no_events_since(last)


def test_verification_waits_for_every_department(driver):
    case = driver.file()
    driver.accept(case)
    response = driver.act(
        "officer_guet", case, "verify", {"facts_verified": "属实。", "discrepancies": "", "false_declaration": "no"}
    )
    assert response.status_code == 200 and "尚待以下部门出具意见" in response.content.decode()


def test_a_false_declaration_is_not_rectifiable_and_fails(driver):
    case = driver.file(company_uscc=USCC)
    driver.accept(case)
    driver.opinions(case)
    driver.verify(case, false_declaration=True)
    response = driver.classify(case, driver.gap(code="G02", verifier="discipline"))
    assert response.status_code == 200 and "N3" in response.content.decode()
    assert driver.classify(case, driver.gap(code="G02", verifier="discipline"), negatives=["N3"]).status_code == 302
    driver.confirm(case)
    driver.committee(case, "failed")
    task = driver.task(case, "issue_decision")
    client = driver.client_for("officer_guet")
    client.post(RectificationFlow.issue_decision.reverse("assign", args=[case.process_id, task.pk]))
    page = client.get(RectificationFlow.issue_decision.reverse("execute", args=[case.process_id, task.pk]))
    assert "不予整改" in page.content.decode() and "移送" in page.content.decode()
    driver.issue(case)
    decision = Decision.objects.get(case=case, kind="rectification")
    assert decision.outcome == "failed"
    assert decision.content["grounds"][0]["condition"].startswith("N3 申报弄虚作假")


def test_a_returned_gap_list_goes_back_to_classification(driver):
    case = driver.file()
    driver.accept(case)
    driver.opinions(case)
    driver.verify(case)
    driver.classify(case, driver.gap())
    assert driver.act("officer_guet", case, "confirm_gaps", {"confirmed": "yes", "reason": ""}).status_code == 403
    response = driver.act("reviewer_guet", case, "confirm_gaps", {"confirmed": "no", "reason": ""})
    assert response.status_code == 200
    driver.done("reviewer_guet", case, "confirm_gaps", {"confirmed": "no", "reason": "期限过长。"})
    case.refresh_from_db()
    assert case.stage == RectificationStage.CLASSIFICATION and driver.task(case, "classify") is not None
