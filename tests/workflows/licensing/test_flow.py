"""A licence through the real pages: filing, review with the conflict check, committee, publicity in
calendar days, the sealed licence decision, the contract and its CNIPA deadline."""

import datetime
import re

from django.urls import reverse

from tests.decisions.helpers import pdf_text
from tests.workflows.licensing.conftest import moment, run_timers
from tolerance.audit.models import AuditEvent
from tolerance.decisions.verification import decision_verify_file
from workflows.licensing.models import LicensingStage


def test_a_licence_goes_from_filing_to_the_free_use_period_with_a_sealed_decision(licence_driver, client_for):
    case = licence_driver.file()
    assert re.fullmatch(r"GUET-XK-\d{4}-\d{4}", case.number)
    assert case.stage == LicensingStage.REVIEW

    # The filer may not review their own filing (four-eyes).
    assert licence_driver.act("officer_guet", case, "review", {}).status_code == 403
    assert licence_driver.task(case, "review").status.lower() == "new"
    assert licence_driver.review(case).status_code == 302
    case.refresh_from_db()
    assert case.stage == LicensingStage.COMMITTEE_REVIEW

    licence_driver.committee(case)
    case.refresh_from_db()
    publicity = case.publicities.get()
    assert case.stage == LicensingStage.PUBLICITY
    # 15 calendar days, by the type's policy (not the institution's working days).
    assert publicity.ends_on == publicity.starts_on + datetime.timedelta(days=15)
    assert "桂林漓江智能装备有限公司" in publicity.notice_text and "300000.00" in publicity.notice_text

    run_timers(moment(publicity.ends_on))  # still running on its last day
    case.refresh_from_db()
    assert case.stage == LicensingStage.PUBLICITY
    licence_driver.through_publicity(case)
    case.refresh_from_db()
    assert case.stage == LicensingStage.DECISION

    assert licence_driver.issue(case).status_code == 302
    case.refresh_from_db()
    assert case.stage == LicensingStage.SIGNING
    decision = case.decisions.get()

    # The licensee's contact downloads the sealed licence; it states the terms and verifies.
    response = client_for("licensee_demo").get(reverse("decisions:download", args=[decision.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = re.sub(r"\s+", "", pdf_text(data))
    assert "先使用后付费许可决定书" in text and "许可条款" in text and "首批量产" in text
    assert decision_verify_file(data=data).in_force

    assert licence_driver.contract(case).status_code == 302
    case.refresh_from_db()
    details = case.licensing
    assert case.stage == LicensingStage.FREE_USE
    effective = details.contract_effective_on
    assert details.record_due_on == _three_months_after(effective)
    assert case.next_due == details.record_due_on
    assert AuditEvent.objects.filter(case_id=case.pk, payload__form="licensing_contract").exists()


def _three_months_after(day):
    month = day.month + 3
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError


def test_the_committee_can_refuse_a_licence(licence_driver):
    case = licence_driver.file()
    assert licence_driver.review(case).status_code == 302
    licence_driver.committee(case, outcome="not_granted")
    case.refresh_from_db()
    assert case.stage == LicensingStage.REFUSED
    assert not case.decisions.exists() and not case.publicities.exists()


def test_the_review_refuses_without_every_inventors_consent(licence_driver):
    case = licence_driver.file()
    response = licence_driver.review(case, inventors_consent="")
    assert response.status_code == 200
    assert "发明人" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == LicensingStage.REVIEW and not case.licensing_reviews.exists()
