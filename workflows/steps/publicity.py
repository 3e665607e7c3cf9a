"""Publicity (公示) and objections, shared by every case type.

The period and the objection window are the case type's policy numbers, counted in working or calendar
days as that policy says; the stages a case moves to come from its type's registration. Who may read a
notice (and so object online) is its scope, fixed when it opens from the case type's rule (F16): the
public, the institution, the persons' departments, or the committee. Whatever the scope, the persons
concerned and the institution's officers and committee read it.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.case_types import case_type_spec_for
from tolerance.models import Case
from tolerance.selectors.cases import user_institution_id
from tolerance.selectors.policy import case_policy
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_days
from workflows.access import is_case_officer
from workflows.steps import notices
from workflows.steps.models import Objection, ObjectionRuling, Publicity, PublicityScope


def _readers(user) -> Q:
    """The notices (Publicity rows) `user` may read by their scope, open or not."""
    public = Q(scope=PublicityScope.PUBLIC)
    institution_id = user_institution_id(user) if user.is_authenticated else None
    if institution_id is None:
        return public
    own = Q(case__institution_id=institution_id)
    if roles.has_role(user, roles.OFFICER, roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR):
        return public | own
    department = getattr(getattr(user, "profile", None), "department", "")
    readers = public | (own & Q(scope=PublicityScope.INSTITUTION)) | (own & Q(case__subject_links__user=user))
    if department:
        readers |= own & Q(scope=PublicityScope.DEPARTMENT, case__subject_links__user__profile__department=department)
    return readers


def publicities_open_to(user) -> QuerySet:
    """The notices open for objections today that `user` may read (the board's, and whom an objection
    may come from). Deliberately wider than the cases a user sees: a notice is addressed to its scope,
    which is the point of 公示; only the notice is shown through it, never the case file."""
    today = timezone.localdate()
    return Publicity.objects.filter(
        _readers(user), closed_at__isnull=True, starts_on__lte=today, objections_until__gte=today
    ).distinct()


def may_read_notice(user, case: Case) -> bool:
    """May `user` read the case's current notice (and so object online while it is open)?"""
    publicity = publicity_current(case)
    if publicity is None:
        # No notice yet: whoever the institution's notices are for may come back when it opens.
        return user.is_authenticated and user_institution_id(user) == case.institution_id
    return Publicity.objects.filter(_readers(user), pk=publicity.pk).exists()


def publicity_current(case: Case) -> Publicity | None:
    return case.publicities.order_by("-id").first()


def publicity_end_moment(publicity: Publicity) -> datetime.datetime:
    """Publicity runs through its last day; it ends at midnight after it, local time."""
    return timezone.make_aware(
        datetime.datetime.combine(publicity.ends_on + datetime.timedelta(days=1), datetime.time())
    )


def publicity_notice_text(case: Case) -> str:
    """The case type's notice; stored and shown to everyone, so in the site's language, not the actor's."""
    with translation.override(settings.LANGUAGE_CODE):
        return case_type_spec_for(case).publicity_notice(case=case)


def publicity_open(*, case: Case, opened_by=None) -> Publicity:
    """Publish the case type's notice for the policy's period; objections are taken within its window."""
    policy = case_policy(case)
    spec = case_type_spec_for(case)
    starts_on = timezone.localdate()
    working = policy.publicity_counts_working_days
    with transaction.atomic():
        notice_text = publicity_notice_text(case)
        publicity = Publicity.objects.create(
            case=case,
            scope=spec.publicity_scope(case) if spec.publicity_scope else PublicityScope.INSTITUTION,
            notice_text=notice_text,
            starts_on=starts_on,
            ends_on=add_days(starts_on, policy.publicity_days, working=working),
            objections_until=add_days(starts_on, min(policy.objection_days, policy.publicity_days), working=working),
        )
        case_stage_set(case=case, stage=spec.step_stages.publicity, next_due=publicity.ends_on)
        audit_record(
            action=AuditAction.PUBLICITY_OPENED,
            actor=opened_by,
            case=case,
            target=publicity,
            payload={
                "starts_on": starts_on.isoformat(),
                "ends_on": publicity.ends_on.isoformat(),
                "objections_until": publicity.objections_until.isoformat(),
                "scope": publicity.scope,
                "notice": notice_text,
            },
        )
        notices.publicity_opened(case, publicity)
    return publicity


def publicity_close(*, case: Case) -> Publicity:
    """Called by the timer when the period is over."""
    with transaction.atomic():
        publicity = Publicity.objects.select_for_update().get(pk=publicity_current(case).pk)
        publicity.closed_at = timezone.now()
        publicity.save(update_fields=["closed_at"])
        pending = publicity.objections.count()
        stages = case_type_spec_for(case).step_stages
        case_stage_set(case=case, stage=stages.objection_review if pending else stages.decision)
        audit_record(
            action=AuditAction.PUBLICITY_CLOSED,
            actor=None,
            case=case,
            target=publicity,
            payload={"objections": pending},
        )
        notices.publicity_closed(case, publicity, pending)
    return publicity


def objection_lodge(*, case: Case, text: str, lodged_by, on_paper_from: str = "") -> Objection:
    """An objection lodged online by a member of the institution, or registered by an officer from paper."""
    text = text.strip()
    text_validate(text, label=_("objection"), multiline=True)
    text_validate(on_paper_from, label=_("submitted by"))
    if not text:
        raise ValidationError(_("Write the objection."))
    if on_paper_from and not is_case_officer(lodged_by, case):
        raise ValidationError(_("Only an officer of the institution can register a paper objection."))
    if not on_paper_from and not may_read_notice(lodged_by, case):
        raise ValidationError(_("Only those the notice is addressed to can lodge an objection online."))
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
        notices.objection_lodged(case, objection)
    return objection


def objections_rule(*, case: Case, ruled_by, rulings: dict) -> bool:
    """Rule every objection of the closed publicity: {objection_pk: (ruling, reason)}.

    Returns whether any was substantive: the case then goes to its type's `objection_upheld` stage.
    """
    for ruling, reason in rulings.values():
        if ruling not in (ObjectionRuling.SUBSTANTIVE, ObjectionRuling.NOT_SUBSTANTIVE):
            raise ValidationError(_("Rule each objection substantive or not."))
        text_validate(reason, label=_("ruling reason"), multiline=True)
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
        stages = case_type_spec_for(case).step_stages
        case_stage_set(case=case, stage=stages.objection_upheld if substantive else stages.decision)
    return substantive
