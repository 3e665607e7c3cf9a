"""The rectification flow end to end through its real pages."""

import pytest
from viewflow.workflow.status import PROCESS

from tests.decisions.helpers import pdf_text, stored_bytes
from tests.decisions.test_verification import verify_by_command, verify_by_page
from tolerance.decisions.models import Decision
from tolerance.notifications.models import Notification
from workflows.rectification.models import ItemStatus, RectificationStage

pytestmark = pytest.mark.django_db


def test_passed_from_filing_to_sealed_decision(driver, users, tmp_path):
    case = driver.file()
    assert case.number.startswith("GUET-ZG-") and case.stage == RectificationStage.ACCEPTANCE
    driver.accept(case)
    case.refresh_from_db()
    assert case.stage == RectificationStage.VERIFICATION and case.next_due is not None
    assert {r.department for r in case.department_requests.all()} == {"hr", "research", "discipline"}
    assert Notification.objects.filter(recipient=users["hr_guet"], case=case).exists()
    driver.opinions(case)
    driver.verify(case)
    assert driver.classify(case, driver.gap()).status_code == 302
    driver.confirm(case)
    driver.committee(case, "plan_approved")
    driver.done("officer_guet", case, "issue_notice", {"confirm": "on"})
    notice = Decision.objects.get(case=case, kind="rectification_notice")
    case.refresh_from_db()
    assert case.stage == RectificationStage.RECTIFYING
    item = case.rectification_items.get()
    assert item.status == ItemStatus.OPEN and item.due_on == case.next_due
    page = driver.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
    assert "G01" in page and item.due_on.strftime("%Y-%m-%d") in page
    driver.submit(case, item)
    driver.review(item)
    case.refresh_from_db()
    assert case.stage == RectificationStage.COMMITTEE_REVIEW
    driver.committee(case, "passed")
    driver.issue(case)
    decision = Decision.objects.get(case=case, kind="rectification")
    assert decision.outcome == "passed" and decision.document_number != notice.document_number
    assert decision.document_number.startswith("桂电整改")
    assert "G01" in decision.content["grounds"][0]["condition"]
    case.refresh_from_db()
    assert case.stage == RectificationStage.APPEAL_WINDOW
    assert driver.task(case, "await_appeal") is not None
    # Both documents are Chinese, sealed, and verify on the public page and with the command.
    for document, title in ((notice, "合规整改通知书"), (decision, "合规整改认定书")):
        data = stored_bytes(document)
        page = verify_by_page(data)
        assert "真实、未被改动且仍然有效" in page and document.document_number in page
        code, output = verify_by_command(data, tmp_path)
        assert code == 0 and document.document_number in output
        assert title in pdf_text(data)


def test_not_accepted_ends_the_process(driver):
    case = driver.file()
    response = driver.act("reviewer_guet", case, "check_acceptance", {"result": "not_accepted", "reason": ""})
    assert response.status_code == 200 and not case.acceptance_reviews.exists()
    driver.done("reviewer_guet", case, "check_acceptance", {"result": "not_accepted", "reason": "不属于创业行为。"})
    case.refresh_from_db()
    assert case.stage == RectificationStage.NOT_ACCEPTED and case.process.status == PROCESS.DONE


def test_the_filer_cannot_check_acceptance(driver):
    case = driver.file()
    assert driver.act("officer_guet", case, "check_acceptance", {"result": "accepted", "reason": ""}).status_code == 403
