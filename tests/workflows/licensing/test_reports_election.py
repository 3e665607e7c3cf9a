"""Through the pages: usage reports reminded at the policy's interval and missed reports reaching the
breach ladder (cured by filing them); the licensee's election after the trigger (an exit costs nothing);
the CNIPA record cancelled once the licence has ended; the related-party and amount approval paths."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.workflows.licensing.conftest import moment, pdf
from tests.workflows.licensing.test_payments import backdate, page, report
from tolerance.audit.models import AuditEvent
from tolerance.notifications.models import Notification
from workflows.licensing.ledger import DueStatus, NoticeKind
from workflows.licensing.models import LicensingStage
from workflows.licensing.payments import date_triggers_run, report_periods
from workflows.licensing.policy import licensing_policy
from workflows.licensing.reports import report_reminders_run

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def test_reports_are_reminded_and_two_missed_reports_bring_a_breach_cured_by_filing_them(licence_driver, client_for):
    case = backdate(licence_driver.granted(), days=200)
    details = case.licensing
    (n1, start1, end1, due1), (n2, _s2, end2, due2) = report_periods(details, licensing_policy(case), TODAY())[:2]
    assert due1 == end1 + datetime.timedelta(days=15) and due2 < TODAY()

    report_reminders_run(moment(due1 - 7 * DAY))
    report_reminders_run(moment(due1 - 7 * DAY))  # idempotent
    report_reminders_run(moment(due1))
    reminders = Notification.objects.filter(kind="licensing_report_reminder", recipient__username="licensee_demo")
    assert reminders.count() == 2
    report_reminders_run(moment(due1 + DAY))
    case.refresh_from_db()
    assert case.ladder_notices.filter(kind=NoticeKind.REPORT_MISSED).count() == 1
    assert case.stage == LicensingStage.FREE_USE  # one miss is only recorded

    report_reminders_run(moment(TODAY()))
    case.refresh_from_db()
    breach = case.ladder_notices.get(kind=NoticeKind.BREACH)
    assert case.stage == LicensingStage.BREACH and breach.due is None and breach.cure_by > TODAY()
    assert breach.document.kind == "licence_breach"

    licensee = client_for("licensee_demo")
    assert report(licensee, case, start=start1, end=end2, net_sales="12000.00").status_code == 302
    case.refresh_from_db()
    breach.refresh_from_db()
    assert case.stage == LicensingStage.FREE_USE and breach.resolved_on == TODAY()
    assert not case.ladder_notices.filter(kind=NoticeKind.REPORT_MISSED, resolved_on__isnull=True).exists()


def test_an_exit_elected_after_the_trigger_costs_nothing_and_the_cnipa_record_is_cancelled(licence_driver, client_for):
    trigger = TODAY() + datetime.timedelta(days=200)
    case = licence_driver.granted(
        payment_mode="lump", instalments="1", trigger_date=trigger.isoformat(), trigger_milestone=""
    )
    officer, licensee = client_for("officer_guet"), client_for("licensee_demo")
    record = {"filed_on": TODAY().isoformat(), "record_number": "2026450000123"}
    assert officer.post(page("cnipa", case), record).status_code == 302
    # No election before the trigger.
    response = licensee.post(page("elect", case), {"choice": "pay"})
    assert response.status_code == 200 and "付费条件尚未成就" in response.content.decode()

    assert date_triggers_run(moment(trigger)) == 1
    case.refresh_from_db()
    assert case.stage == LicensingStage.PAYING and case.licensing.election_due_on > trigger
    assert case.decisions.filter(kind="licence_payment").exists()
    early = {"choice": "exit", "exit_effective_on": (TODAY() + 10 * DAY).isoformat(), "note": "市场变化"}
    response = licensee.post(page("elect", case), early)
    assert response.status_code == 200 and "30" in response.content.decode()
    assert not hasattr(case, "licence_election") and case.stage == LicensingStage.PAYING
    data = {**early, "exit_effective_on": (TODAY() + 30 * DAY).isoformat()}
    assert licensee.post(page("elect", case), data).status_code == 302
    case.refresh_from_db()
    assert case.stage == LicensingStage.EXITED and case.licence_election.choice == "exit"
    assert case.licence_closure.amount_outstanding == Decimal("0.00")
    assert set(case.payment_dues.values_list("status", flat=True)) == {DueStatus.WAIVED}
    assert Notification.objects.filter(kind="licensing_record_cancel", recipient__username="officer_guet").exists()

    cancel = page("record_cancel", case)
    assert licensee.get(cancel).status_code == 403
    bad = officer.post(cancel, {"cancelled_on": (TODAY() - 5 * DAY).isoformat(), "reference": "注销2026-01"})
    assert bad.status_code == 200 and "注销日期应在备案日期与今天之间" in bad.content.decode()
    good = {"cancelled_on": TODAY().isoformat(), "reference": "注销2026-01"}
    assert officer.post(cancel, good).status_code == 302
    case.licensing.refresh_from_db()
    assert case.licensing.record_cancelled_on == TODAY()
    again = officer.post(cancel, good)
    assert again.status_code == 200 and "备案注销已登记" in again.content.decode()
    assert AuditEvent.objects.filter(case_id=case.pk, payload__form="licensing_record_cancelled").count() == 1


def approval(username, driver, case, **data):
    values = {"granted": "yes", "met_on": TODAY().isoformat(), "minutes_number": "党常〔2026〕12号"}
    values.update(data)
    return driver.act(username, case, "higher_approval", {**values, "minutes_file": pdf("会议纪要.pdf")})


def test_a_related_party_licence_is_disclosed_and_approved_by_the_higher_body(licence_driver):
    case = licence_driver.file()
    response = licence_driver.review(case, related_party="on", related_party_disclosure="")
    assert response.status_code == 200 and "请披露" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == LicensingStage.REVIEW and not case.licensing_reviews.exists()
    disclosure = "发明人张某的配偶持有被许可企业5%股份。"
    assert licence_driver.review(case, related_party="on", related_party_disclosure=disclosure).status_code == 302
    case.licensing.refresh_from_db()
    assert case.licensing.related_party and case.licensing.approval_body == "党委常委会"
    licence_driver.committee(case)
    case.refresh_from_db()
    assert case.stage != LicensingStage.PUBLICITY and licence_driver.task(case, "higher_approval") is not None
    assert approval("reviewer_guet", licence_driver, case, met_on=(TODAY() + DAY).isoformat()).status_code == 200
    assert approval("reviewer_guet", licence_driver, case).status_code == 302
    case.refresh_from_db()
    assert case.stage == LicensingStage.PUBLICITY and case.licensing.approval_minutes == "党常〔2026〕12号"


def test_a_fee_at_the_threshold_goes_to_the_higher_body_which_may_refuse(licence_driver):
    case = licence_driver.file(fee_total="8000000.00")
    assert licence_driver.review(case).status_code == 302
    case.licensing.refresh_from_db()
    assert not case.licensing.related_party and case.licensing.approval_body == "党委常委会"
    licence_driver.committee(case)
    assert approval("officer_guet", licence_driver, case, granted="no").status_code == 302
    case.refresh_from_db()
    assert case.stage == LicensingStage.REFUSED and not case.publicities.exists()
