"""Task nodes whose eligibility depends on the case, not only on a model-wide permission.

Viewflow's `.Permission(obj=…)` needs per-object guardian grants kept in step with every staff change;
a predicate over (user, case) evaluated at claim and at execute time states the rule once.

Separation of duties is data on the node too: `.Excludes("start", "investigate")` names the steps whose
actors may not act here on the same case (whoever completed a task of those nodes on the process).
The claim and execute checks, the queue (in SQL) and the services that record the step all read it.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_save
from viewflow.workflow import STATUS, flow
from viewflow.workflow.models import Task

from tolerance import roles
from workflows.access import case_of


class CaseTaskView(flow.View):
    _eligible = None
    _excludes: tuple[str, ...] = ()

    def Eligible(self, predicate):
        """Only users for whom `predicate(user, case)` holds may claim or execute the task."""
        self._eligible = predicate
        return self

    def Excludes(self, *node_names):
        """Whoever completed a task of any of these nodes on this process may not claim or execute this one."""
        self._excludes = node_names
        return self

    def excluded_nodes(self) -> list:
        return [self.flow_class.instance.node(name) for name in self._excludes]

    def steps_taken_by(self, user, process) -> list:
        """The excluded nodes in which `user` acted on `process`: why they may not act here (empty: they may)."""
        nodes = self.excluded_nodes()
        if not nodes or user is None or not user.is_authenticated:
            return []
        # The execute check and the service recording the step both ask, on the process the activation
        # loaded under its lock: read once per process object, forgotten when one of its tasks is saved.
        cache = process.__dict__.setdefault("_steps_taken_by", {})
        key = (tuple(self._excludes), user.pk)
        if key not in cache:
            cache[key] = set(
                Task.objects.filter(process=process, flow_task__in=nodes, owner=user, status=STATUS.DONE).values_list(
                    "flow_task", flat=True
                )
            )
        return [node for node in nodes if node in cache[key]]

    def queue_exclusion(self, user) -> Q:
        """Matches this node's tasks on processes where `user` acted in an excluded step (for the queue)."""
        nodes = self.excluded_nodes()
        if not nodes:
            return Q(pk__in=[])
        acted = Task.objects.filter(process=OuterRef("process"), flow_task__in=nodes, owner=user, status=STATUS.DONE)
        return Q(flow_task=self) & Q(Exists(acted))

    def is_eligible(self, user, task) -> bool:
        if self._eligible is not None and not self._eligible(user, case_of(task.process)):
            return False
        return not self.steps_taken_by(user, task.process)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self.is_eligible(user, task)

    def assignable_among(self, users, task) -> list:
        """`can_assign` for many people at once, who all hold the task's permission (the notices' fan-out
        reads them in SQL): their roles in one query, the separation of duties in one more, not two
        permission loads and a roles query per person."""
        if task.owner_id:
            return []
        users = [user for user in users if user is not None and user.is_authenticated]
        roles.user_roles_load(users)
        case = case_of(task.process)
        if self._eligible is not None:
            users = [user for user in users if self._eligible(user, case)]
        nodes = self.excluded_nodes()
        if nodes and users:
            acted = set(
                Task.objects.filter(
                    process=task.process, flow_task__in=nodes, owner__in=users, status=STATUS.DONE
                ).values_list("owner_id", flat=True)
            )
            users = [user for user in users if user.pk not in acted]
        return users

    def can_execute(self, user, task):
        if user is not None and task.owner_id == user.pk and not Task.owner.is_cached(task):
            task.owner = user  # viewflow compares `task.owner == user`: no need to load the owner for that
        return super().can_execute(user, task) and self.is_eligible(user, task)


def separation_refusal(user, case, node_name: str) -> list:
    """For services recording a step: the excluded steps of `node_name` that `user` took on `case`."""
    process = getattr(case, "process", None)
    if process is None:
        return []
    return getattr(process.flow_class, node_name).steps_taken_by(user, process)


def steps_text(nodes) -> str:
    """The steps' titles as one phrase, for a refusal message."""
    return "、".join(str(node.task_title or node.name) for node in nodes)


def _steps_taken_forget(sender, instance, **kwargs):
    if Task.process.is_cached(instance):
        instance.process.__dict__.pop("_steps_taken_by", None)


def connect():
    from django.apps import apps

    for model in [model for model in apps.get_models() if issubclass(model, Task)]:
        post_save.connect(_steps_taken_forget, sender=model, dispatch_uid=f"workflows.steps_taken.{model._meta.label}")
