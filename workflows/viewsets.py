"""The workflow applications shown in the site menu, one per case type, each filtered by case visibility."""

from viewflow.workflow.flow import FlowAppViewset

from workflows import lists
from workflows.visibility import guard_url_patterns, may_use_flow_pages, processes_visible_to

DEFAULT_FLOW_ICON = "assignment"


class ToleranceFlowAppViewset(FlowAppViewset):
    """A flow application whose every page shows only the cases the user may see.

    One enforcement point: every URL of the flow and of its nodes is wrapped by
    `guard_url_patterns` (404 for a process whose case is invisible, 403 for acting read-only), and
    the list pages are our own, filtered and keyset-paged (workflows.lists).
    """

    dashboard_view_class = lists.DashboardView
    inbox_view_class = lists.InboxView
    queue_view_class = lists.QueueView
    archive_view_class = lists.ArchiveView
    process_list_view_class = lists.ProcessListView
    task_list_view_class = lists.TaskListView

    def has_view_permission(self, user, obj=None):
        if not (may_use_flow_pages(user) and self._flow_class.instance.has_view_permission(user)):
            return False
        return obj is None or processes_visible_to(user).filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        """What the bulk claim and release actions may touch: the user's queue, or their inbox."""
        if request.resolver_match.url_name == "tasks_unassign":
            return lists.inbox_tasks(request.user, self._flow_class)
        return lists.queue_tasks(request.user, self._flow_class)

    def get_context_data(self, request):
        """The menu badges, capped so that drawing them never counts a whole table."""
        return {
            "user_inbox": lists.CappedCount(lists.inbox_tasks(request.user, self._flow_class)),
            "user_queue": lists.CappedCount(lists.queue_tasks(request.user, self._flow_class)),
        }

    def _get_urls(self):
        return guard_url_patterns(super()._get_urls())


def flow_applications(flow_classes):
    return [
        ToleranceFlowAppViewset(flow_class, icon=getattr(flow_class, "icon", DEFAULT_FLOW_ICON))
        for flow_class in flow_classes
    ]
