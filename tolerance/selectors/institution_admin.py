"""What an institution administrator may see and manage: the rows of their own institution, nothing else.

Every page of tolerance.administration reads through here, so one institution's administrator can never
reach another's people, roster, contacts or policy numbers (a row of another institution is a 404).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tolerance import roles
from tolerance.models import CaseTypePolicy, CommitteeSeat, DepartmentContact, Institution, Profile
from tolerance.selectors.cases import user_institution_id


def administered_institution(user) -> Institution | None:
    """The institution `user` administers, or None. The operator (superuser) works in Django's admin."""
    if not user.is_authenticated or not roles.has_role(user, roles.INSTITUTION_ADMIN):
        return None
    institution_id = user_institution_id(user)
    if institution_id is None:
        return None
    return Institution.objects.filter(pk=institution_id, is_active=True).first()


def institution_users(institution):
    return (
        get_user_model()
        .objects.filter(profile__institution=institution)
        .select_related("profile")
        .prefetch_related("groups")
        .order_by("profile__staff_number", "username")
    )


def institution_profiles(institution):
    return Profile.objects.filter(institution=institution)


def institution_seats(institution):
    return CommitteeSeat.objects.filter(institution=institution).select_related("user__profile")


def institution_contacts(institution):
    return DepartmentContact.objects.filter(institution=institution).select_related("user__profile")


def institution_policies(institution):
    return CaseTypePolicy.objects.filter(institution=institution)


def institution_role_groups():
    """The role groups an institution administrator may give, in the order of roles.INSTITUTION_ROLES."""
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.INSTITUTION_ROLES)}
    return [groups[name] for name in roles.INSTITUTION_ROLES if name in groups]
