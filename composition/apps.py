from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompositionConfig(AppConfig):
    """The site as users meet it: the menu, the home page, the URL map and the demo, composed from the core
    and every case type. It sits above them all, so neither the core nor a flow knows which others exist."""

    name = "composition"
    verbose_name = _("Site")
