"""External confirmation (F12): who needs it under the version's rule, recording it, and the check the
decision makes before it is issued."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, LeadershipLevel
from tolerance.text import text_validate
from workflows.access import is_case_officer
from workflows.exemption.determinations import case_subjects, subject_name, version_rules
from workflows.exemption.models import ConfirmationResult, ExternalConfirmation

# Lowest first: "at least 处级" includes 校级.
LEVELS = [LeadershipLevel.NONE, LeadershipLevel.SECTION, LeadershipLevel.DIVISION, LeadershipLevel.UNIVERSITY]


def confirmation_rule(case: Case) -> dict:
    return version_rules(case).get("external_confirmation", {})


def subjects_needing_confirmation(case: Case) -> list:
    """Leaders at or above the rule's level, and everyone when the loss reaches the rule's amount."""
    rule = confirmation_rule(case)
    if not rule:
        return []
    level = rule.get("leadership_at_least")
    amount = rule.get("loss_at_least")
    if amount is not None and case.exemption.loss_amount >= Decimal(amount):
        return case_subjects(case)
    return [
        link
        for link in case_subjects(case)
        if level
        and link.audience == "leader"
        and LEVELS.index(link.leadership_level or LeadershipLevel.NONE) >= LEVELS.index(level)
    ]


def confirmations_missing(case: Case) -> list:
    recorded = set(case.external_confirmations.values_list("subject_id", flat=True))
    return [link for link in subjects_needing_confirmation(case) if link.pk not in recorded]


def confirmation_check_before_issue(case: Case) -> None:
    """The decision is not final until every confirmation it needs is recorded."""
    if missing := confirmations_missing(case):
        raise ValidationError(
            _("The confirmation of %(body)s is not yet recorded for %(names)s.")
            % {
                "body": confirmation_rule(case).get("body", ""),
                "names": "、".join(subject_name(link) for link in missing),
            }
        )


def external_confirmation_record(
    *, case: Case, subject, recorded_by, ref_no: str, confirmed_on, result: str, note: str
) -> ExternalConfirmation:
    if not is_case_officer(recorded_by, case):
        raise ValidationError(_("Only an officer of the institution can record a confirmation."))
    if subject.pk not in {link.pk for link in subjects_needing_confirmation(case)}:
        raise ValidationError(_("This person's outcome needs no external confirmation."))
    text_validate(ref_no, label=_("reference number"), field="ref_no")
    text_validate(note, label=_("note"), multiline=True, field="note")
    if not ref_no.strip():
        raise ValidationError({"ref_no": _("Give the reference number of the confirmation.")})
    if result not in ConfirmationResult.values:
        raise ValidationError({"result": _("Choose one of the offered results.")})
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("This date cannot be in the future.")})
    if result != ConfirmationResult.CONFIRMED and not note.strip():
        raise ValidationError({"note": _("Say what the confirming body changed.")})
    with transaction.atomic():
        confirmation = ExternalConfirmation.objects.create(
            case=case,
            subject=subject,
            body=confirmation_rule(case).get("body", ""),
            ref_no=ref_no,
            confirmed_on=confirmed_on,
            result=result,
            note=note,
            recorded_by=recorded_by,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=confirmation,
            payload={
                "form": "external_confirmation",
                "subject": subject.user.get_username(),
                "body": confirmation.body,
                "ref_no": ref_no,
                "confirmed_on": confirmed_on.isoformat(),
                "result": result,
                "note": note,
            },
        )
    return confirmation
