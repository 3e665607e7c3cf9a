"""The rectification stage through its pages: returns, extensions, deadlines passing, the failed outcome."""

import datetime

import pytest

from tests.workflows.conftest import pdf
from tests.workflows.rectification.conftest import at
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.rectification import sweeps
from workflows.rectification.models import ExtensionDecision, ItemStatus, RectificationStage

pytestmark = pytest.mark.django_db


def test_an_item_returned_and_resubmitted_then_accepted(driver, rectifying):
    item = rectifying.rectification_items.get()
    driver.submit(rectifying, item)
    driver.review(item, accepted=False, note="公示记录缺少日期。")
    item.refresh_from_db()
    assert (item.status, item.returns, item.note) == (ItemStatus.RETURNED, 1, "公示记录缺少日期。")
    page = driver.client_for("researcher_zhang").get(f"/cases/{rectifying.pk}/").content.decode()
    assert "公示记录缺少日期。" in page
    driver.submit(rectifying, item)
    driver.review(item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PASSED and item.evidence.count() == 2


def test_returns_beyond_the_limit_fail_the_item_and_the_case(driver, rectifying):
    item = rectifying.rectification_items.get()
    limit = rectifying.rectification.catalogue.setting("max_returns_per_item")
    for _round in range(limit + 1):
        driver.submit(rectifying, item)
        driver.review(item, accepted=False, note="材料不符合要求。")
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    rectifying.refresh_from_db()
    assert rectifying.stage == RectificationStage.COMMITTEE_REVIEW
    driver.committee(rectifying, "failed")
    driver.issue(rectifying)
    decision = Decision.objects.get(case=rectifying, kind="rectification")
    assert decision.outcome == "failed"
    assert any(g["verdict"] == "not_met" for g in decision.content["grounds"])


def test_one_extension_granted_and_a_second_refused_by_rule(driver, rectifying):
    item = rectifying.rectification_items.get()
    due = item.due_on
    response = driver.page("researcher_zhang", "extension", item.pk, {"length": "25", "reason": "公示需时。"})
    assert response.status_code == 200 and "至多" in response.content.decode()
    assert not item.extensions.exists()
    driver.page_done("researcher_zhang", "extension", item.pk, {"length": "10", "reason": "公示需时。"})
    extension = item.extensions.get()
    driver.page_done("officer_guet", "extension_decide", extension.pk, {"granted": "yes", "reason": ""})
    item.refresh_from_db()
    assert item.due_on == add_working_days(due, 10)
    response = driver.page("researcher_zhang", "extension", item.pk, {"length": "5", "reason": "再次申请。"})
    assert response.status_code == 200 and "依规不予受理" in response.content.decode()
    assert item.extensions.count() == 1


def test_an_extension_refused_with_a_reason(driver, rectifying):
    item = rectifying.rectification_items.get()
    due = item.due_on
    driver.page_done("researcher_zhang", "extension", item.pk, {"length": "5", "reason": "工作繁忙。"})
    extension = item.extensions.get()
    response = driver.page("officer_guet", "extension_decide", extension.pk, {"granted": "no", "reason": ""})
    assert response.status_code == 200
    driver.page_done("officer_guet", "extension_decide", extension.pk, {"granted": "no", "reason": "理由不充分。"})
    extension.refresh_from_db()
    item.refresh_from_db()
    assert extension.decision == ExtensionDecision.REFUSED and item.due_on == due


def test_deadline_reminders_overdue_escalation_and_failure_after_the_grace(driver, users, rectifying):
    item = rectifying.rectification_items.get()
    catalogue = rectifying.rectification.catalogue
    zhang, officer = users["researcher_zhang"], users["officer_guet"]
    before_due = item.due_on - datetime.timedelta(days=1)
    with at(before_due):
        sweeps.item_deadlines_sweep(None)
        sweeps.item_deadlines_sweep(None)
    assert Notification.objects.filter(recipient=zhang, kind="rectification_item_due").count() == 1
    with at(item.due_on + datetime.timedelta(days=1)):
        sweeps.item_deadlines_sweep(None)
    item.refresh_from_db()
    assert item.overdue_since is not None and item.status == ItemStatus.OPEN
    assert Notification.objects.filter(recipient=officer, kind="rectification_item_overdue").exists()
    page = driver.client_for("officer_guet").get(f"/cases/{rectifying.pk}/").content.decode()
    assert "已逾期" in page
    after_grace = add_working_days(item.due_on, catalogue.setting("overdue_grace_working_days")) + datetime.timedelta(
        days=1
    )
    with at(after_grace):
        sweeps.item_deadlines_sweep(None)
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    rectifying.refresh_from_db()
    assert rectifying.stage == RectificationStage.COMMITTEE_REVIEW
    assert driver.task(rectifying, "open_review") is not None
    assert AuditEvent.objects.filter(case_id=rectifying.pk, payload__reminder="item_overdue").exists()


def test_evidence_must_have_files_of_an_allowed_type(driver, rectifying):
    item = rectifying.rectification_items.get()
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = driver.page("researcher_zhang", "evidence", item.pk, {"note": "见附件。"})
    assert response.status_code == 200 and "至少上传" in response.content.decode()
    bad = pdf("script.exe")
    bad.file.write(b"MZ")
    response = driver.page("researcher_zhang", "evidence", item.pk, {"note": "见附件。", "files": _exe()})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and not item.evidence.exists()
    assert (
        list(AuditEvent.objects.filter(pk__gt=last).exclude(action="auth.login").values_list("action", "payload")) == []
    )


def _exe():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, content_type="application/octet-stream")


def test_an_item_with_two_verifying_departments_passes_once_both_accept(driver):
    case = driver.file()
    bad = driver.gap(co_verifiers=["nowhere"])
    driver.accept(case)
    driver.opinions(case)
    driver.verify(case)
    response = driver.classify(case, bad)
    assert response.status_code == 200 and not case.rectification_items.exists()
    assert driver.classify(case, driver.gap(co_verifiers=["research"])).status_code == 302
    driver.confirm(case)
    driver.committee(case, "plan_approved")
    driver.done("officer_guet", case, "issue_notice", {"confirm": "on"})
    item = case.rectification_items.get()
    assert item.departments == ["hr", "research"]
    driver.submit(case, item)
    driver.review(item, username="hr_guet")
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    assert driver.page("hr_guet", "review", item.pk, {"accepted": "yes", "note": ""}).status_code == 403
    driver.review(item, username="research_guet")
    item.refresh_from_db()
    assert item.status == ItemStatus.PASSED
