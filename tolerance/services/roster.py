"""An institution's committee roster and department contacts, changed by its administrator.

The committee steps read who sits on a committee from the roles committee_chair/committee_member; the
seats (with their terms) are the record an administrator edits, and the roles follow the seats current
today. A review already open keeps the roster it opened with (workflows.steps.committee), so a change here
never alters a running vote.
"""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.models import CommitteePosition, CommitteeSeat, DepartmentContact
from tolerance.selectors.cases import user_institution_id
from tolerance.services.policy import policy_save

_POSITION_ROLES = {CommitteePosition.CHAIR: roles.COMMITTEE_CHAIR, CommitteePosition.MEMBER: roles.COMMITTEE_MEMBER}


def _require_member_of(institution, user, field: str) -> None:
    if user is None or user_institution_id(user) != institution.pk:
        raise ValidationError({field: _("Choose a person of your own institution.")})
    if not user.is_active:
        raise ValidationError({field: _("This account is deactivated.")})


def _overlapping(seats, seat):
    """Seats whose term shares at least one day with `seat`'s."""
    far_future = datetime.date.max
    ends = seat.term_ends_on or far_future
    return seats.exclude(pk=seat.pk).filter(
        Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=seat.term_starts_on), term_starts_on__lte=ends
    )


def committee_roles_sync(user, *, today=None) -> None:
    """Give `user` exactly the committee roles their seats current today carry (inside a transaction)."""
    today = today or timezone.localdate()
    current = {seat.position for seat in user.committee_seats.all() if seat.is_current(today)}
    for position, role in _POSITION_ROLES.items():
        group = Group.objects.get(name=role)
        if position in current:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    user.__dict__.pop("_tolerance_roles", None)


def seat_save(*, actor, institution, seat: CommitteeSeat) -> CommitteeSeat:
    """Create or change a seat of `institution`'s committee: a person of the institution, one seat at a
    time, one chair at a time."""
    _require_member_of(institution, seat.user, "user")
    seat.institution = institution
    seat.full_clean()
    with transaction.atomic():
        seats = CommitteeSeat.objects.select_for_update().filter(institution=institution)
        if _overlapping(seats.filter(user=seat.user), seat).exists():
            raise ValidationError({"user": _("This person already has a seat during this term.")})
        if (
            seat.position == CommitteePosition.CHAIR
            and _overlapping(seats.filter(position=CommitteePosition.CHAIR), seat).exists()
        ):
            raise ValidationError({"position": _("The committee already has a chair during this term.")})
        previous_user = None
        if seat.pk is not None:
            previous_user = CommitteeSeat.objects.get(pk=seat.pk).user
        policy_save(actor=actor, instance=seat)
        committee_roles_sync(seat.user)
        if previous_user is not None and previous_user.pk != seat.user_id:
            committee_roles_sync(previous_user)
    return seat


def seat_end(*, actor, institution, seat: CommitteeSeat, on: datetime.date) -> CommitteeSeat:
    """End a term on `on` (the last day of the term)."""
    if seat.institution_id != institution.pk:
        raise ValidationError(_("Choose a seat of your own institution."))
    if on < seat.term_starts_on:
        raise ValidationError({"term_ends_on": _("The term cannot end before it starts.")})
    seat.term_ends_on = on
    return seat_save(actor=actor, institution=institution, seat=seat)


def committee_terms_sweep(now) -> int:
    """Scheduled: bring the committee roles in line with the terms current today (a committee is a few
    dozen people, so every seat holder is checked: a missed day is caught up on the next run)."""
    from django.contrib.auth import get_user_model

    today = timezone.localdate(now)
    users = (
        get_user_model().objects.filter(pk__in=CommitteeSeat.objects.values("user")).prefetch_related("committee_seats")
    )
    for user in users:
        with transaction.atomic():
            committee_roles_sync(user, today=today)
    return len(users)


def department_role_sync(user) -> None:
    """The department-contact role follows the person's active contacts (inside a transaction)."""
    group = Group.objects.get(name=roles.DEPARTMENT_CONTACT)
    if user.department_contacts.filter(is_active=True).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.__dict__.pop("_tolerance_roles", None)


def contact_save(*, actor, institution, contact: DepartmentContact) -> DepartmentContact:
    """Create or change who acts for a department of `institution`."""
    _require_member_of(institution, contact.user, "user")
    contact.institution = institution
    duplicate = DepartmentContact.objects.filter(
        institution=institution, department=contact.department, user=contact.user
    ).exclude(pk=contact.pk)
    if duplicate.exists():
        raise ValidationError({"user": _("This person already acts for this department.")})
    contact.full_clean()
    with transaction.atomic():
        previous_user = None
        if contact.pk is not None:
            previous_user = DepartmentContact.objects.select_for_update().get(pk=contact.pk).user
        policy_save(actor=actor, instance=contact)
        department_role_sync(contact.user)
        if previous_user is not None and previous_user.pk != contact.user_id:
            department_role_sync(previous_user)
    return contact
