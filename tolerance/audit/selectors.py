"""Reading the audit trail, and who may see which part of it."""

from django.db.models import Max, Q

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.selectors.cases import (
    INSTITUTION_STAFF_ROLES,
    attachments_visible_to,
    cases_visible_to,
    user_institution_id,
    user_is_case_staff,
    user_sees_case_file,
)

_COMMITTEE_ROLES = (roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR)


def case_chain_head(case) -> tuple[int, str] | None:
    """(case sequence, event hash) of the newest event in the case's own chain, or None if it has none."""
    return case_chain_head_of(case.pk)


def case_chain_head_of(case_id) -> tuple[int, str] | None:
    head = (
        AuditEvent.objects.filter(case_id=case_id)
        .order_by("-case_sequence")
        .values_list("case_sequence", "event_hash")
        .first()
    )
    return tuple(head) if head else None


def case_trail(case):
    """The case's events in chain order, for the timeline and for exports."""
    return AuditEvent.objects.filter(case_id=case.pk).order_by("case_sequence")


def events_visible_to(user):
    """Events `user` may browse outside a case page (the admin): whole trails of the cases they see in full.

    Only superusers see everything, including the events of no case (sign-ins, policy changes). Parties
    see nothing here: their case page filters its trail (case_trail_visible_to), a raw list would not.
    """
    if user.is_superuser:
        return AuditEvent.objects.all()
    if not roles.has_role(user, roles.SUPERVISOR, *INSTITUTION_STAFF_ROLES):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(case_id__in=cases_visible_to(user).values("pk"))


def user_sees_whole_trail(user, case) -> bool:
    """Staff of the case's institution and supervisors see every event; parties see a filtered trail."""
    return user_is_case_staff(user, case) or roles.has_role(user, roles.SUPERVISOR)


def user_may_export_trail(user, case) -> bool:
    """The trail holds votes and deliberations: a supervisor exports it only of a case referred to them."""
    if user.is_superuser:
        return True
    if roles.has_role(user, roles.SUPERVISOR) and user_sees_case_file(user, case):
        return True
    return roles.has_role(user, roles.OFFICER) and user_institution_id(user) == case.institution_id


def case_trail_visible_to(user, case):
    """The case's events `user` may see. The case itself must already be visible (case_get_visible).

    Parties never see votes or events marked internal, and see the committee's deliberation (its
    members' actions, conflict declarations) only once a resolution has been recorded after it.
    """
    events = case_trail(case)
    if user_sees_whole_trail(user, case):
        return events
    # has_key first: for events without the key, a bare `payload__internal=True` is NULL and NOT NULL
    # would hide them too.
    events = events.exclude(action=AuditAction.VOTE_CAST).exclude(
        Q(payload__has_key="internal") & Q(payload__internal=True)
    )
    # A file the user may not see (a department contact: other than their items' evidence) is not named either.
    hidden = case.attachments.exclude(pk__in=attachments_visible_to(user, case).values("pk")).values_list(
        "pk", flat=True
    )
    if hidden:
        events = events.exclude(action=AuditAction.ATTACHMENT_ADDED, target_id__in=[str(pk) for pk in hidden])
    resolved_up_to = (
        case_trail(case).filter(action=AuditAction.RESOLUTION_RECORDED).aggregate(last=Max("case_sequence"))["last"]
        or 0
    )
    deliberation = Q(action__startswith="committee.") & ~Q(action=AuditAction.RESOLUTION_RECORDED)
    for role in _COMMITTEE_ROLES:
        deliberation |= Q(actor_role__regex=rf"(^|,){role}(,|$)")
    return events.exclude(deliberation & Q(case_sequence__gt=resolved_up_to))
