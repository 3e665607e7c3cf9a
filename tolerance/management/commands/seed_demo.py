from django.core.management.base import BaseCommand
from django.db import transaction

from tolerance import demo


class Command(BaseCommand):
    help = "Create the demo institutions, users and cases. Safe to run again: it changes nothing then."

    def handle(self, *args, **options):
        with transaction.atomic():
            institutions = demo.seed_institutions()
            users = demo.seed_users(institutions)
        from workflows.demo import seed_cases

        seed_cases(institutions=institutions, users=users)
        if options["verbosity"] >= 1:
            self.stdout.write("Demo logins (password: %s):" % ("$DEMO_PASSWORD" if demo.demo_password() != demo.DEFAULT_DEMO_PASSWORD else demo.DEFAULT_DEMO_PASSWORD))
            for spec in demo.DEMO_USERS:
                place = spec.institution or spec.organisation
                self.stdout.write(f"  {spec.username:<18} {spec.real_name:<8} {spec.role or '':<18} {place}")
