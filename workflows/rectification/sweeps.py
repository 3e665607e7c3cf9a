"""The daily sweeps, run by the project's scheduler (tolerance.scheduling): item reminders, overdue items and
their escalation, the register's expiry reminders and the case an overstay opens.

Each is idempotent: a reminder is one notification per event key, an overdue item is marked once, an
overstay opens at most one case per register row and end date. Each reminder sent is also an audit event
carrying its nominal date. A suspended case (中止) is at its own stage, which no sweep selects, so it gets
no reminder and no deadline of it acts.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Department
from tolerance.notifications.services import notify
from tolerance.selectors.departments import department_contacts
from tolerance.working_days import add_working_days
from workflows.driver import flow_start
from workflows.rectification import intake, notices, services
from workflows.rectification import items as item_services
from workflows.rectification.flow import RectificationFlow
from workflows.rectification.models import (
    AcceptanceResult,
    AcceptanceReview,
    ActivityKind,
    ItemStatus,
    LeadSource,
    Origin,
    RectificationDetails,
    RectificationItem,
    RectificationStage,
)
from workflows.rectification.policy import catalogue_current
from workflows.rectification.register import RegisterEntry, RegisterKind, RegisterStatus

ACTIVITY_OF = {
    RegisterKind.LEAVE: ActivityKind.LEAVE,
    RegisterKind.PART_TIME: ActivityKind.PART_TIME,
    RegisterKind.OWN_VENTURE: ActivityKind.OWN_VENTURE,
    RegisterKind.SECONDMENT: ActivityKind.PART_TIME,
}


def _sent(*, written, case=None, target, payload) -> None:
    if written:
        audit_record(action=AuditAction.NOTIFICATION_SENT, actor=None, case=case, target=target, payload=payload)


def _reminder_due(today, due_on, days_before: list[int], *, working: bool):
    """The smallest configured lead time we are now within, so a missed sweep sends one reminder, not all."""
    if today > due_on:
        return None
    within = [
        days
        for days in days_before
        if (add_working_days(today, days) if working else today + datetime.timedelta(days=days)) >= due_on
    ]
    return min(within) if within else None


def item_deadlines_sweep(now) -> None:
    today = timezone.localdate(now)
    waiting = (
        RectificationItem.objects.filter(
            case__stage=RectificationStage.RECTIFYING, status__in=[ItemStatus.OPEN, ItemStatus.RETURNED]
        )
        .select_related("case__institution", "case__rectification__catalogue", "gap")
        .order_by("due_on", "pk")
    )
    for item in waiting:
        catalogue = item.case.rectification.catalogue
        grace = catalogue.setting("overdue_grace_working_days")
        if today > add_working_days(item.due_on, grace):
            item_services.item_fail_overdue(item=item, today=today)
        elif today > item.due_on:
            _item_overdue(item, today)
        else:
            lead = _reminder_due(today, item.due_on, catalogue.setting("item_reminders_working_days"), working=True)
            if lead is not None:
                _item_reminder(item, lead)


def _item_reminder(item, lead: int) -> None:
    case = item.case
    with transaction.atomic():
        written = notify(
            recipients=notices.subjects_of(case),
            kind=notices.ITEM_DUE,
            event_key=f"rectification:item:{item.pk}:due:{item.due_on}:{lead}",
            title=lambda: (
                _("Item %(code)s of case %(case)s is due on %(date)s")
                % {"code": item.gap.code, "case": case.number, "date": item.due_on}
            ),
            body=lambda: item.evidence_required,
            link=notices.case_link(case),
            case=case,
        )
        _sent(
            written=written,
            case=case,
            target=item,
            payload={
                "reminder": "item_due",
                "item": item.gap.code,
                "due_on": item.due_on.isoformat(),
                "lead_working_days": lead,
            },
        )


def _item_overdue(item, today) -> None:
    case = item.case
    with transaction.atomic():
        if item.overdue_since is None:
            item.overdue_since = today
            item.save(update_fields=["overdue_since"])
        written = notify(
            recipients=[*notices.subjects_of(case), *notices.officers_of(case.institution)],
            kind=notices.ITEM_OVERDUE,
            event_key=f"rectification:item:{item.pk}:overdue:{item.due_on}",
            title=lambda: (
                _("Item %(code)s of case %(case)s is overdue since %(date)s")
                % {"code": item.gap.code, "case": case.number, "date": item.due_on}
            ),
            body=lambda: item.remedy,
            link=notices.case_link(case),
            case=case,
        )
        _sent(
            written=written,
            case=case,
            target=item,
            payload={
                "reminder": "item_overdue",
                "item": item.gap.code,
                "due_on": item.due_on.isoformat(),
                "on": today.isoformat(),
            },
        )


def supplement_sweep(now) -> None:
    """A reminder before the supplement deadline, then its consequence the day after (intake)."""
    today = timezone.localdate(now)
    waiting = (
        AcceptanceReview.objects.filter(
            case__stage=RectificationStage.SUPPLEMENT,
            result=AcceptanceResult.SUPPLEMENT,
            supplied_at__isnull=True,
            expired_at__isnull=True,
        )
        .select_related("case__institution", "case__rectification__catalogue", "case__process")
        .order_by("supplement_due", "pk")
    )
    for review in waiting:
        if today > review.supplement_due:
            intake.supplement_expire(review=review, today=today)
            continue
        catalogue = review.case.rectification.catalogue
        lead = _reminder_due(
            today, review.supplement_due, [catalogue.setting("supplement_reminder_working_days")], working=True
        )
        if lead is not None:
            _supplement_reminder(review, lead)


def _supplement_reminder(review, lead: int) -> None:
    case = review.case
    with transaction.atomic():
        written = notify(
            recipients=notices.subjects_of(case),
            kind=notices.SUPPLEMENT_DUE,
            event_key=f"rectification:supplement:{review.pk}:due:{review.supplement_due}:{lead}",
            title=lambda: (
                _("Supply the materials for case %(case)s by %(date)s")
                % {"case": case.number, "date": review.supplement_due}
            ),
            body=lambda: review.reason,
            link=notices.case_link(case),
            case=case,
        )
        _sent(
            written=written,
            case=case,
            target=review,
            payload={
                "reminder": "supplement_due",
                "due_on": review.supplement_due.isoformat(),
                "lead_working_days": lead,
            },
        )


def register_expiry_sweep(now) -> None:
    today = timezone.localdate(now)
    entries = RegisterEntry.objects.filter(status=RegisterStatus.ACTIVE).select_related(
        "institution", "person", "recorded_by"
    )
    for entry in entries.order_by("end_on", "pk"):
        rules = catalogue_current(entry.institution).setting("leave_rules")
        if today > entry.end_on:
            if rules["overstay_opens_case"]:
                _overstay(entry, today, rules["overstay_gap"])
            continue
        lead = _reminder_due(today, entry.end_on, rules["expiry_reminders_days"], working=False)
        if lead is not None:
            _expiry_reminder(entry, lead)


def _register_recipients(entry):
    return [entry.person, entry.recorded_by, *department_contacts(entry.institution, Department.HR)]


def _expiry_reminder(entry, lead: int) -> None:
    with transaction.atomic():
        written = notify(
            recipients=_register_recipients(entry),
            kind=notices.REGISTER_EXPIRY,
            event_key=f"rectification:register:{entry.pk}:expiry:{entry.end_on}:{lead}",
            title=lambda: (
                _("The approved %(kind)s of %(person)s ends on %(date)s")
                % {"kind": entry.get_kind_display(), "person": entry.person.profile.real_name, "date": entry.end_on}
            ),
            body=lambda: _("Apply to return or for an extension before the end of the period."),
            link="",
        )
        _sent(
            written=written,
            target=entry,
            payload={"reminder": "register_expiry", "end_on": entry.end_on.isoformat(), "lead_days": lead},
        )


def _overstay(entry, today, gap_code: str):
    """The day after the period ends with no return and no extension: mark the row and open a case (once)."""
    if RectificationDetails.objects.filter(register_entry=entry, declared_on__gt=entry.end_on).exists():
        return None
    with translation.override(settings.LANGUAGE_CODE):
        declaration = services.Declaration(
            title=_("Overstay: %(person)s, %(company)s")
            % {"person": entry.person.profile.real_name, "company": entry.company_name},
            activity_kind=ACTIVITY_OF[entry.kind],
            company_name=entry.company_name,
            company_uscc=entry.company_uscc,
            role=entry.get_kind_display(),
            equity_percent=Decimal(0),
            started_on=entry.start_on,
            ended_on=entry.end_on,
            account=_("The approved %(kind)s (%(document)s) ended on %(date)s with no return and no extension.")
            % {"kind": entry.get_kind_display(), "document": entry.approval_document, "date": entry.end_on},
            lead_source=LeadSource.REGISTER_OVERSTAY,
            declared_on=today,
        )
    officer = entry.recorded_by
    with transaction.atomic():
        case = flow_start(
            RectificationFlow,
            officer,
            lambda process: services.rectification_file(
                process=process,
                institution=entry.institution,
                filed_by=officer,
                subject=entry.person,
                declaration=declaration,
                origin=Origin.REGISTER_OVERSTAY,
                register_entry=entry,
                prefilled_gap=gap_code,
            ),
        )
        entry.status = RegisterStatus.OVERSTAYED
        entry.save(update_fields=["status"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=entry,
            payload={"change": "register_overstayed", "end_on": entry.end_on.isoformat(), "case": case.number},
        )
        notify(
            recipients=_register_recipients(entry),
            kind=notices.REGISTER_OVERSTAY,
            event_key=f"rectification:register:{entry.pk}:overstay:{entry.end_on}",
            title=lambda: (
                _("Overstay of %(person)s: case %(case)s opened")
                % {"person": entry.person.profile.real_name, "case": case.number}
            ),
            body=lambda: declaration.account,
            link=notices.case_link(case),
            case=case,
        )
    return case
