from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """One Django app (label `workflows`) for every flow, so permissions and table names stay put; each
    case type and the shared steps register themselves here."""

    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from workflows import base, nodes
        from workflows.exemption import setup as exemption_setup
        from workflows.licensing import setup as licensing_setup
        from workflows.rectification import setup as rectification_setup
        from workflows.steps import setup as steps_setup

        steps_setup.register()
        exemption_setup.register()
        rectification_setup.register()
        licensing_setup.register()
        nodes.connect()
        base.connect()
