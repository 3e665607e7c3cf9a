"""People of an institution, managed by its administrator: accounts and profiles, roles, deactivation.

Every change is recorded: account and profile fields through policy_save (old and new values), roles
through the permission events recorded on every change of a user's groups (tolerance.audit.permission_events),
a deactivation with the tasks it handed back to the queue.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, Profile
from tolerance.notifications import kinds
from tolerance.notifications.services import notify
from tolerance.services.policy import policy_delete, policy_save
from tolerance.services.roster import committee_roles_sync

# The roles given on the people pages; the committee roles follow the roster and the department-contact
# role the department contacts (tolerance.services.roster).
DIRECT_ROLES = [roles.OFFICER, roles.RESEARCHER, roles.INSTITUTION_ADMIN]


def _staff_number_taken(institution, staff_number: str, *, exclude_profile=None) -> bool:
    profiles = Profile.objects.filter(institution=institution, staff_number=staff_number)
    if exclude_profile is not None and exclude_profile.pk is not None:
        profiles = profiles.exclude(pk=exclude_profile.pk)
    return bool(staff_number) and profiles.exists()


def account_save(*, actor, institution, profile: Profile, username: str = "") -> Profile:
    """Create (with `username`) or change a person of `institution`. A new account has no password: the
    person signs in through the campus login, or the operator sets one."""
    User = get_user_model()
    if not profile.staff_number:
        raise ValidationError({"staff_number": _("Enter the staff number.")})
    if _staff_number_taken(institution, profile.staff_number, exclude_profile=profile):
        raise ValidationError({"staff_number": _("Another person of your institution has this staff number.")})
    with transaction.atomic():
        if profile.pk is None:
            if User.objects.filter(username__iexact=username).exists():
                raise ValidationError({"username": _("This login name is taken.")})
            user = User(username=username, email=profile.email)
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            policy_save(actor=actor, instance=user)
            profile.user = user
        else:
            user = profile.user
            if user.email != profile.email:
                user.email = profile.email
                policy_save(actor=actor, instance=user)
        profile.institution = institution
        profile.full_clean(exclude=["user"])
        policy_save(actor=actor, instance=profile)
    return profile


def account_roles_set(*, actor, institution, user, role_names) -> None:
    """Give `user` exactly `role_names` among DIRECT_ROLES; their other roles stay."""
    if getattr(getattr(user, "profile", None), "institution_id", None) != institution.pk:
        raise ValidationError(_("Choose a person of your own institution."))
    wanted = set(role_names)
    if wanted - set(DIRECT_ROLES):
        raise ValidationError({"roles": _("Choose roles from the list.")})
    if user.pk == actor.pk and roles.INSTITUTION_ADMIN not in wanted:
        raise ValidationError({"roles": _("You cannot take away your own administrator role.")})
    with transaction.atomic():
        for group in Group.objects.filter(name__in=DIRECT_ROLES):
            if group.name in wanted:
                user.groups.add(group)
            else:
                user.groups.remove(group)
    user.__dict__.pop("_tolerance_roles", None)


def _institution_officers(institution, *, besides):
    return (
        get_user_model()
        .objects.filter(groups__name=roles.OFFICER, profile__institution=institution, is_active=True)
        .exclude(pk=besides.pk)
        .distinct()
    )


def account_deactivate(*, actor, institution, user) -> list[Task]:
    """Someone leaves: the account can no longer sign in, their committee terms end today, and every task
    they had taken goes back to the queue of its step, each release recorded, the officers notified."""
    if getattr(getattr(user, "profile", None), "institution_id", None) != institution.pk:
        raise ValidationError(_("Choose a person of your own institution."))
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    today = timezone.localdate()
    with transaction.atomic():
        user.is_active = False
        policy_save(actor=actor, instance=user)
        for seat in user.committee_seats.filter(term_starts_on__lte=today).exclude(term_ends_on__lt=today):
            seat.term_ends_on = today
            policy_save(actor=actor, instance=seat)
        for seat in user.committee_seats.filter(term_starts_on__gt=today):
            policy_delete(actor=actor, instance=seat)
        # The seats end with today: the roles go now, not at tomorrow's sweep.
        committee_roles_sync(user, today=today + datetime.timedelta(days=1))
        released = list(Task.objects.select_for_update().filter(owner=user, status=STATUS.ASSIGNED).order_by("pk"))
        for task in released:
            task.owner = None
            task.status = STATUS.NEW
            task.save()  # recorded as task.released by tolerance.audit.task_lifecycle
        event = audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=actor,
            target=user,
            payload={
                "model": "auth.User",
                "object": user.get_username(),
                "operation": "deactivated",
                "released_tasks": [task.pk for task in released],
            },
        )
        _notify_released(institution, user, released, event_id=event.pk)
    return released


def _notify_released(institution, user, tasks, *, event_id) -> None:
    officers = list(_institution_officers(institution, besides=user))
    name = getattr(user.profile, "real_name", "") or user.get_username()
    cases = {case.process_id: case for case in Case.objects.filter(process_id__in=[t.process_id for t in tasks])}
    for task in tasks:
        case = cases.get(task.process_id)
        task_title = task.flow_task.task_title if task.flow_task else ""
        notify(
            recipients=officers,
            kind=kinds.TASK_AVAILABLE,
            event_key=f"account-deactivated:{event_id}:task:{task.pk}",
            title=lambda task_title=task_title, case=case: (
                _("%(name)s can no longer act: the task “%(task)s” of case %(case)s is back in the queue")
                % {"name": name, "task": task_title, "case": case.number if case else ""}
            ),
            link=reverse("cases:detail", args=[case.pk]) if case else "",
            case=case,
        )


def account_reactivate(*, actor, institution, user) -> None:
    if getattr(getattr(user, "profile", None), "institution_id", None) != institution.pk:
        raise ValidationError(_("Choose a person of your own institution."))
    if user.is_active:
        return
    with transaction.atomic():
        user.is_active = True
        policy_save(actor=actor, instance=user)
