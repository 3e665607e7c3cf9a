from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.decisions.verification import decision_verify_file


class Command(BaseCommand):
    help = "Verify a decision PDF: exit 0 if genuine, unchanged and in force, 1 otherwise, with the reasons."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}) from error
        result = decision_verify_file(data=data)
        decision = result.decision
        if decision is not None:
            self.stdout.write(
                _("%(number)s, case %(case)s, %(kind)s: %(outcome)s, %(date)s, %(status)s")
                % {
                    "number": decision.document_number,
                    "case": decision.case.number if decision.case_id else "—",
                    "kind": decision.kind_label,
                    "outcome": decision.outcome_label,
                    "date": decision.issue_date.isoformat(),
                    "status": decision.get_status_display(),
                }
            )
        reasons = [*result.problems, *([result.status_problem] if result.status_problem else [])]
        if result.in_force:
            self.stdout.write(self.style.SUCCESS(_("VALID: genuine, unchanged and in force.")))
            return
        self.stdout.write(self.style.ERROR(_("NOT VALID:")))
        for reason in reasons:
            self.stdout.write(f"  - {reason}")
        raise SystemExit(1)
