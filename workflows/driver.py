"""Moving a case of any type through its flow from code, exactly as the pages do: the same task
activations, the same eligibility checks (four-eyes included) and the same services.

Used by the demo seeding, the tests and the benchmarks, so all three exercise the real path.
"""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from viewflow.workflow.status import STATUS

from workflows.selectors import open_tasks


def flow_start(flow_class, user, action):
    """Run the flow's start node for `user`: `action(process)` files the case and returns it."""
    activation = flow_class.start.activation_class.create(flow_class.start, None, None)
    with transaction.atomic():
        activation.start(SimpleNamespace(user=user))
        case = action(activation.process)
        activation.execute()
    return case


def task_complete(case, node_name, user, action=None):
    """Claim the case's open task of `node_name` for `user` (as the assign page does), run `action` and
    complete the task. Raises PermissionDenied where the page would refuse the user."""
    node = getattr(case.process.flow_class, node_name)
    task = open_tasks(case, node_name).get()
    with transaction.atomic(), task.activation() as activation:
        if task.status == STATUS.NEW:
            if not node.can_assign(user, task):
                raise PermissionDenied(f"{user} may not claim {node_name}")
            activation.assign(user)
    with transaction.atomic(), task.activation() as activation:
        if not node.can_execute(user, task):
            raise PermissionDenied(f"{user} may not execute {node_name}")
        activation.start(SimpleNamespace(user=user))
        if action is not None:
            action()
        activation.execute()


def timer_fire(case, node_name):
    """Fire the case's waiting timer now, as `workflow_timers` does once its moment has come."""
    task = open_tasks(case, node_name).get()
    with transaction.atomic(), task.activation() as activation:
        activation.start()
        activation.execute()
