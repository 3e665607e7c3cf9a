"""What the shared steps add to the core when the app is ready: the case page section, the names of
their forms and attachments in a case's history, and the referrals' sweep."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.audit.timeline import register_form_titles
from tolerance.case_panels import register_case_panel
from tolerance.scheduling import register_job
from tolerance.selectors.cases import register_case_visibility
from workflows.steps.department_opinions import asked_cases
from workflows.steps.panel import steps_panel_context
from workflows.steps.referrals import referrals_sweep

FORM_TITLES = {"committee_open": _("opening of the committee review")}
# Registered by each case type whose flow has the appeal step (a licence has none).
APPEAL_ATTACHMENT_CATEGORIES = {"appeal": _("Appeal evidence")}


def register() -> None:
    register_form_titles(FORM_TITLES)
    # Every case type's referrals: reminders, escalation and the archiving that waits for them.
    register_job("steps.referrals", every=timedelta(hours=1), run=referrals_sweep)
    register_case_visibility(roles.DEPARTMENT_CONTACT, asked_cases)
    register_case_panel(
        name="workflow", template_name="workflows/case_panel.html", order=20, get_context=steps_panel_context
    )
