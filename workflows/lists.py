"""The flow pages that list things, replacing viewflow's, filtered by case visibility and fast at any size.

Viewflow's own lists grow with the table (architecture.md, "Performance facts"): an exact COUNT over
every task row, no ORDER BY, one <option> per queued process, sidebar counts over all rows and a
session write on every GET. These pages page on the primary key instead (keyset: newest first,
"next page" continues below the last id shown), count nothing exactly, filter only by a flow's own
nodes (a handful of choices) and never touch the session, so each costs a fixed number of queries.
"""

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.workflow import STATUS

from tolerance.paging import PAGE_SIZE, keyset_page
from workflows.visibility import may_act, processes_visible_to, tasks_visible_to

# The menu badges show "99+" beyond this, so counting them reads at most this many rows.
MENU_COUNT_CAP = 99
# Cards per node column on the dashboard.
DASHBOARD_ROWS = 10
# A task still to be done; a status filter (not "finished is null") so an index on
# (flow_task, status, id) answers each dashboard column.
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.ERROR)


class CappedCount:
    """A menu badge: how many rows, read no further than `cap` (viewflow's menu calls `.count`)."""

    def __init__(self, queryset, cap: int = MENU_COUNT_CAP):
        self.queryset = queryset
        self.cap = cap

    @cached_property
    def count(self) -> str:
        found = self.queryset.order_by()[: self.cap + 1].count()
        return f"{self.cap}+" if found > self.cap else str(found)


def inbox_tasks(user, flow_class):
    """Tasks the user has claimed and not finished."""
    return tasks_visible_to(user, [flow_class]).filter(owner=user, status=STATUS.ASSIGNED)


def queue_tasks(user, flow_class):
    """Unclaimed tasks the user may claim; none for read-only users.

    Separation of duties is applied in SQL: a step whose node excludes the actors of earlier steps
    (`CaseTaskView.Excludes`) is left out on the cases where this user was one of them.
    """
    if not may_act(user):
        return tasks_visible_to(user, [flow_class]).none()
    tasks = (
        tasks_visible_to(user, [flow_class])
        .user_queue(user, flow_class=flow_class)
        .filter(status=STATUS.NEW, flow_task__in=claimable_nodes(user, flow_class))
    )
    for node in separated_nodes(flow_class):
        tasks = tasks.exclude(node.queue_exclusion(user))
    return tasks


def claimable_nodes(user, flow_class):
    """The human nodes whose tasks `user` could ever claim: those without a fixed permission, and those whose
    permission they hold. Only narrows the query (viewflow's user_queue still checks every row); it lets
    PostgreSQL read the queue through the (step, status, id) index: a chair's queue is two steps, not a
    scan of every task looking for theirs."""
    nodes = []
    for node in human_nodes(flow_class):
        permission = getattr(node, "_owner_permission", None)
        if not isinstance(permission, str) or "." not in permission or user.has_perm(permission):
            nodes.append(node)
    return nodes


def separated_nodes(flow_class):
    """The flow's task nodes that exclude the actors of other steps."""
    return [node for node in flow_class.instance.nodes() if getattr(node, "_excludes", ())]


def separation_rules(flow_class):
    """What the queue tells its reader: each such step and the steps whose actors it leaves out."""
    return [
        {"node": node, "excluded": [excluded.task_title for excluded in node.excluded_nodes()]}
        for node in separated_nodes(flow_class)
    ]


def archive_tasks(user, flow_class):
    """Human tasks the user has finished."""
    return tasks_visible_to(user, [flow_class]).filter(owner=user, flow_task_type="HUMAN", finished__isnull=False)


def all_tasks(user, flow_class):
    return tasks_visible_to(user, [flow_class])


def human_nodes(flow_class):
    return [node for node in flow_class.instance.nodes() if node.task_type == "HUMAN"]


class FlowPageMixin:
    """`flow_class` and `viewset` come from the viewset, which also says who may open its pages."""

    flow_class = None
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not self.viewset.has_view_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FlowListView(FlowPageMixin, TemplateView):
    """A keyset-paged list inside a flow application."""

    title = ""

    def rows(self):
        """The queryset to page through, newest first. Every list defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define rows().")

    def get_context_data(self, **kwargs):
        page, next_before = keyset_page(self.rows(), before=self.request.GET.get("before", ""), per_page=PAGE_SIZE)
        return super().get_context_data(
            view_title=self.title, rows=page, next_before=next_before, filter_query=self.filter_query(), **kwargs
        )

    def filter_query(self) -> str:
        """The active filters as a query string prefix, kept when following "next page"."""
        return ""


class TaskListView(FlowListView):
    """Tasks of a flow, optionally one node's only."""

    template_name = "workflows/lists/task_list.html"
    tasks = staticmethod(all_tasks)
    title = _("All tasks")

    @cached_property
    def node(self):
        wanted = self.request.GET.get("node", "")
        return next((node for node in human_nodes(self.flow_class) if node.name == wanted), None)

    def rows(self):
        tasks = self.tasks(self.request.user, self.flow_class)
        if self.node is not None:
            tasks = tasks.filter(flow_task=self.node)
        return tasks.select_related("process__case", "owner__profile")

    def filter_query(self) -> str:
        return f"node={self.node.name}&" if self.node is not None else ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(nodes=human_nodes(self.flow_class), selected_node=self.node, **kwargs)


class InboxView(TaskListView):
    tasks = staticmethod(inbox_tasks)
    title = _("Inbox")


class QueueView(TaskListView):
    tasks = staticmethod(queue_tasks)
    title = _("Queue")

    def get_context_data(self, **kwargs):
        return super().get_context_data(separation_rules=separation_rules(self.flow_class), **kwargs)


class ArchiveView(TaskListView):
    tasks = staticmethod(archive_tasks)
    title = _("Archive")


class ProcessListView(FlowListView):
    """The flow's cases, through their processes."""

    template_name = "workflows/lists/process_list.html"
    title = _("Cases in this process")

    def rows(self):
        return processes_visible_to(self.request.user, self.flow_class).select_related("case")


class DashboardView(FlowPageMixin, TemplateView):
    """Open tasks per step, newest first: one short indexed query per human node of the flow."""

    template_name = "workflows/lists/dashboard.html"
    rows_per_column = DASHBOARD_ROWS

    def get_context_data(self, **kwargs):
        user = self.request.user
        tasks = all_tasks(user, self.flow_class).select_related("process__case", "owner__profile").order_by("-pk")
        columns = [
            {
                "node": node,
                "tasks": list(tasks.filter(flow_task=node, status__in=OPEN_STATUSES)[: self.rows_per_column]),
            }
            for node in human_nodes(self.flow_class)
        ]
        start_nodes = self.flow_class.instance.get_start_nodes(user) if may_act(user) else []
        return super().get_context_data(columns=columns, start_nodes=start_nodes, **kwargs)
