from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ToleranceConfig(AppConfig):
    name = "tolerance"
    verbose_name = _("Tolerance case management")

    def ready(self):
        import datetime

        from tolerance import deployment_checks, roles  # noqa: F401 — deployment_checks registers its check
        from tolerance.scheduling import register_job
        from tolerance.services import search
        from tolerance.services.roster import committee_terms_sweep

        search.connect()

        from tolerance.statistics import setup as statistics_setup

        statistics_setup.register()

        # Permissions of apps migrated later (viewflow proxies, audit, decisions) only exist after
        # their own migrations, so role permissions are synchronised after every migrate.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="tolerance.sync_roles")
        # Committee terms begin and end on dates; the roles the committee steps read follow them.
        register_job("committee.terms", every=datetime.timedelta(hours=1), run=committee_terms_sweep)
