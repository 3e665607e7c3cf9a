from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _allow_test_truncate(sender, connection, **kwargs):
    # The append-only trigger refuses TRUNCATE unless the session opts in; only test settings do,
    # because Django empties tables with TRUNCATE after each transactional test.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET tolerance.audit_allow_truncate = 'on'")


class AuditConfig(AppConfig):
    name = "tolerance.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from tolerance.audit import auth_events, permission_events, task_lifecycle
        from tolerance.audit.timeline import timeline_panel_context
        from tolerance.case_panels import register_case_panel

        auth_events.connect()
        task_lifecycle.connect()
        permission_events.connect()
        register_case_panel(
            name="timeline", template_name="audit/case_timeline.html", order=90, get_context=timeline_panel_context
        )
        if settings.AUDIT_ALLOW_TRUNCATE:
            connection_created.connect(_allow_test_truncate, dispatch_uid="audit.allow_test_truncate")
