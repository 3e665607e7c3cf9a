from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.audit.checkpoints import CheckpointError, CheckpointKeyError, checkpoint_anchors
from tolerance.audit.state_checks import state_differences
from tolerance.audit.verification import Problem, Tamper, chain_verify
from tolerance.models import Case


class Command(BaseCommand):
    help = (
        "Recompute the audit hash chains and check them against the signed checkpoints, and the stored state "
        "the chain also records (decisions' status) against it. Exit 1 if tampered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--case", metavar="NUMBER", help="verify only this case's chain, e.g. GUET-MZ-2026-0001")

    def handle(self, *args, **options):
        case = None
        if options["case"]:
            case = Case.objects.filter(number=options["case"]).first()
            if case is None:
                raise CommandError(_("No case numbered %(number)s.") % {"number": options["case"]})
        try:
            anchors, checkpoints = checkpoint_anchors(case=case)
        except CheckpointKeyError as error:
            raise CommandError(str(error)) from None
        except CheckpointError as error:
            self._fail(Problem(Tamper.BAD_CHECKPOINT, error.sequence, error.where))
        result = chain_verify(case=case, anchors=anchors)
        if not result.intact:
            self._fail(result.problem)
        if case is None and (differences := state_differences()):
            raise CommandError(
                _("Stored state disagrees with the audit trail:\n%(differences)s")
                % {"differences": "\n".join(differences)},
                returncode=1,
            )
        scope = _("case %(number)s") % {"number": case.number} if case else _("global chain")
        self.stdout.write(
            _(
                "Audit trail intact (%(scope)s): %(count)s events, head #%(sequence)s %(hash)s, %(checkpoints)s signed checkpoints."
            )
            % {
                "scope": scope,
                "count": result.count,
                "sequence": result.head_position,
                "hash": result.head_hash,
                "checkpoints": checkpoints,
            }
        )

    def _fail(self, problem: Problem):
        if problem.sequence is None:
            raise CommandError(
                _("Audit trail TAMPERED: %(kind)s (%(detail)s).") % {"kind": problem.label, "detail": problem.detail},
                returncode=1,
            )
        raise CommandError(
            _("Audit trail TAMPERED at #%(sequence)s: %(kind)s (%(detail)s).")
            % {"sequence": problem.sequence, "kind": problem.label, "detail": problem.detail},
            returncode=1,
        )
