"""纠错 orders (X2): created with the decision for every person whose determination lists correction
items, reminded before the deadline, verified by an officer, escalated when the deadline passes undone.
The case type's one scheduled sweep (setup.exemption_sweep) runs them with the register's acknowledgements."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case
from tolerance.notifications.services import notify
from tolerance.selectors.cases import cases_visible_to
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer
from workflows.exemption.determinations import version_rules
from workflows.exemption.investigation import determinations_current
from workflows.exemption.models import CorrectionOrder

CORRECTION_ORDERED = "exemption_correction_ordered"
CORRECTION_DUE = "exemption_correction_due"
CORRECTION_OVERDUE = "exemption_correction_overdue"
REGISTER_LINK = "/exemption-register/"


def corrections_record(*, case: Case, decision, actor) -> list[CorrectionOrder]:
    """Inside the issuing transaction: one order per person whose determination lists correction items.
    A determination confirmed without a due date takes the version's default period (calendar days)."""
    days = version_rules(case).get("correction_order_default_days")
    orders = [
        CorrectionOrder(
            case=case,
            decision=decision,
            subject=determination.subject,
            items=determination.correction_items,
            due=determination.correction_due or decision.issue_date + datetime.timedelta(days=days or 0),
        )
        for determination in determinations_current(case)
        if determination.correction_items.strip()
    ]
    CorrectionOrder.objects.bulk_create(orders)
    for order in orders:
        notify(
            recipients=[order.subject.user],
            kind=CORRECTION_ORDERED,
            event_key=f"exemption:correction:{decision.pk}:{order.subject_id}",
            title=lambda order=order: (
                _("Decision %(number)s orders a correction by %(due)s")
                % {"number": decision.document_number, "due": order.due.isoformat()}
            ),
            body=lambda order=order: order.items,
            link=REGISTER_LINK,
            case=case,
        )
    if orders:
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=actor,
            case=case,
            target=decision,
            payload={
                "change": "correction_orders",
                "orders": [
                    {"subject": o.subject.user.get_username(), "items": o.items, "due": o.due.isoformat()}
                    for o in orders
                ],
            },
        )
    return orders


def correction_verify(*, order: CorrectionOrder, verified_by, done_on: datetime.date, note: str) -> CorrectionOrder:
    """An officer of the institution records the correction as done and verified."""
    text_validate(note, label=_("verification note"), multiline=True, field="note")
    if not is_case_officer(verified_by, order.case):
        raise ValidationError(_("Only an officer of the institution can verify a correction."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("This date cannot be in the future.")})
    if done_on < order.decision.issue_date:
        raise ValidationError({"done_on": _("The correction cannot predate the decision that ordered it.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what was corrected and how it was checked.")})
    with transaction.atomic():
        order = CorrectionOrder.objects.select_for_update().get(pk=order.pk)
        if order.verified_at is not None:
            raise ValidationError(_("This correction has already been verified."))
        order.done_on, order.note = done_on, note
        order.verified_by, order.verified_at = verified_by, timezone.now()
        order.save(update_fields=["done_on", "note", "verified_by", "verified_at"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=verified_by,
            case=order.case,
            target=order,
            payload={
                "form": "correction_verification",
                "subject": order.subject.user.get_username(),
                "done_on": done_on.isoformat(),
                "on_time": done_on <= order.due,
                "note": note,
            },
        )
    return order


def corrections_sweep(now: datetime.datetime) -> int:
    """Remind the person before the deadline; escalate to the filing officer once it has passed undone.
    Each order is reminded and escalated at most once."""
    today = timezone.localdate(now)
    done = 0
    pending = CorrectionOrder.objects.filter(verified_at__isnull=True, escalated_at__isnull=True).select_related(
        "case__exemption__policy_version", "case__filed_by", "subject__user"
    )
    for order in pending:
        before = version_rules(order.case).get("correction_reminder_before_working_days", 0)
        with transaction.atomic():
            if order.reminded_at is None and before and add_working_days(today, before) >= order.due:
                notify(
                    recipients=[order.subject.user],
                    kind=CORRECTION_DUE,
                    event_key=f"exemption:correction_due:{order.pk}",
                    title=lambda order=order: (
                        _("Correction due by %(due)s: case %(case)s")
                        % {"due": order.due.isoformat(), "case": order.case.number}
                    ),
                    body=lambda order=order: order.items,
                    link=REGISTER_LINK,
                    case=order.case,
                )
                order.reminded_at = now
                order.save(update_fields=["reminded_at"])
                done += 1
            if today > order.due:
                notify(
                    recipients=[order.case.filed_by],
                    kind=CORRECTION_OVERDUE,
                    event_key=f"exemption:correction_overdue:{order.pk}",
                    title=lambda order=order: (
                        _("Correction overdue (due %(due)s): case %(case)s")
                        % {"due": order.due.isoformat(), "case": order.case.number}
                    ),
                    link=REGISTER_LINK,
                    case=order.case,
                )
                order.escalated_at = now
                order.save(update_fields=["escalated_at"])
                audit_record(
                    action=AuditAction.CASE_UPDATED,
                    actor=None,
                    case=order.case,
                    target=order,
                    payload={
                        "change": "correction_overdue",
                        "subject": order.subject.user.get_username(),
                        "due": order.due.isoformat(),
                    },
                )
                done += 1
    return done


def correction_orders_visible_to(user):
    return CorrectionOrder.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case", "decision", "subject__user__profile", "verified_by__profile"
    )
