"""Once the licence is in force: usage reports, the payment trigger, the schedule, receipts and their
reconciliation. Money is Decimal yuan with two places; nothing here rounds except the split of a fee into
instalments, where the last instalment takes the remaining fen so the schedule sums to the fee exactly."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType, Department
from tolerance.notifications.services import notify
from tolerance.selectors.departments import department_contacts
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer
from workflows.licensing import letters
from workflows.licensing.ledger import (
    DueStatus,
    LadderNotice,
    NoticeKind,
    PaymentDue,
    Receipt,
    TriggerEvent,
    TriggerKind,
    UsageReport,
)
from workflows.licensing.models import LicensingDetails, LicensingStage, PaymentMode, TriggerMode
from workflows.licensing.notices import PAYMENT_NOTICE
from workflows.licensing.policy import licensing_policy
from workflows.licensing.services import CENT, add_months, company_contacts

ACTIVE_STAGES = (LicensingStage.FREE_USE, LicensingStage.PAYING, LicensingStage.BREACH)


def is_company_contact(user, case) -> bool:
    return case.company_id is not None and case.company.contacts.filter(user_id=user.pk, is_active=True).exists()


def is_finance_contact(user, case) -> bool:
    return department_contacts(case.institution, Department.FINANCE).filter(pk=user.pk).exists()


def _case_link(case) -> str:
    return f"/cases/{case.pk}/"


# Usage reports ---------------------------------------------------------------------------------------


def report_submit(*, case, submitted_by, period_start, period_end, units, net_sales, milestone, note, evidence=None):
    """The licensee's report on a finished period (an officer may file one received on paper)."""
    if not (is_company_contact(submitted_by, case) or is_case_officer(submitted_by, case)):
        raise ValidationError(_("Only the licensee's contacts or an officer can file a usage report."))
    if case.stage not in ACTIVE_STAGES:
        raise ValidationError(_("Usage reports are filed while the licence is in force."))
    text_validate(note, label=_("progress and problems"), multiline=True, field="note")
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end on or after its first day.")})
    if period_end > timezone.localdate():
        raise ValidationError(
            {"period_end": _("A report covers a period that has ended; this one ends in the future.")}
        )
    details = case.licensing
    if period_start < (details.contract_effective_on or details.start_on):
        raise ValidationError({"period_start": _("The period starts before the licence took effect.")})
    if net_sales < 0 or net_sales != net_sales.quantize(CENT):
        raise ValidationError({"net_sales": _("Enter net sales in yuan with at most two decimal places.")})
    if milestone and milestone not in licensing_policy(case).milestone_codes:
        raise ValidationError({"milestone": _("This milestone is not one the policy lists.")})
    with transaction.atomic():
        if UsageReport.objects.filter(case=case, period_start__lte=period_end, period_end__gte=period_start).exists():
            raise ValidationError({"period_start": _("A report for an overlapping period has already been filed.")})
        attachment = (
            attachment_add(case=case, uploaded_by=submitted_by, uploaded=evidence, category="licensing_report")
            if evidence is not None
            else None
        )
        report = UsageReport.objects.create(
            case=case,
            period_start=period_start,
            period_end=period_end,
            units=units,
            net_sales=net_sales,
            milestone=milestone,
            note=note,
            evidence=attachment,
            submitted_by=submitted_by,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=submitted_by,
            case=case,
            target=report,
            payload={
                "form": "licensing_usage_report",
                "period": [period_start.isoformat(), period_end.isoformat()],
                "units": units,
                "net_sales": str(net_sales),
                "milestone": milestone,
            },
        )
        report_filed(case)
    return report


def report_accept(*, case, report: UsageReport, accepted_by) -> UsageReport:
    """An officer accepts a report: a milestone it evidences and net sales passing the threshold are
    trigger conditions; after the trigger, a royalty falls due on its net sales."""
    if not is_case_officer(accepted_by, case):
        raise ValidationError(_("Only an officer of the institution can accept a report."))
    with transaction.atomic():
        report = UsageReport.objects.select_for_update().get(pk=report.pk, case=case)
        if report.accepted_at is not None:
            raise ValidationError(_("This report has already been accepted."))
        details = case.licensing
        if report.milestone and report.milestone == details.trigger_milestone and report.evidence_id is None:
            raise ValidationError(_("A milestone is confirmed only on evidence: the report has no supporting file."))
        report.accepted_by, report.accepted_at = accepted_by, timezone.now()
        report.save(update_fields=["accepted_by", "accepted_at"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=accepted_by,
            case=case,
            target=report,
            payload={"form": "licensing_report_accepted", "net_sales": str(report.net_sales)},
        )
        already_triggered = case.stage in (LicensingStage.PAYING, LicensingStage.BREACH)
        if report.milestone and report.milestone == details.trigger_milestone:
            _condition_met(case, TriggerKind.MILESTONE, report.period_end, f"report {report.pk}", accepted_by)
        if details.trigger_revenue is not None:
            total = case.usage_reports.filter(accepted_at__isnull=False).aggregate(s=Sum("net_sales"))["s"]
            if total >= details.trigger_revenue:
                _condition_met(case, TriggerKind.REVENUE, report.period_end, f"report {report.pk}", accepted_by)
        trigger_evaluate(case=case, on=report.period_end, actor=accepted_by)
        if details.payment_mode == PaymentMode.ROYALTY and already_triggered:
            _royalty_due(case, report)
    return report


def report_periods(
    details, policy, until: datetime.date
) -> list[tuple[int, datetime.date, datetime.date, datetime.date]]:
    """(number, first day, last day, due date) of each reporting period that has ended by `until`."""
    periods = []
    number = 1
    while True:
        start = add_months(details.contract_effective_on, (number - 1) * policy.report_interval_months)
        end = add_months(details.contract_effective_on, number * policy.report_interval_months) - datetime.timedelta(
            days=1
        )
        if end > min(until, details.end_on):
            return periods
        periods.append((number, start, end, end + datetime.timedelta(days=policy.report_due_days)))
        number += 1


def reported(case, end) -> bool:
    return case.usage_reports.filter(period_start__lte=end, period_end__gte=end).exists()


def report_filed(case, today=None) -> None:
    """A report filed: the missed periods it covers are resolved, and once every missed period is filed
    within the cure period the breach for missed reports is resolved too. In the filing's transaction."""
    today = today or timezone.localdate()
    details = case.licensing
    policy = licensing_policy(case)
    ends = {number: end for number, _start, end, _due in report_periods(details, policy, today)}
    for notice in LadderNotice.objects.filter(case=case, kind=NoticeKind.REPORT_MISSED, resolved_on__isnull=True):
        end = ends.get(int(notice.step))
        if end is not None and reported(case, end):
            notice.resolved_on = today
            notice.save(update_fields=["resolved_on"])
    if LadderNotice.objects.filter(case=case, kind=NoticeKind.REPORT_MISSED, resolved_on__isnull=True).exists():
        return
    breach = LadderNotice.objects.filter(
        case=case, kind=NoticeKind.BREACH, due__isnull=True, resolved_on__isnull=True, cure_by__gte=today
    )
    if breach.update(resolved_on=today):
        breach_lift(case)


# Triggers and the schedule ----------------------------------------------------------------------------


def _condition_met(case, kind, on, evidence, actor):
    event, created = TriggerEvent.objects.get_or_create(
        case=case, kind=kind, defaults={"occurred_on": on, "evidence": evidence, "recorded_by": actor}
    )
    if created:
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=actor,
            case=case,
            target=event,
            payload={"change": "licensing_trigger_condition", "kind": kind, "on": on.isoformat()},
        )


def trigger_conditions(details: LicensingDetails) -> set[str]:
    wanted = set()
    if details.trigger_date:
        wanted.add(TriggerKind.DATE)
    if details.trigger_milestone:
        wanted.add(TriggerKind.MILESTONE)
    if details.trigger_revenue is not None:
        wanted.add(TriggerKind.REVENUE)
    return wanted


def trigger_evaluate(*, case, on: datetime.date, actor=None) -> bool:
    """Fire the trigger when the case's conditions are met (the earliest, or all): arm the schedule, move
    the case to paying and send the payment notice. Inside the caller's transaction; idempotent."""
    details = case.licensing
    if case.stage != LicensingStage.FREE_USE:
        return False
    wanted = trigger_conditions(details)
    met = set(case.trigger_events.values_list("kind", flat=True))
    fired = bool(met & wanted) if details.trigger_mode == TriggerMode.ANY_OF else wanted <= met
    if not fired:
        return False
    policy = licensing_policy(case)
    first_due = on + datetime.timedelta(days=policy.pay_within_days)  # calendar days, as the contract counts
    dues = []
    if details.payment_mode == PaymentMode.LUMP:
        dues = [(details.fee_total, first_due)]
    elif details.payment_mode == PaymentMode.STAGED:
        share = (details.fee_total / details.instalments).quantize(CENT, rounding=ROUND_DOWN)
        amounts = [share] * (details.instalments - 1) + [details.fee_total - share * (details.instalments - 1)]
        dues = [
            (amount, add_months(first_due, k * policy.instalment_interval_months)) for k, amount in enumerate(amounts)
        ]
    for sequence, (amount, due_on) in enumerate(dues, start=1):
        PaymentDue.objects.create(
            case=case,
            sequence=sequence,
            basis=_("Licence fee, instalment %(n)s of %(count)s") % {"n": sequence, "count": len(dues)},
            amount=amount,
            due_on=due_on,
        )
    if policy.election_working_days is not None:
        # Counted from when the licensee can know of the trigger (a milestone may be confirmed late).
        details.election_due_on = add_working_days(max(on, timezone.localdate()), policy.election_working_days)
        details.save(update_fields=["election_due_on"])
    case_stage_set(case=case, stage=LicensingStage.PAYING, next_due=dues[0][1] if dues else None)
    created = list(case.payment_dues.order_by("sequence"))
    if created:
        letters.payment_notice_issue(case=case, dues=created, on=on)
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=actor,
        case=case,
        target=details,
        payload={
            "change": "licensing_triggered",
            "on": on.isoformat(),
            "conditions": sorted(met),
            "schedule": [[str(amount), due_on.isoformat()] for amount, due_on in dues],
            "election_due_on": details.election_due_on.isoformat() if details.election_due_on else "",
        },
    )
    recipients = (
        company_contacts(case.company)
        + [case.filed_by]
        + list(department_contacts(case.institution, Department.FINANCE))
    )
    notify(
        recipients=recipients,
        kind=PAYMENT_NOTICE,
        event_key=f"licensing:triggered:{case.pk}",
        title=lambda: _("Payment triggered for licence %(case)s") % {"case": case.number},
        body=lambda: (
            _("The payment condition was met on %(on)s; see the payment schedule.") % {"on": on.isoformat()}
            + (
                " " + _("Elect to pay, exit or convert by %(day)s.") % {"day": details.election_due_on}
                if details.election_due_on
                else ""
            )
        ),
        link=_case_link(case),
        case=case,
    )
    return True


def _royalty_due(case, report):
    details = case.licensing
    billed = case.payment_dues.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    amount = min(
        (report.net_sales * details.royalty_percent / 100).quantize(CENT, rounding=ROUND_DOWN),
        details.fee_total - billed,
    )
    if amount <= 0:
        return None
    due_on = report.period_end + datetime.timedelta(days=licensing_policy(case).pay_within_days)
    sequence = case.payment_dues.count() + 1
    due = PaymentDue.objects.create(
        case=case,
        sequence=sequence,
        basis=_("Royalty on net sales %(from)s–%(to)s") % {"from": report.period_start, "to": report.period_end},
        amount=amount,
        due_on=due_on,
    )
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=None,
        case=case,
        target=due,
        payload={"change": "licensing_royalty_due", "amount": str(amount), "due_on": due_on.isoformat()},
    )
    return due


def date_triggers_run(now: datetime.datetime) -> int:
    """The scheduler's sweep: a licence whose agreed trigger date has come records it and may fire."""
    today = timezone.localdate(now)
    fired = 0
    waiting = Case.objects.filter(
        case_type=CaseType.PAY_AFTER_USE, stage=LicensingStage.FREE_USE, licensing__trigger_date__lte=today
    ).exclude(trigger_events__kind=TriggerKind.DATE)
    for case in waiting:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case.pk)
            _condition_met(case, TriggerKind.DATE, case.licensing.trigger_date, "timer", None)
            fired += trigger_evaluate(case=case, on=case.licensing.trigger_date)
    return fired


def breach_lift(case) -> None:
    """Back from breach once no breach notice is open: paying if anything fell due, else the free use."""
    if LadderNotice.objects.filter(case=case, kind=NoticeKind.BREACH, resolved_on__isnull=True).exists():
        return
    next_open = case.payment_dues.filter(status=DueStatus.OPEN).order_by("due_on").first()
    stage = LicensingStage.PAYING if case.payment_dues.exists() else LicensingStage.FREE_USE
    case_stage_set(case=case, stage=stage, next_due=next_open.due_on if next_open else None)


# Receipts and reconciliation --------------------------------------------------------------------------


def receipts_effective(due: PaymentDue):
    """The receipts that count: those no later receipt has corrected."""
    return due.receipts.filter(corrected_by__isnull=True)


def due_received(due: PaymentDue) -> Decimal:
    return receipts_effective(due).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


def receipt_record(
    *, due: PaymentDue, recorded_by, amount, received_on, voucher_number, corrects=None, correction_reason=""
) -> Receipt:
    """Finance records money received. A mistake is corrected by a new receipt naming the one it corrects
    (with a reason); the corrected one stays as it was and no longer counts."""
    case = due.case
    if not is_finance_contact(recorded_by, case):
        raise ValidationError(_("Only the finance office of the institution can record receipts."))
    text_validate(voucher_number, label=_("voucher number"), field="voucher_number")
    text_validate(correction_reason, label=_("reason for the correction"), multiline=True, field="correction_reason")
    if not voucher_number.strip():
        raise ValidationError({"voucher_number": _("Enter the voucher number.")})
    if amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("Enter a positive amount in yuan with at most two decimal places.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Money cannot be received in the future.")})
    if corrects is not None and not correction_reason.strip():
        raise ValidationError({"correction_reason": _("Give the reason for the correction.")})
    with transaction.atomic():
        due = PaymentDue.objects.select_for_update().get(pk=due.pk)
        if due.status == DueStatus.WAIVED:
            raise ValidationError({"due": _("This instalment lapsed when the licence ended.")})
        if corrects is not None:
            corrects = Receipt.objects.select_for_update().get(pk=corrects.pk)
            if corrects.due_id != due.pk:
                raise ValidationError({"corrects": _("A correction must be recorded against the same instalment.")})
            if Receipt.objects.filter(corrects=corrects).exists():
                raise ValidationError({"corrects": _("This receipt has already been corrected.")})
        receipt = Receipt.objects.create(
            due=due,
            amount=amount,
            received_on=received_on,
            voucher_number=voucher_number.strip(),
            corrects=corrects,
            correction_reason=correction_reason,
            recorded_by=recorded_by,
        )
        received = due_received(due)
        due.status = DueStatus.PAID if received >= due.amount else DueStatus.OPEN
        due.save(update_fields=["status"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=receipt,
            payload={
                "form": "licensing_receipt",
                "instalment": due.sequence,
                "amount": str(amount),
                "received_on": received_on.isoformat(),
                "voucher": receipt.voucher_number,
                "corrects": corrects.pk if corrects else None,
                "reason": correction_reason,
                "instalment_received": str(received),
            },
        )
        breach_cure_check(case=case, actor=recorded_by)
    return receipt


@dataclass(frozen=True)
class Reconciliation:
    scheduled: Decimal
    received: Decimal
    outstanding: Decimal
    overdue: Decimal
    lines: list


def reconciliation(case, *, on=None) -> Reconciliation:
    """The schedule against the money received, instalment by instalment (lapsed ones excluded)."""
    on = on or timezone.localdate()
    lines = []
    for due in case.payment_dues.exclude(status=DueStatus.WAIVED).order_by("sequence"):
        received = due_received(due)
        lines.append((due, received, max(due.amount - received, Decimal("0.00"))))
    scheduled = sum((due.amount for due, _r, _o in lines), Decimal("0.00"))
    received = sum((r for _d, r, _o in lines), Decimal("0.00"))
    outstanding = sum((o for _d, _r, o in lines), Decimal("0.00"))
    overdue = sum((o for d, _r, o in lines if d.due_on < on), Decimal("0.00"))
    return Reconciliation(scheduled=scheduled, received=received, outstanding=outstanding, overdue=overdue, lines=lines)


def breach_cure_check(*, case, actor=None) -> bool:
    """A payment breach is cured once nothing is overdue: its notices are resolved, and the case pays on
    unless a breach for missed reports is still open."""
    case.refresh_from_db(fields=["stage"])
    if case.stage != LicensingStage.BREACH or reconciliation(case).overdue > 0:
        return False
    today = timezone.localdate()
    open_notices = LadderNotice.objects.filter(
        case=case, kind=NoticeKind.BREACH, resolved_on__isnull=True, due__isnull=False
    )
    cured = [notice.pk for notice in open_notices]
    if not cured:
        return False
    open_notices.update(resolved_on=today)
    breach_lift(case)
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=actor,
        case=case,
        target=case,
        payload={"change": "licensing_breach_cured", "notices": cured, "on": today.isoformat()},
    )
    return True
