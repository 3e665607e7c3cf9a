from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.decisions import pki
from tolerance.models import Institution


class Command(BaseCommand):
    help = (
        "Create a development PKI under settings.KEY_DIR: root CA, one sealing certificate per institution "
        "(PKCS#12), the deployment's audit key and a test timestamp authority. Never use it in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Keep an existing PKI; only add what is missing (e.g. certificates of new institutions).",
        )

    def handle(self, *args, if_missing=False, verbosity=1, **options):
        report = self.stdout.write if verbosity > 0 else (lambda message: None)
        paths = pki.configured_paths()
        exists = paths.root_cert.exists()
        if exists and not if_missing:
            raise CommandError(
                _(
                    "A PKI already exists at %(path)s. Use --if-missing to complete it; delete the directory to "
                    "start over (every decision sealed with it will then fail verification)."
                )
                % {"path": paths.key_dir}
            )
        if not exists:
            pki.create_root(paths)
            report(_("Root CA: %(path)s") % {"path": paths.root_cert})
        if not pki.is_development_pki(paths):
            # A production trust root without its key: nothing here may mint certificates under it.
            report(_("Trust roots are configured without a local root key: nothing to create."))
            return
        if not paths.tsa_cert.exists():
            pki.create_tsa(paths)
            report(_("Test timestamp authority: %(path)s") % {"path": paths.tsa_cert})
        if not paths.deployment_key.exists():
            pki.create_deployment_key(paths)
            report(_("Deployment audit key: %(path)s") % {"path": paths.deployment_key})
        for institution in Institution.objects.order_by("code"):
            if not paths.institution_pkcs12(institution.code).exists():
                target = pki.create_institution_certificate(paths, code=institution.code, name=institution.name_zh)
                report(_("Sealing certificate for %(code)s: %(path)s") % {"code": institution.code, "path": target})
