"""The supplement loop at acceptance, 不予受理, and 中止 (suspension, resumption, closure), through the pages."""

import datetime

import pytest
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from tests.workflows.conftest import pdf
from tests.workflows.rectification.conftest import at
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.rectification import demo, sweeps
from workflows.rectification.models import RectificationStage

pytestmark = pytest.mark.django_db


def _events_after(last):
    return list(
        AuditEvent.objects.filter(pk__gt=last)
        .exclude(action__in=["auth.login", "task.assigned"])
        .values_list("action", flat=True)
    )


def _last_event():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_supplement_asked_supplied_and_accepted(driver, users):
    case = driver.file()
    last = _last_event()
    response = driver.act("reviewer_guet", case, "check_acceptance", {"result": "supplement", "reason": ""})
    assert response.status_code == 200 and "请说明" in response.content.decode()
    assert not case.acceptance_reviews.exists() and _events_after(last) == []
    driver.done("reviewer_guet", case, "check_acceptance", {"result": "supplement", "reason": "请补充工商登记材料。"})
    case.refresh_from_db()
    review = case.acceptance_reviews.get()
    assert case.stage == RectificationStage.SUPPLEMENT and case.next_due == review.supplement_due
    assert Notification.objects.filter(recipient=users["researcher_zhang"], kind="rectification_supplement_requested")
    page = driver.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
    assert "请补充工商登记材料" in page
    # Empty answer: a Chinese error and nothing changes.
    last = _last_event()
    page = driver.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
    assert reverse("rectification_pages:supplement", args=[case.pk]) in page
    response = driver.page("researcher_zhang", "supplement", case.pk, {"note": ""})
    assert response.status_code == 200 and "必填项" in response.content.decode()
    response = driver.page("researcher_zhang", "supplement", case.pk, {"note": "补充如下。"})
    assert response.status_code == 200 and "至少上传" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == RectificationStage.SUPPLEMENT and _events_after(last) == []
    # Nobody else supplies it.
    assert driver.page("officer_guet", "supplement", case.pk, {"note": "x"}).status_code == 403
    driver.page_done(
        "researcher_zhang", "supplement", case.pk, {"note": "已补充工商登记。", "files": pdf("工商登记.pdf")}
    )
    case.refresh_from_db()
    review.refresh_from_db()
    assert case.stage == RectificationStage.ACCEPTANCE and review.supplied_at is not None
    assert case.attachments.filter(category="rectification_supplement").exists()
    driver.accept(case)
    case.refresh_from_db()
    assert case.stage == RectificationStage.VERIFICATION


def test_supplement_expiry_refuses_or_escalates_as_configured(driver, users, catalogues):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_acceptance", {"result": "supplement", "reason": "请补充材料。"})
    review = case.acceptance_reviews.get()
    zhang = users["researcher_zhang"]
    with at(add_working_days(review.supplement_due, 0) - datetime.timedelta(days=1)):
        sweeps.supplement_sweep(None)
        sweeps.supplement_sweep(None)
    assert Notification.objects.filter(recipient=zhang, kind="rectification_supplement_due").count() == 1
    # GUET refuses: the day after the deadline the declaration is not accepted, with a sealed notice.
    with at(review.supplement_due + datetime.timedelta(days=1)):
        sweeps.supplement_sweep(None)
        sweeps.supplement_sweep(None)
    case.refresh_from_db()
    review.refresh_from_db()
    assert case.stage == RectificationStage.NOT_ACCEPTED and review.expiry_consequence == "refuse"
    assert case.process.status == PROCESS.DONE
    refusal = Decision.objects.get(case=case, kind="rectification_refusal")
    assert refusal.outcome == "not_accepted"
    assert AuditEvent.objects.filter(case_id=case.pk, payload__change="rectification_supplement_expired").count() == 1
    # Escalate instead: the office is told and the task stays with the subject.
    catalogue = catalogues["GUET"]
    catalogue.settings = {**catalogue.settings, "supplement_on_expiry": "escalate"}
    catalogue.save(update_fields=["settings"])
    other = driver.file()
    driver.done("reviewer_guet", other, "check_acceptance", {"result": "supplement", "reason": "请补充材料。"})
    due = other.acceptance_reviews.get().supplement_due
    with at(due + datetime.timedelta(days=1)):
        sweeps.supplement_sweep(None)
    other.refresh_from_db()
    assert other.stage == RectificationStage.SUPPLEMENT and driver.task(other, "supplement") is not None
    assert Notification.objects.filter(
        recipient=users["officer_guet"], case=other, kind="rectification_supplement_expired"
    ).exists()


def test_not_accepted_issues_a_sealed_notice(driver):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_acceptance", {"result": "not_accepted", "reason": "不属于创业行为。"})
    refusal = Decision.objects.get(case=case, kind="rectification_refusal")
    assert "不属于创业行为" in refusal.content["reasoning"]
    page = driver.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
    assert refusal.document_number in page


def test_suspension_freezes_deadlines_and_tasks_then_resumes(driver, users, rectifying):
    case = rectifying
    item = case.rectification_items.get()
    url = reverse("rectification_pages:suspend", args=[case.pk])
    last = _last_event()
    response = driver.client_for("officer_guet").post(url, {"reason": ""})
    assert response.status_code == 200 and "必填项" in response.content.decode()
    assert _events_after(last) == []
    assert driver.client_for("researcher_zhang").post(url, {"reason": "x"}).status_code == 403
    suspended_on = item.due_on - datetime.timedelta(days=10)
    with at(suspended_on):
        response = driver.client_for("officer_guet").post(
            url, {"reason": "纪委办正在调查同一事实（纪案〔2026〕3号）。"}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == RectificationStage.SUSPENDED
    assert Decision.objects.filter(case=case, kind="rectification_suspension").exists()
    remaining = case.rectification.remaining_at_suspension[f"item:{item.pk}"]
    # No reminder, no overdue while suspended, and the researcher cannot submit.
    with at(item.due_on + datetime.timedelta(days=30)):
        sweeps.item_deadlines_sweep(None)
    item.refresh_from_db()
    assert item.overdue_since is None and item.status == "open"
    assert not Notification.objects.filter(case=case, kind__in=["rectification_item_due", "rectification_item_overdue"])
    response = driver.page("researcher_zhang", "evidence", item.pk, {"note": "x", "files": pdf("a.pdf")})
    assert response.status_code == 200 and not item.evidence.exists()
    resumed_on = item.due_on + datetime.timedelta(days=40)
    with at(resumed_on):
        driver.client_for("officer_guet").post(
            reverse("rectification_pages:resume", args=[case.pk]), {"note": "纪委办已结束调查，恢复办理。"}
        )
    case.refresh_from_db()
    item.refresh_from_db()
    assert case.stage == RectificationStage.RECTIFYING
    assert item.due_on == add_working_days(resumed_on, remaining["amount"])


def test_a_suspended_case_is_closed_on_the_inspection_result(driver, users):
    case = driver.file()
    client = driver.client_for("officer_guet")
    client.post(reverse("rectification_pages:suspend", args=[case.pk]), {"reason": "纪委办在查。"})
    assert (
        driver.act("reviewer_guet", case, "check_acceptance", {"result": "accepted", "reason": ""}).status_code == 403
    )
    url = reverse("rectification_pages:terminate", args=[case.pk])
    assert client.post(url, {"result": ""}).status_code == 200
    assert client.post(url, {"result": "纪委办已给予党内警告处分。"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == RectificationStage.TERMINATED and case.process.status == PROCESS.CANCELED
    assert AuditEvent.objects.filter(case_id=case.pk, payload__form="rectification_termination").exists()


def test_committee_pages_refuse_while_suspended(driver, users, institutions):
    staff = demo.STAFF["GUET"]
    case = demo.file_case(institutions["GUET"], users, staff, "张三持股委员会审议中", 0)
    demo.drive(case, users, staff, ["G01"], "committee")
    member = driver.client_for("member1_guet")
    declare = reverse("case_actions:conflict_declare", args=[case.pk])
    assert member.post(declare, {"conflicted": "no"}).status_code == 302
    driver.client_for("officer_guet").post(
        reverse("rectification_pages:suspend", args=[case.pk]), {"reason": "纪委办在查。"}
    )
    last = _last_event()
    vote = reverse("case_actions:vote", args=[case.pk])
    page = member.get(vote).content.decode()
    assert "本案已中止" in page
    response = member.post(vote, {"outcome": "plan_approved", "reason": "事实清楚。"})
    assert response.status_code == 200 and "本案已中止" in response.content.decode()
    other = driver.client_for("member2_guet")
    assert "本案已中止" in other.post(declare, {"conflicted": "no"}).content.decode()
    assert not case.committee_reviews.get().votes.exists() and _events_after(last) == []
    assert vote not in member.get(f"/cases/{case.pk}/").content.decode()
