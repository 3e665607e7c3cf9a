"""Reads about a case's process that every flow shares."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance.models import Case


def open_tasks(case: Case, *node_names):
    """The case's active tasks, optionally only those of the named nodes."""
    if case.process_id is None:
        return Task.objects.none()
    tasks = Task.objects.filter(
        process_id=case.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]
    )
    if node_names:
        flow_class = case.process.flow_class
        # A flow without the node (a case type with no appeal window) simply has no such task.
        nodes = [getattr(flow_class, name) for name in node_names if hasattr(flow_class, name)]
        tasks = tasks.filter(flow_task__in=nodes)
    return tasks.order_by("pk")
