from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.audit.checkpoints import CheckpointKeyError, checkpoint_make


class Command(BaseCommand):
    help = "Sign the current audit chain heads and store the checkpoint in the database and as a file."

    def handle(self, *args, **options):
        try:
            checkpoint = checkpoint_make()
        except CheckpointKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Checkpoint signed: head #%(sequence)s %(hash)s")
            % {"sequence": checkpoint.sequence, "hash": checkpoint.event_hash}
        )
