from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OFFICER_PERMISSIONS = {
    "workflows.view_exemptionprocess",
    "workflows.officer_task_exemptionprocess",
    "workflows.view_policyversion",
    "workflows.view_policyitem",
}
COMMITTEE_PERMISSIONS = {"workflows.view_exemptionprocess", "workflows.view_policyversion", "workflows.view_policyitem"}


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from tolerance import roles
        from tolerance.case_panels import register_case_panel
        from workflows.panels import exemption_panel_context

        roles.extend_role_permissions(
            {
                roles.OFFICER: OFFICER_PERMISSIONS,
                roles.COMMITTEE_MEMBER: COMMITTEE_PERMISSIONS,
                roles.COMMITTEE_CHAIR: COMMITTEE_PERMISSIONS | {"workflows.chair_task_exemptionprocess"},
                roles.SUPERVISOR: {
                    "workflows.view_exemptionprocess",
                    "workflows.view_policyversion",
                    "workflows.view_policyitem",
                },
                roles.ADMINISTRATOR: {
                    "workflows.view_policyversion",
                    "workflows.add_policyversion",
                    "workflows.change_policyversion",
                    "workflows.view_policyitem",
                    "workflows.add_policyitem",
                    "workflows.change_policyitem",
                },
            }
        )
        register_case_panel(
            name="exemption", template_name="workflows/case_panel.html", order=20, get_context=exemption_panel_context
        )
