"""What the statistics add to the core when the app is ready: the annual report's decision kind, the job
that builds the stored figures, and the referral of a case to the supervisor (its check and case panel)."""

from tolerance import roles
from tolerance.case_panels import register_case_panel
from tolerance.selectors.cases import register_case_referral
from tolerance.statistics import rollup
from tolerance.statistics.annual import register_annual_report_kind
from tolerance.statistics.referrals import case_referred_to
from tolerance.statistics.views import referral_panel_context


def register() -> None:
    register_annual_report_kind()
    roles.extend_role_permissions(
        {
            roles.ADMINISTRATOR: {
                "tolerance.view_statisticspolicy",
                "tolerance.change_statisticspolicy",
                "tolerance.add_statisticspolicy",
            }
        }
    )
    rollup.register()
    register_case_referral(case_referred_to)
    register_case_panel(
        name="supervisor_referral",
        template_name="statistics/referral_panel.html",
        order=35,
        get_context=referral_panel_context,
    )
