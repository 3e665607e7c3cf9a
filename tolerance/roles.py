"""Roles are groups; this module is the one place that says what each role may do model-wide.

Object-level limits (which institution, which case) are not here: they live in the selectors.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

OFFICER = "officer"
COMMITTEE_MEMBER = "committee_member"
COMMITTEE_CHAIR = "committee_chair"
RESEARCHER = "researcher"
LICENSEE_CONTACT = "licensee_contact"
SUPERVISOR = "supervisor"
ADMINISTRATOR = "administrator"
DEPARTMENT_CONTACT = "department_contact"
INSTITUTION_ADMIN = "institution_admin"

ROLE_LABELS = {
    OFFICER: _("Officer (technology transfer office)"),
    COMMITTEE_MEMBER: _("Committee member"),
    COMMITTEE_CHAIR: _("Committee chair"),
    RESEARCHER: _("Researcher"),
    LICENSEE_CONTACT: _("Licensee contact"),
    SUPERVISOR: _("Supervisor (science and technology bureau)"),
    ADMINISTRATOR: _("Administrator"),
    DEPARTMENT_CONTACT: _("Department contact"),
    INSTITUTION_ADMIN: _("Institution administrator"),
}

# The roles an institution administrator may give and take within their institution. Administrator,
# supervisor and licensee contact belong to no institution (or to all): only the operator grants them.
INSTITUTION_ROLES = [OFFICER, COMMITTEE_CHAIR, COMMITTEE_MEMBER, RESEARCHER, DEPARTMENT_CONTACT, INSTITUTION_ADMIN]

# Model permissions per role, as "app_label.codename". Apps that add models extend this mapping
# (see workflows.roles); permissions not yet created (before their app migrates) are skipped.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    OFFICER: {
        "tolerance.view_case",
        "tolerance.add_case",
        "tolerance.change_case",
        "tolerance.view_attachment",
        "tolerance.add_attachment",
        "tolerance.view_institution",
        "tolerance.view_workingdayoverride",
        "audit.view_auditevent",
    },
    COMMITTEE_MEMBER: {"tolerance.view_case", "tolerance.view_attachment"},
    COMMITTEE_CHAIR: {"tolerance.view_case", "tolerance.view_attachment"},
    RESEARCHER: {"tolerance.view_case", "tolerance.add_attachment"},
    LICENSEE_CONTACT: {"tolerance.view_case", "tolerance.add_attachment"},
    SUPERVISOR: {"tolerance.view_institution", "audit.view_auditevent"},
    # What a department contact may see of a case is decided per case type by the work sent to them.
    DEPARTMENT_CONTACT: {"tolerance.add_attachment"},
    # Works only in the institution pages (tolerance.administration), which scope every row to their
    # institution; no model-wide permission, so Django's admin stays closed to them.
    INSTITUTION_ADMIN: set(),
    ADMINISTRATOR: {
        "tolerance.view_institution",
        "tolerance.change_institution",
        "tolerance.view_casetypepolicy",
        "tolerance.add_casetypepolicy",
        "tolerance.change_casetypepolicy",
        "tolerance.view_profile",
        "tolerance.change_profile",
        "tolerance.add_profile",
        "tolerance.view_departmentcontact",
        "tolerance.add_departmentcontact",
        "tolerance.change_departmentcontact",
        "tolerance.view_workingdayoverride",
        "tolerance.add_workingdayoverride",
        "tolerance.change_workingdayoverride",
        "tolerance.delete_workingdayoverride",
        "audit.view_auditevent",
    },
}


def extend_role_permissions(extra: dict[str, set[str]]):
    for role, codenames in extra.items():
        ROLE_PERMISSIONS[role] |= set(codenames)


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_tolerance_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._tolerance_roles = cached
    return cached


def user_roles_load(users) -> None:
    """Read the roles of many people in one query (for a fan-out that asks each of them `has_role`)."""
    from django.contrib.auth.models import Group

    pending = {user.pk: user for user in users if getattr(user, "_tolerance_roles", None) is None}
    for user in pending.values():
        user._tolerance_roles = set()
    for user_id, name in Group.objects.filter(user__in=list(pending)).values_list("user", "name"):
        pending[user_id]._tolerance_roles.add(name)


def users_with_roles(users) -> list:
    """The people of the queryset `users` with their roles, both read in one query (a join to their
    groups, one row per role): a fan-out that then asks each of them `has_role` reads nothing more."""
    people = {}
    for user in users.annotate(_role_name=F("groups__name")):
        person = people.setdefault(user.pk, user)
        if getattr(person, "_tolerance_roles", None) is None:
            person._tolerance_roles = set()
        if user._role_name:
            person._tolerance_roles.add(user._role_name)
    return list(people.values())


def has_role(user, *roles) -> bool:
    return bool(user_roles(user) & set(roles))


def sync_role_permissions(sender=None, using="default", **kwargs):
    """Create the role groups and give each exactly the permissions listed above.

    post_migrate is sent once per app, and each app's permissions are created on its own signal: they all
    exist only at the last app's, so the groups are synchronised then, once (not once per app).
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender is not [app for app in apps.get_app_configs() if app.models_module][-1]:
        return
    permissions = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([permissions[dotted] for dotted in sorted(wanted) if dotted in permissions])
