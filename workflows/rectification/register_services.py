"""Writes of the register (台账): an approved activity recorded, extended within the rules, ended by a return."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.selectors.cases import user_institution_id
from tolerance.text import text_validate
from workflows.access import can_file
from workflows.rectification.policy import catalogue_current
from workflows.rectification.register import RegisterEntry, RegisterStatus


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _leave_rules(institution) -> dict:
    catalogue = catalogue_current(institution)
    if catalogue is None:
        raise ValidationError(_("No gap catalogue is in force for this institution; load one first."))
    return catalogue.setting("leave_rules")


def register_entry_add(
    *,
    recorded_by,
    person,
    kind: str,
    company_name: str,
    company_uscc: str,
    project: str,
    approval_document: str,
    approved_on,
    start_on,
    end_on,
) -> RegisterEntry:
    """Record an approved activity; its period is within the institution's initial maximum."""
    if not can_file(recorded_by):
        raise ValidationError(_("Only an officer records register entries."))
    institution = recorded_by.profile.institution
    if not roles.has_role(person, roles.RESEARCHER) or user_institution_id(person) != institution.pk:
        raise ValidationError({"person": _("Choose a researcher of your institution.")})
    for value, label, field in (
        (company_name, _("company"), "company_name"),
        (project, _("project"), "project"),
        (approval_document, _("approval document"), "approval_document"),
    ):
        text_validate(value, label=label, field=field)
    if not uscc.is_valid(company_uscc):
        raise ValidationError(
            {
                "company_uscc": _(
                    "This is not a valid unified social credit code (18 characters with its check character)."
                )
            }
        )
    if start_on < approved_on:
        raise ValidationError({"start_on": _("The period cannot start before it was approved.")})
    if end_on <= start_on:
        raise ValidationError({"end_on": _("The period must end after it starts.")})
    limit = _leave_rules(institution)["max_initial_years"]
    if end_on > _years_later(start_on, limit):
        raise ValidationError({"end_on": _("The approved period can be at most %(years)s years.") % {"years": limit}})
    with transaction.atomic():
        entry = RegisterEntry.objects.create(
            institution=institution,
            person=person,
            kind=kind,
            company_name=company_name,
            company_uscc=company_uscc.upper(),
            project=project,
            approval_document=approval_document,
            approved_on=approved_on,
            start_on=start_on,
            end_on=end_on,
            recorded_by=recorded_by,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            target=entry,
            payload={
                "form": "rectification_register",
                "person": person.get_username(),
                "kind": kind,
                "company": company_name,
                "start_on": start_on.isoformat(),
                "end_on": end_on.isoformat(),
            },
        )
    return entry


def register_extension_grant(*, entry: RegisterEntry, granted_by, until: datetime.date) -> RegisterEntry:
    """One extension (as configured) of at most the configured years, e.g. while the company is not yet profitable."""
    if not can_file(granted_by) or user_institution_id(granted_by) != entry.institution_id:
        raise ValidationError(_("Only an officer of the institution extends its register entries."))
    rules = _leave_rules(entry.institution)
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.extensions_used >= rules["max_extensions"]:
            raise ValidationError(_("The extensions allowed are used up; continuing needs a new approval."))
        if until <= entry.end_on or until > _years_later(entry.end_on, rules["max_extension_years"]):
            raise ValidationError(
                {
                    "until": _("An extension ends after the current end and at most %(years)s years later.")
                    % {"years": rules["max_extension_years"]}
                }
            )
        before = entry.end_on
        entry.end_on = until
        entry.extensions_used += 1
        if entry.status == RegisterStatus.OVERSTAYED:
            entry.status = RegisterStatus.ACTIVE
        entry.save(update_fields=["end_on", "extensions_used", "status"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=granted_by,
            target=entry,
            payload={"change": "register_extended", "before": before.isoformat(), "until": until.isoformat()},
        )
    return entry


def register_return(*, entry: RegisterEntry, recorded_by, returned_on: datetime.date) -> RegisterEntry:
    if not can_file(recorded_by) or user_institution_id(recorded_by) != entry.institution_id:
        raise ValidationError(_("Only an officer of the institution records a return."))
    if returned_on < entry.start_on:
        raise ValidationError({"returned_on": _("The return cannot predate the period.")})
    with transaction.atomic():
        entry.status = RegisterStatus.RETURNED
        entry.returned_on = returned_on
        entry.save(update_fields=["status", "returned_on"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=recorded_by,
            target=entry,
            payload={"change": "register_returned", "on": returned_on.isoformat()},
        )
    return entry
