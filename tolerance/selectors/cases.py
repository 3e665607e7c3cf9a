"""Who may see which case. Every list, page, export and count of cases goes through here."""

from django.http import Http404

from tolerance import roles
from tolerance.models import Case

INSTITUTION_STAFF_ROLES = (roles.OFFICER, roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR)


def user_institution_id(user):
    profile = getattr(user, "profile", None)
    return profile.institution_id if profile is not None else None


def cases_visible_to(user):
    """Cases `user` may see: staff their institution's, parties their own, supervisors all (read-only)."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR):
        return Case.objects.all()
    institution_id = user_institution_id(user)
    if roles.has_role(user, *INSTITUTION_STAFF_ROLES) and institution_id is not None:
        return Case.objects.filter(institution_id=institution_id)
    # Parties see their own cases whatever their role: a leader or manager named as a subject has no
    # researcher group.
    return Case.objects.filter(subject_links__user=user)


def case_get_visible(user, **lookup) -> Case:
    """The case matching `lookup` if `user` may see it; 404 otherwise, so existence is not revealed."""
    try:
        return cases_visible_to(user).select_related("institution", "filed_by").get(**lookup)
    except Case.DoesNotExist:
        raise Http404 from None


def user_is_case_staff(user, case: Case) -> bool:
    """Staff of the case's own institution (officers and committee), who see internal detail."""
    if user.is_superuser:
        return True
    return roles.has_role(user, *INSTITUTION_STAFF_ROLES) and user_institution_id(user) == case.institution_id


def is_case_subject(user, case: Case) -> bool:
    """A party the case is about (anyone named as its subject)."""
    return case.subject_links.filter(user_id=user.pk).exists()


def user_may_add_evidence(user, case: Case) -> bool:
    """Officers of the case's institution and the case's own parties, if their role may upload at all."""
    return (user_is_case_staff(user, case) or is_case_subject(user, case)) and user.has_perm("tolerance.add_attachment")
