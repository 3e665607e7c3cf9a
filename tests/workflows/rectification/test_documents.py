"""Every document of the rectification flow besides the notice and the decision: each Chinese, sealed and
verifying; and the referral of a failed rectification, acknowledged by the body's contact."""

import pytest
from django.urls import reverse

from tests.decisions.helpers import pdf_text, stored_bytes
from tests.decisions.test_verification import verify_by_command, verify_by_page
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from tolerance.notifications.models import Notification
from workflows.rectification.models import ItemStatus

pytestmark = pytest.mark.django_db

TITLES = {
    "rectification_refusal": "不予受理通知书",
    "rectification_suspension": "合规整改中止通知书",
    "rectification_gap_notice": "合规问题认定告知书",
    "rectification_extension": "延期整改审批单",
    "rectification_acceptance": "整改事项验收单",
    "rectification_referral": "合规整改移送函",
}


def test_every_document_is_sealed_and_verifies_and_a_failure_is_referred(driver, users, rectifying, tmp_path):
    case = rectifying
    item = case.rectification_items.get()
    client = driver.client_for("officer_guet")
    client.post(reverse("rectification_pages:suspend", args=[case.pk]), {"reason": "纪委办在查同一事实。"})
    client.post(reverse("rectification_pages:resume", args=[case.pk]), {"note": "调查结束。"})
    driver.page_done("researcher_zhang", "extension", item.pk, {"length": "5", "reason": "公示需时。"})
    driver.page_done("officer_guet", "extension_decide", item.extensions.get().pk, {"granted": "yes", "reason": ""})
    limit = case.rectification.catalogue.setting("max_returns_per_item")
    for _round in range(limit + 1):
        driver.submit(case, item)
        driver.review(item, accepted=False, note="材料不符合要求。")
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED
    driver.committee(case, "failed")
    driver.issue(case)
    refused = driver.file()
    driver.done("reviewer_guet", refused, "check_acceptance", {"result": "not_accepted", "reason": "不属于创业行为。"})

    # The failed rectification is referred to each configured body, each letter sealed.
    bodies = case.rectification.catalogue.setting("failed_referral_departments")
    referrals = list(case.referrals.order_by("pk"))
    assert [r.to_department for r in referrals] == bodies and all(r.letter_id for r in referrals)
    assert Notification.objects.filter(recipient=users["discipline_guet"], kind="rectification_referral_sent")
    discipline = next(r for r in referrals if r.to_department == "discipline")
    page = driver.client_for("discipline_guet").get(f"/cases/{case.pk}/").content.decode()
    assert reverse("rectification_pages:referral_ack", args=[discipline.pk]) in page
    url = reverse("rectification_pages:referral_ack", args=[discipline.pk])
    assert driver.client_for("hr_guet").post(url, {"note": "收悉。"}).status_code == 403
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = driver.client_for("discipline_guet").post(url, {"note": ""})
    assert response.status_code == 200 and "必填项" in response.content.decode()
    assert not AuditEvent.objects.filter(pk__gt=last).exclude(action="auth.login").exists()
    assert driver.client_for("discipline_guet").post(url, {"note": "已收悉，按规定处理。"}).status_code == 302
    discipline.refresh_from_db()
    assert discipline.received_by == users["discipline_guet"]
    assert driver.client_for("discipline_guet").post(url, {"note": "再次。"}).status_code == 200

    documents = {d.kind: d for d in Decision.objects.filter(case__in=[case, refused]).order_by("pk")}
    assert set(TITLES) <= set(documents)
    for kind, title in TITLES.items():
        document = documents[kind]
        data = stored_bytes(document)
        assert title in pdf_text(data)
        page = verify_by_page(data)
        assert "真实、未被改动且仍然有效" in page and document.document_number in page
        code, output = verify_by_command(data, tmp_path)
        assert code == 0 and document.document_number in output
