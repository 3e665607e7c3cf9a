from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "tolerance.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self):
        from tolerance import roles
        from tolerance.case_panels import register_case_panel
        from tolerance.decisions.views import case_panel_context

        roles.extend_role_permissions(
            {
                roles.OFFICER: {"decisions.view_decision", "decisions.change_decision"},
                roles.COMMITTEE_MEMBER: {"decisions.view_decision"},
                roles.COMMITTEE_CHAIR: {"decisions.view_decision"},
            }
        )
        register_case_panel(
            name="decisions",
            template_name="decisions_web/case_panel.html",
            order=30,
            get_context=case_panel_context,
        )
