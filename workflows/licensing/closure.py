"""How a licence ends: completed, exited, terminated for breach, converted to a paid licence — or not
granted by the committee. Ending a licence in force releases the flow's waiting `in_force` task."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Company
from tolerance.notifications.services import notify
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from workflows.access import is_case_officer
from workflows.licensing import letters
from workflows.licensing.ledger import DueStatus, LadderNotice, LicenceClosure, LicenceEnd, NoticeKind
from workflows.licensing.models import LicensingDetails, LicensingStage
from workflows.licensing.notices import LICENCE_ENDED, RECORD_CANCEL
from workflows.licensing.payments import ACTIVE_STAGES, is_company_contact, reconciliation
from workflows.licensing.policy import licensing_policy
from workflows.licensing.services import company_contacts
from workflows.selectors import open_tasks

IN_FORCE_NODE = "in_force"
END_STAGES = {
    LicenceEnd.COMPLETED: LicensingStage.COMPLETED,
    LicenceEnd.EXITED: LicensingStage.EXITED,
    LicenceEnd.TERMINATED: LicensingStage.TERMINATED,
    LicenceEnd.CONVERTED: LicensingStage.CONVERTED,
}


def licence_not_granted(*, case) -> None:
    with transaction.atomic():
        case_stage_set(case=case, stage=LicensingStage.REFUSED)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=case,
            payload={"change": "licence_not_granted"},
        )


def _end(*, case, ending, by, notified_on, effective_on, reason, outstanding) -> LicenceClosure:
    """Inside the flow lock: record the end, move the stage, release the waiting task."""
    task = open_tasks(case, IN_FORCE_NODE).filter(status=STATUS.NEW).first()
    if task is None or case.stage not in ACTIVE_STAGES:
        raise ValidationError(_("The licence is not in force."))
    closure = LicenceClosure.objects.create(
        case=case,
        ending=ending,
        notified_on=notified_on,
        effective_on=effective_on,
        reason=reason,
        amount_outstanding=outstanding,
        recorded_by=by,
    )
    case_stage_set(case=case, stage=END_STAGES[ending])
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=by,
        case=case,
        target=closure,
        payload={
            "change": f"licence_{ending}",
            "notified_on": notified_on.isoformat(),
            "effective_on": effective_on.isoformat(),
            "reason": reason,
            "amount_outstanding": str(outstanding),
        },
    )
    notify(
        recipients=company_contacts(case.company) + [case.filed_by],
        kind=LICENCE_ENDED,
        event_key=f"licensing:ended:{case.pk}",
        title=lambda: _("Licence %(case)s ended: %(how)s") % {"case": case.number, "how": LicenceEnd(ending).label},
        link=f"/cases/{case.pk}/",
        case=case,
    )
    details = case.licensing
    if details.record_filed_on and details.record_cancelled_on is None:
        notify(
            recipients=[case.filed_by],
            kind=RECORD_CANCEL,
            event_key=f"licensing:record_cancel:{case.pk}",
            title=lambda: (
                _("Change or cancel the CNIPA record %(record)s of licence %(case)s")
                % {"record": details.record_number, "case": case.number}
            ),
            link=f"/cases/{case.pk}/",
            case=case,
        )
    task.flow_task.run(task)
    return closure


def _locked(case):
    return case.process.flow_class.lock(case.process_id)


def _reason(reason):
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})


def licence_exit(*, case, by, notified_on, effective_on, reason, no_fee=False) -> LicenceClosure:
    """The licensee walks away as the terms allow: before the trigger no fee; after it, instalments due
    before the exit date stay due, later ones lapse, nothing paid is refunded. An exit elected within the
    election period after the trigger (`no_fee`) is an exit at the trigger: every open instalment lapses."""
    if not (is_company_contact(by, case) or is_case_officer(by, case)):
        raise ValidationError(_("Only the licensee's contacts or an officer can give notice of exit."))
    _reason(reason)
    policy = licensing_policy(case)
    if notified_on > timezone.localdate():
        raise ValidationError({"notified_on": _("The notice cannot be dated in the future.")})
    if effective_on < notified_on + datetime.timedelta(days=policy.exit_notice_days):
        raise ValidationError(
            {
                "effective_on": _("An exit takes effect at least %(days)s days after the notice.")
                % {"days": policy.exit_notice_days}
            }
        )
    with _locked(case), transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        lapsing = case.payment_dues.filter(status=DueStatus.OPEN)
        (lapsing if no_fee else lapsing.filter(due_on__gte=effective_on)).update(status=DueStatus.WAIVED)
        outstanding = reconciliation(case).outstanding
        return _end(
            case=case,
            ending=LicenceEnd.EXITED,
            by=by,
            notified_on=notified_on,
            effective_on=effective_on,
            reason=reason,
            outstanding=outstanding,
        )


def licence_convert(*, case, by, converted_to, reason) -> LicenceClosure:
    """The licensee takes an ordinary paid licence instead; the new contract supersedes these terms."""
    if not is_case_officer(by, case):
        raise ValidationError(_("Only an officer of the institution can convert a licence."))
    _reason(reason)
    text_validate(converted_to, label=_("new licence contract"), field="converted_to")
    if not converted_to.strip():
        raise ValidationError({"converted_to": _("Name the new licence contract.")})
    today = timezone.localdate()
    with _locked(case), transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        LicensingDetails.objects.filter(case=case).update(converted_to=converted_to.strip())
        outstanding = reconciliation(case).outstanding
        case.payment_dues.filter(status=DueStatus.OPEN).update(status=DueStatus.WAIVED)
        return _end(
            case=case,
            ending=LicenceEnd.CONVERTED,
            by=by,
            notified_on=today,
            effective_on=today,
            reason=reason,
            outstanding=outstanding,
        )


def licence_complete(*, case, by) -> LicenceClosure:
    """Everything scheduled has been paid: the licence is completed."""
    if not is_case_officer(by, case):
        raise ValidationError(_("Only an officer of the institution can complete a licence."))
    today = timezone.localdate()
    with _locked(case), transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        account = reconciliation(case)
        if not account.lines or account.outstanding > 0:
            raise ValidationError(_("The licence cannot be completed while fees are unpaid or not yet triggered."))
        return _end(
            case=case,
            ending=LicenceEnd.COMPLETED,
            by=by,
            notified_on=today,
            effective_on=today,
            reason=_("Every instalment has been received."),
            outstanding=Decimal("0.00"),
        )


def breach_uncured(case, today=None):
    """The breach notice whose cure period has run out without a cure, if any."""
    today = today or timezone.localdate()
    return LadderNotice.objects.filter(
        case=case, kind=NoticeKind.BREACH, resolved_on__isnull=True, cure_by__lt=today
    ).first()


def licence_terminate(*, case, by, reason) -> LicenceClosure:
    """After an uncured breach: end the licence and flag the licensee's credit (信用约束)."""
    if not is_case_officer(by, case):
        raise ValidationError(_("Only an officer of the institution can terminate a licence."))
    _reason(reason)
    today = timezone.localdate()
    with _locked(case), transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        notice = breach_uncured(case, today)
        if notice is None:
            raise ValidationError(
                _("A licence can be terminated only after a breach notice's cure period has ended uncured.")
            )
        outstanding = reconciliation(case).outstanding
        company = Company.objects.select_for_update().get(pk=case.company_id)
        company.credit_flagged_on = today
        company.credit_flag_reason = _("Licence %(case)s terminated for breach: %(reason)s") % {
            "case": case.number,
            "reason": reason,
        }
        company.save(update_fields=["credit_flagged_on", "credit_flag_reason"])
        letters.termination_issue(case=case, by=by, breach_notice=notice, outstanding=outstanding, reason=reason)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=by,
            case=case,
            target=company,
            payload={"change": "credit_flag_set", "uscc": company.uscc, "reason": company.credit_flag_reason},
        )
        return _end(
            case=case,
            ending=LicenceEnd.TERMINATED,
            by=by,
            notified_on=notice.issued_on,
            effective_on=today,
            reason=reason,
            outstanding=outstanding,
        )
