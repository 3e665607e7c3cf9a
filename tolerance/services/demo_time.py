"""Demo time: in a development copy only (settings.DEMO_TIME_ENABLED, which follows DJANGO_DEBUG), an
officer or the administrator moves a case past its waiting period — a publicity, an appeal window, any
flow timer — instead of waiting days. Recorded in the audit trail as exactly that."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.selectors.cases import user_institution_id


def demo_time_allowed(user, case) -> bool:
    if not settings.DEMO_TIME_ENABLED or case.process_id is None:
        return False
    return user.is_superuser or (
        roles.has_role(user, roles.OFFICER) and user_institution_id(user) == case.institution_id
    )


def demo_waits(case):
    """The case's timers waiting to fire (its waiting periods)."""
    if case.process_id is None:
        return Task.objects.none()
    return Task.objects.filter(process_id=case.process_id, flow_task_type="TIMER", status=STATUS.SCHEDULED).order_by(
        "scheduled"
    )


def demo_time_skip(*, case, user) -> int:
    """Make the case's waiting periods due now and fire them, as the scheduler would when their time
    came; returns how many fired."""
    if not demo_time_allowed(user, case):
        raise PermissionDenied
    from viewflow.workflow.timers import fire_due_timers

    with transaction.atomic():
        waits = list(demo_waits(case).select_for_update())
        if not waits:
            return 0
        for task in waits:
            audit_record(
                action=AuditAction.DEMO_TIME_MOVED,
                actor=user,
                case=case,
                target=task,
                payload={
                    "title": str(task.flow_task.task_title) if task.flow_task else "",
                    "was_due": task.scheduled.isoformat() if task.scheduled else "",
                    "demo": True,
                },
            )
        demo_waits(case).update(scheduled=timezone.now())
    # Fired outside our transaction, each under its flow's lock, exactly as the scheduler fires them.
    return fire_due_timers()
