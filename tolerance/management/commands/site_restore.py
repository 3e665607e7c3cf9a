from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.backup import BackupError, site_restore


class Command(BaseCommand):
    help = (
        "Restore a site_backup directory into the configured database (newly created, empty) and file stores; "
        "then run verify_audit and verify_decision --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--verify",
            action="store_true",
            help="then run verify_audit and verify_decision --all (exit 1 if either fails)",
        )

    def handle(self, *args, directory: Path, verify: bool, **options):
        try:
            summary = site_restore(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Restored from %(directory)s: %(archive)s archive files, %(checkpoints)s checkpoint files. Now run verify_audit and verify_decision --all."
            )
            % {
                "directory": directory,
                "archive": summary.files.get("archive", 0),
                "checkpoints": summary.files.get("checkpoints", 0),
            }
        )
        if verify:
            call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
            call_command("verify_decision", all=True, stdout=self.stdout, stderr=self.stderr)
