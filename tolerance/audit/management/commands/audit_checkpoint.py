from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.audit.checkpoints import ChainMismatchError, CheckpointError, CheckpointKeyError, checkpoint_make


class Command(BaseCommand):
    help = (
        "Verify the audit chain against the earlier checkpoints, then sign its current heads and store the "
        "checkpoint in the database and as a file. Exit 1, signing nothing, if the chain does not verify."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="sign nothing if no event was recorded since the previous checkpoint",
        )

    def handle(self, *args, **options):
        try:
            checkpoint = checkpoint_make(if_changed=options["if_changed"])
        except CheckpointKeyError as error:
            raise CommandError(str(error)) from None
        except CheckpointError as error:
            raise CommandError(
                _("Checkpoint refused: an earlier checkpoint's signature does not verify (%(where)s).")
                % {"where": error.where},
                returncode=1,
            ) from None
        except ChainMismatchError as error:
            raise CommandError(
                _("Checkpoint refused, nothing signed: %(detail)s. Run verify_audit.") % {"detail": error},
                returncode=1,
            ) from None
        if checkpoint is None:
            self.stdout.write(_("Nothing recorded since the last checkpoint; none made."))
            return
        self.stdout.write(
            _("Checkpoint signed: head #%(sequence)s %(hash)s")
            % {"sequence": checkpoint.sequence, "hash": checkpoint.event_hash}
        )
