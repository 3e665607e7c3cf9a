from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ToleranceConfig(AppConfig):
    name = "tolerance"
    verbose_name = _("Tolerance case management")

    def ready(self):
        from tolerance import roles
        from tolerance.services import search

        search.connect()

        # Permissions of apps migrated later (viewflow proxies, audit, decisions) only exist after
        # their own migrations, so role permissions are synchronised after every migrate.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="tolerance.sync_roles")
