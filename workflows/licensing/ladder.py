"""The overdue ladder and the reminders, as one idempotent sweep the project's scheduler runs daily.

For each open instalment: reminders at the policy's days before the due date (and on it), a demand for
payment (催款函) once it is the policy's days overdue, then a breach notice (违约通知书) with a cure
period in working days. Each step is written once (LadderNotice is unique per step), audited and sent.
Not cured by the end of the cure period, the officer may terminate (closure.licence_terminate)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case
from tolerance.notifications.services import notify
from tolerance.services.cases import case_stage_set
from tolerance.working_days import add_working_days
from workflows.licensing import letters
from workflows.licensing.ledger import DueStatus, LadderNotice, NoticeKind, PaymentDue
from workflows.licensing.models import LicensingDetails, LicensingPolicyVersion, LicensingStage
from workflows.licensing.notices import BREACH_NOTICE, PAYMENT_DEMAND, PAYMENT_REMINDER, RECORD_REMINDER
from workflows.licensing.payments import due_received
from workflows.licensing.policy import licensing_policy
from workflows.licensing.services import company_contacts


def _step(case, due, kind, step, today, *, cure_by=None):
    """Write the step once; returns it when new (the caller then announces it)."""
    notice, created = LadderNotice.objects.get_or_create(
        case=case, due=due, kind=kind, step=step, defaults={"issued_on": today, "cure_by": cure_by}
    )
    if not created:
        return None
    audit_record(
        action=AuditAction.NOTIFICATION_SENT,
        actor=None,
        case=case,
        target=notice,
        payload={
            "notice": kind,
            "step": step,
            "instalment": due.sequence if due else None,
            "amount": str(due.amount) if due else "",
            "due_on": due.due_on.isoformat() if due else "",
            "cure_by": cure_by.isoformat() if cure_by else "",
        },
    )
    return notice


def _instalment_steps(due: PaymentDue, today: datetime.date):
    case = due.case
    policy = licensing_policy(case)
    late = (today - due.due_on).days
    licensee = company_contacts(case.company)
    link = f"/cases/{case.pk}/"
    values = {"case": case.number, "n": due.sequence, "amount": due.amount, "due": due.due_on.isoformat()}
    for days in policy.payment_reminders_days:
        if today == due.due_on - datetime.timedelta(days=days):
            if _step(case, due, NoticeKind.REMINDER, f"-{days}", today):
                notify(
                    recipients=licensee,
                    kind=PAYMENT_REMINDER,
                    event_key=f"licensing:reminder:{due.pk}:{days}",
                    title=lambda: _("Instalment %(n)s of licence %(case)s: %(amount)s yuan due on %(due)s") % values,
                    link=link,
                    case=case,
                )
    demand = _step(case, due, NoticeKind.DEMAND, "demand", today) if late >= policy.demand_after_days else None
    if demand:
        demand.document = letters.demand_issue(case=case, due=due, today=today, received=due_received(due))
        demand.save(update_fields=["document"])
        notify(
            recipients=licensee + [case.filed_by],
            kind=PAYMENT_DEMAND,
            event_key=f"licensing:demand:{due.pk}",
            title=lambda: (
                _("Demand for payment: instalment %(n)s of licence %(case)s (%(amount)s yuan) is overdue") % values
            ),
            link=link,
            case=case,
        )
    if late >= policy.breach_notice_after_days:
        cure_by = add_working_days(today, policy.cure_working_days)
        notice = _step(case, due, NoticeKind.BREACH, "breach", today, cure_by=cure_by)
        if notice:
            overdue = due.amount - due_received(due)
            notice.document = letters.breach_issue(
                case=case,
                cure_by=cure_by,
                grounds_text=[
                    _("Instalment %(n)s of %(amount)s yuan, due on %(due)s, unpaid for %(days)s days")
                    % {**values, "days": late}
                ],
                overdue=overdue,
            )
            notice.save(update_fields=["document"])
            case_stage_set(case=case, stage=LicensingStage.BREACH, next_due=cure_by)
            notify(
                recipients=licensee + [case.filed_by],
                kind=BREACH_NOTICE,
                event_key=f"licensing:breach:{due.pk}",
                title=lambda: (
                    _("Breach notice: licence %(case)s must be cured by %(cure)s")
                    % {**values, "cure": cure_by.isoformat()}
                ),
                link=link,
                case=case,
            )


def _record_steps(details: LicensingDetails, today):
    case = details.case
    policy = licensing_policy(case)
    for days in policy.record_reminders_days:
        if today == details.record_due_on - datetime.timedelta(days=days):
            if _step(case, None, NoticeKind.RECORD_REMINDER, f"-{days}", today):
                notify(
                    recipients=[case.filed_by],
                    kind=RECORD_REMINDER,
                    event_key=f"licensing:record:{case.pk}:{days}",
                    title=lambda: (
                        _("Record licence contract %(case)s with CNIPA by %(due)s")
                        % {"case": case.number, "due": details.record_due_on.isoformat()}
                    ),
                    link=f"/cases/{case.pk}/",
                    case=case,
                )


def overdue_ladder_run(now: datetime.datetime) -> int:
    """One daily sweep; returns how many instalments it looked at."""
    today = timezone.localdate(now)
    dues = PaymentDue.objects.filter(
        status=DueStatus.OPEN,
        case__stage__in=(LicensingStage.PAYING, LicensingStage.BREACH),
        due_on__lte=today + datetime.timedelta(days=max_reminder_days()),
    ).select_related("case__company", "case__filed_by")
    count = 0
    for due in dues:
        with transaction.atomic():
            Case.objects.select_for_update().get(pk=due.case_id)
            _instalment_steps(due, today)
        count += 1
    pending = LicensingDetails.objects.filter(
        record_filed_on__isnull=True,
        record_due_on__isnull=False,
        case__stage__in=(LicensingStage.FREE_USE, LicensingStage.PAYING, LicensingStage.BREACH),
    ).select_related("case")
    for details in pending:
        with transaction.atomic():
            _record_steps(details, today)
    return count


def max_reminder_days() -> int:
    """How far ahead a sweep looks: the longest reminder of any policy version in use."""
    longest = 0
    for data in LicensingPolicyVersion.objects.values_list("data", flat=True):
        longest = max([longest, *data["payment_reminders_days"]])
    return longest
