from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tolerance.decisions.models import Decision
from tolerance.decisions.verification import decision_verify_code, decision_verify_file
from tolerance.file_store import file_store_read


class Command(BaseCommand):
    help = (
        "Verify a decision PDF: exit 0 if genuine, unchanged and in force, 1 otherwise, with the reasons. "
        "With --all: every issued decision's stored files (after a restore), exit 1 if any is not genuine."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument(
            "--all", action="store_true", help="verify the archived files of every issued decision instead"
        )

    def handle(self, *args, file: Path | None, all: bool, **options):
        if all:
            return self._verify_all()
        if file is None:
            raise CommandError(_("Name a decision PDF, or give --all."))
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

    def _verify_all(self):
        """Genuine and unchanged is what a restore must keep; a revoked or superseded decision is still genuine."""
        failed = 0
        decisions = Decision.objects.select_related("case").order_by("pk")
        for decision in decisions:
            results = [decision_verify_code(code=decision.verification_code)]
            if decision.english_sha256:
                try:
                    english = file_store_read(Decision.storage_name_for(decision.english_sha256))
                except OSError as error:
                    raise CommandError(
                        _("%(number)s: the English rendering cannot be read: %(error)s")
                        % {"number": decision.document_number, "error": error}
                    ) from error
                results.append(decision_verify_file(data=english))
            problems = [problem for result in results for problem in result.problems]
            if all(result.genuine for result in results):
                self.stdout.write(f"{decision.document_number}: " + _("genuine and unchanged"))
                continue
            failed += 1
            self.stdout.write(self.style.ERROR(f"{decision.document_number}: " + "; ".join(problems)))
        if failed:
            raise CommandError(
                _("%(failed)s of %(count)s decisions do not verify.") % {"failed": failed, "count": len(decisions)},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("All %(count)s decisions verify.") % {"count": len(decisions)}))
