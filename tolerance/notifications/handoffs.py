"""Notices at the hand-offs every flow has, without any case type doing anything: a task created for
the people who may take it (or for its owner when the flow assigns it), and a task assigned to someone
by somebody else. Hooked on the Task model like the audit trail (tolerance.audit.task_lifecycle, which
explains why signals on the concrete model), so it runs inside the activation's transaction.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.db.models.signals import post_init, post_save, pre_save
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from tolerance.notifications.kinds import TASK_AVAILABLE
from tolerance.notifications.services import notify
from tolerance.request_context import current_user
from tolerance.roles import users_with_roles
from tolerance.selectors.cases import case_of_task


def task_candidates(task) -> list:
    """Who may act on `task` now: its owner, or everyone the node lets claim it."""
    if task.owner_id:
        return [task.owner]
    node = task.flow_task
    if node is None or not task.owner_permission or not hasattr(node, "can_assign"):
        return []
    app_label, _dot, codename = task.owner_permission.partition(".")
    permission = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    user_model = get_user_model()
    # Subqueries, not joins: no DISTINCT over whole user rows.
    granted = Q(pk__in=user_model.groups.through.objects.filter(group__permissions__in=permission).values("user")) | Q(
        pk__in=user_model.user_permissions.through.objects.filter(permission__in=permission).values("user")
    )
    # With their roles (what `can_assign` asks next): one query for the whole pool, roles included.
    pool = users_with_roles(user_model.objects.filter(granted, is_active=True).select_related("profile"))
    if hasattr(node, "assignable_among"):  # the case-aware nodes (workflows.nodes) check everyone at once
        return node.assignable_among(pool, task)
    return [user for user in pool if node.can_assign(user, task)]


def _notify_task(task, recipients, event_key, *, new_event=False):
    if not recipients:
        return
    case = case_of_task(task)
    if case is None:
        return
    node = task.flow_task

    def title():
        return _("New task on case %(case)s: %(task)s") % {"case": case.number, "task": node.task_title}

    def body():
        return _("“%(title)s” (%(stage)s) is waiting for you.") % {"title": case.title, "stage": case.stage_label}

    notify(
        recipients=recipients,
        kind=TASK_AVAILABLE,
        event_key=event_key,
        title=title,
        body=body,
        link=reverse("cases:detail", args=[case.pk]),
        case=case,
        new_event=new_event,
    )


def _loaded(sender, instance, **kwargs):
    """The owner a task read from the database had, so its save can tell a hand-over without reading it again
    (viewflow loads the task inside the process lock and saves that same instance)."""
    values = instance.__dict__
    if values.get("id") is not None and "owner_id" in values:
        instance._notify_owner_loaded = values["owner_id"]


def _before_save(sender, instance, **kwargs):
    if instance._state.adding or instance.flow_task_type != "HUMAN":
        instance._notify_owner_before = None
    elif hasattr(instance, "_notify_owner_loaded"):
        instance._notify_owner_before = instance._notify_owner_loaded
    else:
        instance._notify_owner_before = (
            Task._default_manager.filter(pk=instance.pk).values_list("owner_id", flat=True).first()
        )


def _after_save(sender, instance, created, **kwargs):
    # The row now says this: a later save of the same instance compares with it.
    instance._notify_owner_loaded = instance.owner_id
    if instance.flow_task_type != "HUMAN":
        return
    acting = current_user()
    others = lambda users: [user for user in users if acting is None or user.pk != acting.pk]  # noqa: E731
    if created:
        _notify_task(instance, others(task_candidates(instance)), f"task:{instance.pk}", new_event=True)
    elif instance.owner_id and getattr(instance, "_notify_owner_before", None) != instance.owner_id:
        # Claimed by the owner themselves: nothing to tell. Given to them by someone else: tell them.
        _notify_task(instance, others([instance.owner]), f"task:{instance.pk}:owner:{instance.owner_id}")


def connect():
    from django.apps import apps

    for model in [model for model in apps.get_models() if issubclass(model, Task)]:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"notifications.task_before.{model._meta.label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"notifications.task_after.{model._meta.label}")
        post_init.connect(_loaded, sender=model, dispatch_uid=f"notifications.task_loaded.{model._meta.label}")
