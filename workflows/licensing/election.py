"""After the trigger: the licensee's election (pay, exit without a fee, or convert) within the election
period — silence means the contract runs — and, once a licence has ended, the officer's record that its
CNIPA record was changed or cancelled."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.notifications.services import notify
from tolerance.text import text_validate
from workflows.access import is_case_officer
from workflows.licensing import closure
from workflows.licensing.ledger import ElectionChoice, LicenceElection
from workflows.licensing.models import LicensingDetails, LicensingStage
from workflows.licensing.notices import ELECTION
from workflows.licensing.payments import is_company_contact
from workflows.licensing.policy import licensing_policy

ENDED = (LicensingStage.COMPLETED, LicensingStage.EXITED, LicensingStage.TERMINATED, LicensingStage.CONVERTED)


def election_open_reason(case) -> str:
    """Why no election can be made now ("" when it can)."""
    details = case.licensing
    if case.stage != LicensingStage.PAYING or details.election_due_on is None:
        return _("No election is open: the payment trigger has not been reached.")
    if hasattr(case, "licence_election"):
        return _("The election has already been made.")
    if timezone.localdate() > details.election_due_on:
        return _("The election period ended on %(day)s; the contract runs.") % {"day": details.election_due_on}
    return ""


def election_record(*, case, by, choice, note="", exit_effective_on=None) -> LicenceElection:
    if not (is_company_contact(by, case) or is_case_officer(by, case)):
        raise ValidationError(_("Only the licensee's contacts or an officer can record the election."))
    text_validate(note, label=_("note"), multiline=True, field="note")
    if choice not in ElectionChoice.values:
        raise ValidationError({"choice": _("Choose pay, exit or convert.")})
    today = timezone.localdate()
    policy = licensing_policy(case)
    if choice == ElectionChoice.EXIT:
        earliest = today + datetime.timedelta(days=policy.exit_notice_days)
        if exit_effective_on is None or exit_effective_on < earliest:
            raise ValidationError(
                {
                    "exit_effective_on": _("An exit takes effect at least %(days)s days after the notice.")
                    % {"days": policy.exit_notice_days}
                }
            )
    with transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        reason = election_open_reason(case)
        if reason:
            raise ValidationError(reason)
        election = LicenceElection.objects.create(
            case=case, choice=choice, elected_on=today, note=note.strip(), elected_by=by
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=by,
            case=case,
            target=election,
            payload={"form": "licensing_election", "choice": choice, "note": election.note},
        )
        notify(
            recipients=[case.filed_by],
            kind=ELECTION,
            event_key=f"licensing:election:{case.pk}",
            title=lambda: (
                _("Licensee's election for %(case)s: %(choice)s")
                % {"case": case.number, "choice": ElectionChoice(choice).label}
            ),
            link=f"/cases/{case.pk}/",
            case=case,
        )
        if choice == ElectionChoice.EXIT:
            # An exit at the trigger: no fee falls due (the model's definition).
            closure.licence_exit(
                case=case,
                by=by,
                notified_on=today,
                effective_on=exit_effective_on,
                reason=note.strip() or str(ElectionChoice.EXIT.label),
                no_fee=True,
            )
    return election


def record_cancel(*, case, by, cancelled_on, reference) -> LicensingDetails:
    """The officer records that the CNIPA record of an ended licence was changed or cancelled."""
    if not is_case_officer(by, case):
        raise ValidationError(_("Only an officer of the institution can record this."))
    text_validate(reference, label=_("reference"), field="reference")
    if not reference.strip():
        raise ValidationError({"reference": _("Enter CNIPA's reference for the cancellation.")})
    with transaction.atomic():
        details = LicensingDetails.objects.select_for_update().get(case=case)
        if case.stage not in ENDED:
            raise ValidationError(_("The CNIPA record is cancelled once the licence has ended."))
        if details.record_filed_on is None:
            raise ValidationError(_("The contract was never recorded with CNIPA."))
        if details.record_cancelled_on is not None:
            raise ValidationError(_("The cancellation is already recorded."))
        if cancelled_on < details.record_filed_on or cancelled_on > timezone.localdate():
            raise ValidationError(
                {"cancelled_on": _("The cancellation date must be between the record's filing and today.")}
            )
        details.record_cancelled_on, details.record_cancel_reference = cancelled_on, reference.strip()
        details.save(update_fields=["record_cancelled_on", "record_cancel_reference"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=by,
            case=case,
            target=details,
            payload={
                "form": "licensing_record_cancelled",
                "cancelled_on": cancelled_on.isoformat(),
                "reference": details.record_cancel_reference,
            },
        )
    return details
