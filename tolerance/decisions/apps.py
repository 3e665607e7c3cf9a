from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "tolerance.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self):
        from tolerance import roles
        from tolerance.audit.state_checks import register_state_check
        from tolerance.case_panels import register_case_panel
        from tolerance.decisions.anchoring import decision_states_compare
        from tolerance.decisions.views import case_panel_context

        roles.extend_role_permissions(
            {
                roles.OFFICER: {"decisions.view_decision", "decisions.change_decision"},
                roles.COMMITTEE_MEMBER: {"decisions.view_decision"},
                roles.COMMITTEE_CHAIR: {"decisions.view_decision"},
            }
        )
        # verify_audit also checks that every decision's stored status is the one its audit events give.
        register_state_check(decision_states_compare)
        register_case_panel(
            name="decisions",
            template_name="decisions_web/case_panel.html",
            order=30,
            get_context=case_panel_context,
        )
