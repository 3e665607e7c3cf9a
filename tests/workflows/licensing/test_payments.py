"""Once the licence is in force, through its pages: reports, each trigger kind, the schedule, receipts
recorded by finance (corrected only by a new entry), reconciliation, the overdue ladder to termination,
exit and conversion."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workflows.licensing.conftest import moment, pdf
from tolerance.audit.models import AuditEvent
from tolerance.notifications.models import Notification
from workflows.licensing.flow import LicensingFlow
from workflows.licensing.ladder import overdue_ladder_run
from workflows.licensing.ledger import DueStatus, NoticeKind
from workflows.licensing.models import LicensingStage
from workflows.licensing.payments import date_triggers_run, reconciliation


def backdate(case, days=400):
    """Move a licence just granted into the past, as if its contract took effect `days` ago (the pages
    then see finished report periods and past due dates at today's date)."""
    details = case.licensing
    shift = datetime.timedelta(days=days)
    details.start_on -= shift
    details.contract_effective_on -= shift
    details.free_use_ends_on -= shift
    details.save()
    return case


def page(name, case):
    return reverse(f"licence_pages:{name}", args=[case.pk])


def report(client, case, *, start, end, net_sales="0.00", milestone="", evidence=True, units=10):
    data = {
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "units": str(units),
        "net_sales": net_sales,
        "milestone": milestone,
        "note": "小批量试产顺利。",
    }
    if evidence:
        data["evidence"] = pdf("检测报告.pdf")
    return client.post(page("report", case), data)


TODAY = timezone.localdate


def test_a_milestone_confirmed_on_evidence_triggers_the_staged_schedule(licence_driver, client_for):
    case = backdate(licence_driver.granted())
    effective = case.licensing.contract_effective_on
    licensee, officer = client_for("licensee_demo"), client_for("officer_guet")
    reached = TODAY() - datetime.timedelta(days=100)
    response = report(licensee, case, start=effective, end=reached, milestone="首批量产")
    assert response.status_code == 302
    [pending] = case.usage_reports.all()
    assert officer.post(page("accept", case), {"report": pending.pk}).status_code == 302
    case.refresh_from_db()
    assert case.stage == LicensingStage.PAYING
    dues = list(case.payment_dues.order_by("sequence"))
    # 300000.00 in 3 instalments, the first 30 calendar days after the milestone, then yearly.
    assert [d.amount for d in dues] == [Decimal("100000.00")] * 3
    assert sum(d.amount for d in dues) == case.licensing.fee_total
    first = reached + datetime.timedelta(days=30)
    assert dues[0].due_on == first and dues[1].due_on == first.replace(year=first.year + 1)
    recipients = set(
        Notification.objects.filter(kind="licensing_payment_notice").values_list("recipient__username", flat=True)
    )
    assert {"licensee_demo", "officer_guet", "finance_guet"} <= recipients


def test_a_milestone_without_evidence_is_not_confirmed(licence_driver, client_for):
    case = backdate(licence_driver.granted())
    start = case.licensing.contract_effective_on
    licensee = client_for("licensee_demo")
    assert report(licensee, case, start=start, end=TODAY(), milestone="首批量产", evidence=False).status_code == 302
    response = client_for("officer_guet").post(page("accept", case), {"report": case.usage_reports.get().pk})
    assert response.status_code == 200 and "证明材料" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == LicensingStage.FREE_USE and not case.payment_dues.exists()


def test_the_agreed_date_triggers_a_lump_sum_through_the_scheduler(licence_driver):
    trigger = timezone.localdate() + datetime.timedelta(days=200)
    case = licence_driver.granted(
        payment_mode="lump", instalments="1", trigger_date=trigger.isoformat(), trigger_milestone=""
    )
    assert date_triggers_run(moment(trigger - datetime.timedelta(days=1))) == 0
    assert date_triggers_run(moment(trigger)) == 1
    assert date_triggers_run(moment(trigger)) == 0  # idempotent
    case.refresh_from_db()
    [due] = case.payment_dues.all()
    assert case.stage == LicensingStage.PAYING and due.amount == Decimal("300000.00")
    assert due.due_on == trigger + datetime.timedelta(days=30)


def test_net_sales_passing_the_threshold_trigger_royalties_up_to_the_cap(licence_driver, client_for):
    case = backdate(
        licence_driver.granted(
            payment_mode="royalty",
            royalty_percent="5.00",
            fee_total="60000.00",
            trigger_date="",
            trigger_milestone="",
            trigger_revenue="500000.00",
        )
    )
    licensee, officer = client_for("licensee_demo"), client_for("officer_guet")
    start = case.licensing.contract_effective_on
    month = datetime.timedelta(days=30)
    stages = []
    for index, sales in enumerate(["400000.00", "200000.00", "1000000.00", "300000.00"]):
        begin = start + index * month
        assert (
            report(
                licensee, case, start=begin, end=begin + month - datetime.timedelta(days=1), net_sales=sales
            ).status_code
            == 302
        )
        pending = case.usage_reports.get(accepted_at__isnull=True)
        assert officer.post(page("accept", case), {"report": pending.pk}).status_code == 302
        case.refresh_from_db()
        stages.append(case.stage)
    # 400000 < 500000; 600000 passes it; then 5% of 1000000 = 50000, then 5% of 300000 capped at 10000.
    assert stages == [LicensingStage.FREE_USE] + [LicensingStage.PAYING] * 3
    assert [d.amount for d in case.payment_dues.order_by("sequence")] == [Decimal("50000.00"), Decimal("10000.00")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("net_sales", "-1.00", "0"),
        ("net_sales", "abc", "数"),
        ("net_sales", "12.345", "2"),
        ("period_end", "2000-01-01", "结束日不能早于开始日"),
        ("period_end", "future", "尚未结束"),
    ],
)
def test_a_bad_report_is_refused_beside_its_field(licence_driver, client_for, field, value, message, licensed_case):
    case = licensed_case
    start = case.licensing.contract_effective_on
    data = {
        "period_start": start.isoformat(),
        "period_end": start.isoformat(),
        "units": "1",
        "net_sales": "10.00",
        "milestone": "",
        "note": "说明",
    }
    data[field] = (timezone.localdate() + datetime.timedelta(days=30)).isoformat() if value == "future" else value
    client = client_for("licensee_demo")
    before = AuditEvent.objects.count()
    response = client.post(page("report", case), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not case.usage_reports.exists() and AuditEvent.objects.count() == before


@pytest.fixture
def licensed_case(licence_driver):
    return licence_driver.granted()


@pytest.fixture
def paying(licence_driver, client_for):
    """A licence whose three instalments are armed: the milestone was reached 100 days ago, so the first
    instalment fell due 70 days ago."""
    case = backdate(licence_driver.granted())
    reached = TODAY() - datetime.timedelta(days=100)
    report(
        client_for("licensee_demo"), case, start=case.licensing.contract_effective_on, end=reached, milestone="首批量产"
    )
    client_for("officer_guet").post(page("accept", case), {"report": case.usage_reports.get().pk})
    case.refresh_from_db()
    assert case.stage == LicensingStage.PAYING
    return case


def receipt(client, due, amount, day, voucher="财收2027-001", **extra):
    return client.post(
        page("receipt", due.case),
        {"due": due.pk, "amount": amount, "received_on": day.isoformat(), "voucher_number": voucher, **extra},
    )


def test_receipts_reconcile_with_the_schedule_and_are_corrected_only_by_a_new_entry(paying, client_for):
    finance = client_for("finance_guet")
    first, second, third = paying.payment_dues.order_by("sequence")
    assert client_for("officer_guet").get(page("receipt", paying)).status_code == 403
    assert receipt(finance, first, "10000.00", first.due_on).status_code == 302
    wrong = first.receipts.get()
    # A typo: 10000.00 recorded for 100000.00. The correction is a new receipt naming it.
    response = receipt(finance, first, "100000.00", first.due_on, voucher="财收2027-001", corrects=wrong.pk)
    assert response.status_code == 200 and "更正理由" in response.content.decode()
    fixed = receipt(finance, first, "100000.00", first.due_on, corrects=wrong.pk, correction_reason="金额录入错误")
    assert fixed.status_code == 302
    assert receipt(finance, second, "40000.00", first.due_on, voucher="财收2027-002").status_code == 302
    wrong.refresh_from_db()
    assert wrong.amount == Decimal("10000.00")  # never edited
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == DueStatus.PAID and second.status == DueStatus.OPEN
    account = reconciliation(paying, on=first.due_on)
    assert account.scheduled == Decimal("300000.00") == paying.licensing.fee_total
    assert account.received == Decimal("140000.00")
    assert account.outstanding == Decimal("160000.00") == account.scheduled - account.received
    assert [(d.sequence, r, o) for d, r, o in account.lines] == [
        (1, Decimal("100000.00"), Decimal("0.00")),
        (2, Decimal("40000.00"), Decimal("60000.00")),
        (3, Decimal("0.00"), Decimal("100000.00")),
    ]
    events = AuditEvent.objects.filter(case_id=paying.pk, payload__form="licensing_receipt")
    assert events.count() == 3 and events.filter(payload__corrects=wrong.pk).exists()


@pytest.mark.parametrize("amount", ["-5.00", "0", "abc", "1.005"])
def test_a_bad_receipt_changes_nothing(paying, client_for, amount):
    due = paying.payment_dues.order_by("sequence").first()
    response = receipt(client_for("finance_guet"), due, amount, due.due_on)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not due.receipts.exists()


def test_an_instalment_paid_late_climbs_the_whole_ladder_to_termination_and_a_credit_flag(
    paying, client_for, licence_driver
):
    due = paying.payment_dues.order_by("sequence").first()
    for days in (10, 3, 0):
        overdue_ladder_run(moment(due.due_on - datetime.timedelta(days=days)))
    overdue_ladder_run(moment(due.due_on))  # the same day again sends nothing more
    reminders = paying.ladder_notices.filter(kind=NoticeKind.REMINDER)
    assert sorted(reminders.values_list("step", flat=True)) == ["-0", "-10", "-3"]
    assert (
        Notification.objects.filter(kind="licensing_payment_reminder", recipient__username="licensee_demo").count() == 3
    )

    overdue_ladder_run(moment(due.due_on + datetime.timedelta(days=14)))
    assert not paying.ladder_notices.filter(kind=NoticeKind.DEMAND).exists()
    overdue_ladder_run(moment(due.due_on + datetime.timedelta(days=15)))
    assert paying.ladder_notices.filter(kind=NoticeKind.DEMAND).count() == 1
    breach_day = due.due_on + datetime.timedelta(days=30)
    overdue_ladder_run(moment(breach_day))
    paying.refresh_from_db()
    breach = paying.ladder_notices.get(kind=NoticeKind.BREACH)
    assert paying.stage == LicensingStage.BREACH and breach.cure_by > breach_day + datetime.timedelta(days=15)
    assert paying.next_due == breach.cure_by

    officer = client_for("officer_guet")
    assert breach.cure_by < TODAY()
    assert officer.post(page("terminate", paying), {"reason": "逾期未付款且未在补救期内补救"}).status_code == 302
    paying.refresh_from_db()
    assert paying.stage == LicensingStage.TERMINATED
    assert paying.licence_closure.amount_outstanding == Decimal("300000.00")
    company = paying.company
    company.refresh_from_db()
    assert company.credit_flagged_on == TODAY()
    assert AuditEvent.objects.filter(case_id=paying.pk, payload__change="credit_flag_set").exists()
    assert not paying.process.task_set.exclude(status="DONE").exclude(status="CANCELED").exists()
    # GUET's policy blocks a flagged company's next application.
    client = client_for("officer_guet")
    response = client.post(LicensingFlow.start.reverse("execute"), licence_driver.filing_data())
    assert response.status_code == 200 and "信用约束" in response.content.decode()


def test_paying_the_overdue_instalment_cures_the_breach(paying, client_for):
    due = paying.payment_dues.order_by("sequence").first()
    breach_day = due.due_on + datetime.timedelta(days=30)
    overdue_ladder_run(moment(breach_day))
    assert receipt(client_for("finance_guet"), due, "100000.00", TODAY()).status_code == 302
    paying.refresh_from_db()
    assert paying.stage == LicensingStage.PAYING
    assert paying.ladder_notices.get(kind=NoticeKind.BREACH).resolved_on is not None


def test_an_exit_before_the_trigger_costs_nothing(licensed_case, client_for):
    today = timezone.localdate()
    client = client_for("licensee_demo")
    early = {
        "notified_on": today.isoformat(),
        "effective_on": (today + datetime.timedelta(days=10)).isoformat(),
        "reason": "市场变化",
    }
    response = client.post(page("exit", licensed_case), early)
    assert response.status_code == 200 and "30" in response.content.decode()
    data = {**early, "effective_on": (today + datetime.timedelta(days=30)).isoformat()}
    assert client.post(page("exit", licensed_case), data).status_code == 302
    licensed_case.refresh_from_db()
    assert licensed_case.stage == LicensingStage.EXITED
    assert licensed_case.licence_closure.amount_outstanding == Decimal("0.00")
    assert not licensed_case.payment_dues.exists()


def test_an_exit_while_paying_keeps_what_fell_due_and_lapses_the_rest(paying, client_for):
    first, second, third = paying.payment_dues.order_by("sequence")
    data = {
        "notified_on": TODAY().isoformat(),
        "effective_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        "reason": "停止实施",
    }
    assert client_for("licensee_demo").post(page("exit", paying), data).status_code == 302
    statuses = list(paying.payment_dues.order_by("sequence").values_list("status", flat=True))
    assert statuses == [DueStatus.OPEN, DueStatus.WAIVED, DueStatus.WAIVED]
    paying.refresh_from_db()
    assert paying.licence_closure.amount_outstanding == first.amount


def test_a_licence_is_converted_to_a_paid_licence(licensed_case, client_for):
    assert client_for("licensee_demo").get(page("convert", licensed_case)).status_code == 403
    data = {"converted_to": "GUET-XK-HT-002 普通许可合同", "reason": "企业选择一次性买断"}
    assert client_for("officer_guet").post(page("convert", licensed_case), data).status_code == 302
    licensed_case.refresh_from_db()
    assert licensed_case.stage == LicensingStage.CONVERTED and licensed_case.licensing.converted_to.startswith(
        "GUET-XK-HT-002"
    )


def test_a_fully_paid_licence_is_completed(paying, client_for):
    finance, officer = client_for("finance_guet"), client_for("officer_guet")
    assert officer.post(page("complete", paying), {}).status_code == 200
    dues = list(paying.payment_dues.order_by("sequence"))
    for index, due in enumerate(dues):
        assert receipt(finance, due, str(due.amount), TODAY(), voucher=f"财收{index}").status_code == 302
    assert officer.post(page("complete", paying), {}).status_code == 302
    paying.refresh_from_db()
    assert paying.stage == LicensingStage.COMPLETED
    assert reconciliation(paying).outstanding == Decimal("0.00")
