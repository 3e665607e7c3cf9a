from django.core.management.base import BaseCommand, CommandError

from tolerance.models import Institution
from workflows.exemption.policy import POLICY_DIR, policy_load
from workflows.licensing.policy import licensing_policies_load
from workflows.rectification.policy import catalogue_load_all


class Command(BaseCommand):
    help = (
        "Load the tolerance list versions in fixtures/policy/<CODE>-v<N>.json and the gap catalogues in "
        "<CODE>-ZG-v<N>.json; versions already loaded are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Institution codes (default: every institution with a file).")

    def handle(self, *args, codes, **options):
        institutions = Institution.objects.filter(code__in=codes) if codes else Institution.objects.all()
        if codes and len(institutions) != len(set(codes)):
            raise CommandError(f"Unknown institution among {codes}.")
        for institution in institutions:
            for path in sorted(POLICY_DIR.glob(f"{institution.code}-v*.json")):
                version = policy_load(institution=institution, path=path)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"{path.name}: {'loaded ' + str(version) if version else 'already loaded'}")
            for version in catalogue_load_all(institution):
                if options["verbosity"] >= 1 and version:
                    self.stdout.write(f"loaded {version}")
            for version in licensing_policies_load(institution):
                if options["verbosity"] >= 1:
                    self.stdout.write(f"licensing: {'loaded ' + str(version) if version else 'already loaded'}")
