from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.backup import BackupError, site_backup


class Command(BaseCommand):
    help = (
        "Back up the database, the archive (evidence, decisions) and the audit checkpoint copies into a new "
        "directory, while the site runs. Restore with site_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            summary = site_backup(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Backed up into %(directory)s: database %(bytes)s bytes, %(archive)s archive files, %(checkpoints)s checkpoint files."
            )
            % {
                "directory": directory,
                "bytes": summary.database_bytes,
                "archive": summary.files.get("archive", 0),
                "checkpoints": summary.files.get("checkpoints", 0),
            }
        )
