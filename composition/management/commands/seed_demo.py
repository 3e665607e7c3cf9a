from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from tolerance import demo, roles
from workflows.exemption.demo import seed_cases
from workflows.exemption.demo_applications import seed_self_applications
from workflows.licensing.demo import seed_cases as seed_licences
from workflows.rectification.demo import seed_cases as seed_rectification_cases


class Command(BaseCommand):
    help = "Create the demo institutions, users and cases. Safe to run again: it changes nothing then."

    def handle(self, *args, **options):
        with transaction.atomic():
            institutions = demo.seed_institutions()
            users = demo.seed_users(institutions)
        # The demo cases include issued decisions, sealed with each demo institution's development
        # certificate, which can only be minted once the institution exists.
        call_command("init_pki", if_missing=True, verbosity=options["verbosity"], stdout=self.stdout)
        # Demo users have made-up addresses: the notifications the demo cases trigger go nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            seed_cases(institutions=institutions, users=users)
            seed_self_applications(institutions=institutions, users=users)
            seed_rectification_cases(institutions=institutions, users=users)
            seed_licences(institutions=institutions, users=users)
        # Anchor what was just recorded at once rather than at the next cron run: until a checkpoint
        # covers them, whoever can write the database could rewrite these events unnoticed.
        call_command("audit_checkpoint", if_changed=True, verbosity=options["verbosity"], stdout=self.stdout)
        if options["verbosity"] >= 1:
            self._print_logins()

    def _print_logins(self):
        custom = demo.demo_password() != demo.DEFAULT_DEMO_PASSWORD
        password = "$DEMO_PASSWORD" if custom else demo.DEFAULT_DEMO_PASSWORD
        self.stdout.write(_("Demo logins (password: %(password)s):") % {"password": password})
        for spec in demo.DEMO_USERS:
            role = str(roles.ROLE_LABELS.get(spec.role, ""))
            self.stdout.write(
                f"  {spec.username:<18} {spec.real_name:<8} {role:<20} {spec.institution or spec.organisation}"
            )
