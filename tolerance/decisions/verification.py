"""Public verification of decisions: by verification code or by the PDF itself. Each one is audited.

A file is accepted only if every signature is intact, valid and trusted, the last signature or
timestamp covers the whole file, and its SHA-256 is that of an issued decision. Whether that decision
is still in force is reported separately: a superseded decision is genuine but no longer in force.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions.anchoring import decision_status_problem
from tolerance.decisions.document import verification_code_normalise
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.decisions.sealing import VerificationReport, get_sealer
from tolerance.decisions.selectors import decision_find
from tolerance.file_store import file_store_read

logger = logging.getLogger(__name__)
METHOD_CODE = "code"
METHOD_UPLOAD = "upload"


@dataclass(frozen=True)
class VerificationResult:
    method: str
    decision: Decision | None
    report: VerificationReport | None
    problems: list[str] = field(default_factory=list)

    @property
    def genuine(self) -> bool:
        """Sealed by a trusted institution, unaltered, and byte-identical to an issued record."""
        return self.decision is not None and not self.problems

    @property
    def is_english_rendering(self) -> bool:
        return self.genuine and self.report is not None and self.report.sha256 == self.decision.english_sha256

    @property
    def in_force(self) -> bool:
        return self.genuine and self.decision.status == DecisionStatus.IN_FORCE

    @property
    def status_problem(self) -> str:
        if not self.genuine or self.in_force:
            return ""
        if self.decision.status == DecisionStatus.SUPERSEDED:
            return _("The decision is genuine but has been superseded by a later decision; it is no longer in force.")
        return _("The decision is genuine but has been revoked; it is no longer in force.")


def _matched(report: VerificationReport, decision: Decision | None) -> list[str]:
    problems = list(report.problems)
    if decision is not None and (status_problem := decision_status_problem(decision)):
        # The file may be the issued one, but whether it is in force cannot be vouched for.
        problems.append(status_problem)
    if decision is None:
        problems.append(
            _("No decision was issued with this exact file: it is not byte-identical to any issued record.")
        )
    elif report.sha256 not in (decision.sha256, decision.english_sha256):
        problems.append(
            _("The file is not byte-identical to the issued decision %(number)s.")
            % {"number": decision.document_number}
        )
    return problems


def _record(result: VerificationResult, *, actor, sha256: str, code: str = "") -> None:
    decision = result.decision
    with transaction.atomic():
        audit_record(
            action=AuditAction.DECISION_VERIFIED,
            actor=actor,
            case=decision.case if decision is not None else None,
            target=decision,
            payload={
                "method": result.method,
                "code": code,
                "sha256": sha256,
                "genuine": result.genuine,
                "in_force": result.in_force,
                "english_rendering": result.is_english_rendering,
                "problems": result.problems,
            },
        )


def decision_verify_code(*, code: str, actor=None) -> VerificationResult:
    """Look up the record and check that the stored file still is what was issued."""
    normalised = verification_code_normalise(code)
    decision = decision_find(verification_code=normalised) if normalised else None
    if decision is None:
        result = VerificationResult(
            method=METHOD_CODE, decision=None, report=None, problems=[_("No decision has this verification code.")]
        )
        _record(result, actor=actor, sha256="", code=normalised or code[:40])
        return result
    try:
        stored = file_store_read(decision.storage_name)
    except OSError:
        logger.exception("Stored file of decision %s is unreadable", decision.document_number)
        result = VerificationResult(
            method=METHOD_CODE,
            decision=decision,
            report=None,
            problems=[_("The issued file cannot be read from the archive; the administrator must restore it.")],
        )
        _record(result, actor=actor, sha256="", code=normalised)
        return result
    report = get_sealer().verify(stored)
    result = VerificationResult(
        method=METHOD_CODE, decision=decision, report=report, problems=_matched(report, decision)
    )
    _record(result, actor=actor, sha256=report.sha256, code=normalised)
    return result


def decision_verify_file(*, data: bytes, actor=None) -> VerificationResult:
    report = get_sealer().verify(data)
    decision = decision_find(sha256=report.sha256)
    if decision is None and report.verification_code:
        # Not the issued bytes, but it claims to be a given decision: name it so the reader knows
        # which record the file fails to match.
        decision_claimed = decision_find(verification_code=verification_code_normalise(report.verification_code))
        result = VerificationResult(
            method=METHOD_UPLOAD, decision=None, report=report, problems=_matched(report, decision_claimed)
        )
    else:
        result = VerificationResult(
            method=METHOD_UPLOAD, decision=decision, report=report, problems=_matched(report, decision)
        )
    _record(result, actor=actor, sha256=report.sha256)
    return result
