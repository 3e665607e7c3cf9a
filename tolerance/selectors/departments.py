"""Who acts for a department of an institution."""

from django.contrib.auth import get_user_model

from tolerance.models import DepartmentContact


def department_contacts(institution, department: str):
    """The active users acting for `department` at `institution`."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            department_contacts__institution=institution,
            department_contacts__department=department,
            department_contacts__is_active=True,
        )
        .select_related("profile")
        .distinct()
    )


def departments_of(user, institution=None) -> set[str]:
    """The departments `user` acts for (at `institution`, if given)."""
    contacts = DepartmentContact.objects.filter(user=user, is_active=True)
    if institution is not None:
        contacts = contacts.filter(institution=institution)
    return set(contacts.values_list("department", flat=True))
