from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

OFFICER_PERMISSIONS = {
    "workflows.view_exemptionprocess",
    "workflows.officer_task_exemptionprocess",
    "workflows.view_policyversion",
    "workflows.view_policyitem",
}
# How each workflow form reads in a case's history (the audit events store the code only).
FORM_TITLES = {
    "exemption_filing": _("exemption filing"),
    "completeness_check": _("completeness check"),
    "supplement": _("supplementary materials"),
    "investigation": _("investigation findings"),
    "rule_evaluation": _("confirmation of the proposed outcome"),
    "committee_open": _("opening of the committee review"),
}
COMMITTEE_PERMISSIONS = {"workflows.view_exemptionprocess", "workflows.view_policyversion", "workflows.view_policyitem"}


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from tolerance import roles
        from tolerance.attachment_categories import register_attachment_categories
        from tolerance.audit.timeline import register_form_titles
        from tolerance.case_panels import register_case_panel
        from workflows.forms import EVIDENCE_CATEGORIES
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
        register_form_titles(FORM_TITLES)
        register_attachment_categories(
            {**EVIDENCE_CATEGORIES, "supplement": _("Supplementary material"), "appeal": _("Appeal evidence")}
        )
        register_case_panel(
            name="exemption", template_name="workflows/case_panel.html", order=20, get_context=exemption_panel_context
        )
