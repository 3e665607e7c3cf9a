"""What the shared steps add to the core when the app is ready: the case page section and the names of
their forms and attachments in a case's history."""

from django.utils.translation import gettext_lazy as _

from tolerance import roles
from tolerance.attachment_categories import register_attachment_categories
from tolerance.audit.timeline import register_form_titles
from tolerance.case_panels import register_case_panel
from tolerance.selectors.cases import register_case_visibility
from workflows.steps.department_opinions import asked_cases
from workflows.steps.panel import steps_panel_context

FORM_TITLES = {"committee_open": _("opening of the committee review")}


def register() -> None:
    register_form_titles(FORM_TITLES)
    register_attachment_categories({"appeal": _("Appeal evidence")})
    register_case_visibility(roles.DEPARTMENT_CONTACT, asked_cases)
    register_case_panel(
        name="workflow", template_name="workflows/case_panel.html", order=20, get_context=steps_panel_context
    )
