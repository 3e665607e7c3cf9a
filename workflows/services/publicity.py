"""Publicity (公示) and objections, shared by every case type."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseStage
from tolerance.services.cases import case_stage_set
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer, may_object
from workflows.models import Objection, ObjectionRuling, Publicity


def publicity_current(case: Case) -> Publicity | None:
    return case.publicities.order_by("-id").first()


def publicity_end_moment(publicity: Publicity) -> datetime.datetime:
    """Publicity runs through its last day; it ends at midnight after it, local time."""
    return timezone.make_aware(
        datetime.datetime.combine(publicity.ends_on + datetime.timedelta(days=1), datetime.time())
    )


def publicity_open(*, case: Case, notice_text: str, opened_by=None) -> Publicity:
    institution = case.institution
    starts_on = timezone.localdate()
    with transaction.atomic():
        publicity = Publicity.objects.create(
            case=case,
            notice_text=notice_text,
            starts_on=starts_on,
            ends_on=add_working_days(starts_on, institution.publicity_working_days),
            objections_until=add_working_days(
                starts_on, min(institution.objection_working_days, institution.publicity_working_days)
            ),
        )
        case_stage_set(
            case=case,
            stage=CaseStage.PUBLICITY,
            next_due=publicity.ends_on,
        )
        audit_record(
            action=AuditAction.PUBLICITY_OPENED,
            actor=opened_by,
            case=case,
            target=publicity,
            payload={
                "starts_on": starts_on.isoformat(),
                "ends_on": publicity.ends_on.isoformat(),
                "objections_until": publicity.objections_until.isoformat(),
                "notice": notice_text,
            },
        )
    return publicity


def publicity_close(*, case: Case) -> Publicity:
    """Called by the timer when the period is over."""
    with transaction.atomic():
        publicity = Publicity.objects.select_for_update().get(pk=publicity_current(case).pk)
        publicity.closed_at = timezone.now()
        publicity.save(update_fields=["closed_at"])
        pending = publicity.objections.count()
        if pending:
            case_stage_set(case=case, stage=CaseStage.OBJECTION_REVIEW)
        else:
            case_stage_set(case=case, stage=CaseStage.DECISION)
        audit_record(
            action=AuditAction.PUBLICITY_CLOSED,
            actor=None,
            case=case,
            target=publicity,
            payload={"objections": pending},
        )
    return publicity


def objection_lodge(*, case: Case, text: str, lodged_by, on_paper_from: str = "") -> Objection:
    """An objection lodged online by a member of the institution, or registered by an officer from paper."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the objection."))
    if on_paper_from and not is_case_officer(lodged_by, case):
        raise ValidationError(_("Only an officer of the institution can register a paper objection."))
    if not on_paper_from and not may_object(lodged_by, case):
        raise ValidationError(_("Only members of the institution can lodge an objection."))
    with transaction.atomic():
        # Lock first, then check: a close committed while we waited for the lock is seen.
        publicity = case.publicities.select_for_update().order_by("-id").first()
        if publicity is None or publicity.closed_at is not None:
            raise ValidationError(_("The case is not in publicity."))
        if timezone.localdate() > publicity.objections_until:
            raise ValidationError(_("The objection period ended on %(date)s.") % {"date": publicity.objections_until})
        profile = getattr(lodged_by, "profile", None)
        objection = Objection.objects.create(
            publicity=publicity,
            text=text,
            lodged_by=None if on_paper_from else lodged_by,
            registered_by=lodged_by if on_paper_from else None,
            submitter_name=on_paper_from or (profile.real_name if profile else lodged_by.get_username()),
        )
        audit_record(
            action=AuditAction.OBJECTION_LODGED,
            actor=lodged_by,
            case=case,
            target=objection,
            payload={"on_paper": bool(on_paper_from), "submitter": objection.submitter_name, "text": text},
        )
    return objection


def objections_rule(*, case: Case, ruled_by, rulings: dict) -> bool:
    """Rule every objection of the closed publicity: {objection_pk: (ruling, reason)}.

    Returns whether any was substantive (the case then goes back to investigation).
    """
    for ruling, reason in rulings.values():
        if ruling not in (ObjectionRuling.SUBSTANTIVE, ObjectionRuling.NOT_SUBSTANTIVE):
            raise ValidationError(_("Rule each objection substantive or not."))
        if not reason.strip():
            raise ValidationError(_("Give the reason for each ruling."))
    with transaction.atomic():
        publicity = publicity_current(case)
        objections = list(publicity.objections.select_for_update().order_by("pk")) if publicity else []
        if {o.pk for o in objections} != set(rulings):
            raise ValidationError(_("Rule on every objection."))
        substantive = False
        for objection in objections:
            objection.ruling, objection.ruling_reason = rulings[objection.pk]
            objection.ruled_by = ruled_by
            objection.ruled_at = timezone.now()
            objection.save()
            substantive = substantive or objection.ruling == ObjectionRuling.SUBSTANTIVE
            audit_record(
                action=AuditAction.OBJECTION_RULED,
                actor=ruled_by,
                case=case,
                target=objection,
                payload={"ruling": objection.ruling, "reason": objection.ruling_reason},
            )
        if substantive:
            case_stage_set(
                case=case,
                stage=CaseStage.INVESTIGATION,
            )
        else:
            case_stage_set(case=case, stage=CaseStage.DECISION)
    return substantive
