"""纠错 orders (X2) and the 容错认定台账 columns (X4), through the register's pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workflows.conftest import day_after, run_timers
from tests.workflows.exemption.test_per_subject import written
from tolerance.audit.models import AuditEvent
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.exemption.corrections import CORRECTION_DUE, CORRECTION_ORDERED, CORRECTION_OVERDUE
from workflows.exemption.models import CorrectionOrder
from workflows.exemption.setup import exemption_sweep

pytestmark = pytest.mark.django_db


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_a_researcher_exempted_under_the_default_gets_a_correction_order_that_is_reminded_escalated_and_verified(
    driver, users, client_for
):
    case = driver.file()
    # C5 fails: the researcher rule exempts with a correction order (mandatory, F09).
    assert driver.to_committee(case, failing_conditions=["C5"]) == "exempt"
    driver.through_committee(case, "exempt")
    run_timers(day_after(case.publicities.get().ends_on))
    driver.issue(case)
    order = CorrectionOrder.objects.get(case=case)
    assert order.subject.user == users["researcher_zhang"] and "三十日内" in order.items
    assert order.due == timezone.localdate() + datetime.timedelta(days=30)
    assert Notification.objects.filter(recipient=users["researcher_zhang"], kind=CORRECTION_ORDERED).exists()
    decision = case.decisions.get(kind="exemption")
    assert decision.content["subject_rows"][0]["correction_due"] == order.due.isoformat()

    officer = client_for("officer_guet")
    page = officer.get(reverse("exemption_register:register")).content.decode()
    assert (
        "纠错整改" in page
        and "待整改" in page
        and reverse("exemption_register:correction_verify", args=[order.pk]) in page
    )
    # The ledger: the person, their audience, the entries, the outcome and the decision number.
    assert "容错认定台账" in page and decision.document_number in page and "科研人员" in page
    ledger = officer.get(reverse("exemption_register:register"), {"format": "ledger"}).content.decode("utf-8-sig")
    assert case.number in ledger and "免责" in ledger

    # Reminded three working days before, escalated to the officer once the deadline has passed.
    day = order.due
    while add_working_days(day, 3) > order.due:
        day -= datetime.timedelta(days=1)
    assert exemption_sweep(at(day)) >= 1
    assert Notification.objects.filter(recipient=users["researcher_zhang"], kind=CORRECTION_DUE).exists()
    exemption_sweep(at(order.due + datetime.timedelta(days=1)))
    assert Notification.objects.filter(recipient=users["officer_guet"], kind=CORRECTION_OVERDUE).exists()
    assert AuditEvent.objects.filter(case_id=case.pk, payload__change="correction_overdue").exists()
    assert exemption_sweep(at(order.due + datetime.timedelta(days=2))) == 0

    url = reverse("exemption_register:correction_verify", args=[order.pk])
    events = written()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = officer.post(url, {"done_on": tomorrow, "note": "已补充转化过程记录。"})
    assert response.status_code == 200 and "该日期不能晚于今天" in response.content.decode()
    assert client_for("researcher_zhang").post(
        url, {"done_on": timezone.localdate().isoformat(), "note": "x"}
    ).status_code in (200, 403, 404)
    order.refresh_from_db()
    assert order.verified_at is None and written() == events
    assert (
        officer.post(
            url, {"done_on": timezone.localdate().isoformat(), "note": "已补充转化过程记录，经核查属实。"}
        ).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.verified_by == users["officer_guet"]
    assert "已核实" in officer.get(reverse("exemption_register:register")).content.decode()
