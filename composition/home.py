from django.views.generic import TemplateView
from viewflow.workflow.flow import FlowAppViewset

from tolerance import roles
from tolerance.db_routing import replica_reads
from tolerance.selectors.cases import cases_visible_to
from tolerance.selectors.statistics import case_counts_by_institution
from tolerance.statistics.rollup import statistics_rollup_current
from workflows.exemption.self_applications import may_apply
from workflows.steps.selectors import committee_work_pending


def workflow_entry_points(site, user) -> list[dict]:
    """For each workflow the user may open: the cases they may start there and their task lists."""
    entries = []
    for app in site.menu_items():
        if not isinstance(app, FlowAppViewset) or not app.has_view_permission(user):
            continue
        # Viewflow's own WorkflowAppViewset reads a flow application's flow class the same way.
        flow = app._flow_class.instance
        entries.append(
            {
                "title": app.title,
                "starts": [(node.task_title, node.reverse("execute")) for node in flow.get_start_nodes(user)],
                "inbox": app.reverse("inbox"),
                "queue": app.reverse("queue"),
                "archive": app.reverse("archive"),
            }
        )
    return entries


class HomeView(TemplateView):
    """Shows each role what it can do; the figures come from the same selectors as the lists."""

    template_name = "tolerance/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        user_role_names = roles.user_roles(user)
        context["roles"] = user_role_names
        context["is_officer"] = roles.OFFICER in user_role_names or user.is_superuser
        context["is_party"] = bool(user_role_names & {roles.RESEARCHER, roles.LICENSEE_CONTACT})
        context["is_supervisor"] = roles.SUPERVISOR in user_role_names
        context["is_administrator"] = roles.ADMINISTRATOR in user_role_names or user.is_superuser
        context["workflows"] = workflow_entry_points(self.request.resolver_match.site, user)
        context["committee_pending"] = committee_work_pending(user)
        context["show_result_register"] = context["is_officer"] or roles.DEPARTMENT_CONTACT in user_role_names
        context["show_department_desk"] = roles.DEPARTMENT_CONTACT in user_role_names
        # A person concerned applies for 容错 themselves; officers adopt applications rather than file them.
        context["may_apply_exemption"] = may_apply(user) and not context["is_officer"]
        context["recent_cases"] = cases_visible_to(user).select_related("institution").order_by("-id")[:10]
        if context["is_supervisor"]:
            # The stored figures exist once the scheduler has run; on a fresh deployment the first build is
            # made here, on the primary, as the statistics page does.
            statistics_rollup_current()
            # Figures over every visible case: a replica's moment of lag is harmless here.
            with replica_reads():
                context["statistics"] = case_counts_by_institution(user)
        return context
