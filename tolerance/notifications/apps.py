from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tolerance.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from tolerance import jobs
        from tolerance.notifications import handoffs

        handoffs.connect()
        jobs.register()
