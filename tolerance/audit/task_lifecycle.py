"""Viewflow task lifecycle → audit events, recorded in this one place.

Signals on the concrete Task model rather than a proxy `task_class`: viewflow's timer dispatcher
(viewflow/workflow/timers.py) and process cancellation (nodes/end.py, flow/views/actions.py) load tasks
through `Task._default_manager` and `process.task_set`, i.e. as plain Task instances, so a proxy's save()
would miss timers firing and tasks being cancelled. pre_save/post_save see every save whichever class
loaded the row, and post_save runs inside the activation's transaction (viewflow asserts one), so the
event commits or rolls back with the change.
"""

from django.apps import apps
from django.db.models.signals import post_init, post_save, pre_save
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.request_context import current_user
from tolerance.selectors.cases import case_of_task

# Machine steps (gateways, functions, joins, ends) are consequences of recorded events, not decisions.
_HUMAN_TYPES = {"HUMAN", "HUMAN_START"}
_TIMER_TYPES = {"TIMER"}


def _loaded(sender, instance, **kwargs):
    """What a task read from the database said, so its save can tell what changed without reading it again
    (viewflow loads the task inside the process lock and saves that same instance)."""
    values = instance.__dict__
    if values.get("id") is not None and "status" in values and "owner_id" in values:
        instance._audit_loaded = {"status": values["status"], "owner_id": values["owner_id"]}


def _before_save(sender, instance, **kwargs):
    if instance.flow_task_type not in _HUMAN_TYPES | _TIMER_TYPES or instance._state.adding:
        instance._audit_before = None
        return
    loaded = getattr(instance, "_audit_loaded", None)
    instance._audit_before = (
        loaded
        if loaded is not None
        else Task._default_manager.filter(pk=instance.pk).values("status", "owner_id").first()
    )


def _changes(task, before, created):
    """(action, actor) pairs for what this save changed."""
    acting = current_user()
    if created:
        return [(AuditAction.TASK_CREATED, acting)] if task.flow_task_type == "HUMAN" else []
    if before is None:
        return []
    changes = []
    if before["owner_id"] != task.owner_id:
        if task.owner_id is None:
            changes.append((AuditAction.TASK_RELEASED, acting))
        else:
            changes.append((AuditAction.TASK_ASSIGNED, acting or task.owner))
    if before["status"] != task.status:
        if task.status == STATUS.DONE:
            if task.flow_task_type in _TIMER_TYPES:
                changes.append((AuditAction.TIMER_FIRED, None))
            else:
                changes.append((AuditAction.TASK_COMPLETED, task.owner or acting))
        elif task.status == STATUS.CANCELED:
            changes.append((AuditAction.TASK_CANCELLED, acting))
    return changes


def _after_save(sender, instance, created, **kwargs):
    if instance.flow_task_type not in _HUMAN_TYPES | _TIMER_TYPES:
        return
    changes = _changes(instance, getattr(instance, "_audit_before", None), created)
    # The row now says this: a later save of the same instance compares with it.
    instance._audit_loaded = {"status": instance.status, "owner_id": instance.owner_id}
    if not changes:
        return
    case = case_of_task(instance)
    flow_task = instance.flow_task
    payload = {
        "task_id": instance.pk,
        "process_id": instance.process_id,
        "flow": flow_task.flow_class.instance.flow_label if flow_task else "",
        "node": flow_task.name if flow_task else "",
        "title": str(flow_task.task_title) if flow_task else "",
        "owner": instance.owner.get_username() if instance.owner_id else None,
    }
    # A node can declare its tasks committee-internal (e.g. casting a vote) so parties never see them.
    if getattr(flow_task, "audit_internal", False):
        payload["internal"] = True
    for action, actor in changes:
        audit_record(action=action, actor=actor, case=case, target=instance, payload=payload)


def connect():
    task_models = [model for model in apps.get_models() if issubclass(model, Task)]
    for model in task_models:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit.task_before.{model._meta.label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"audit.task_after.{model._meta.label}")
        post_init.connect(_loaded, sender=model, dispatch_uid=f"audit.task_loaded.{model._meta.label}")
