"""Issuing, revoking, downloading and verifying decisions. Every write records its audit event."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.selectors import case_chain_head
from tolerance.audit.services import audit_record
from tolerance.decisions import document
from tolerance.decisions.content import DecisionContent
from tolerance.decisions.kinds import decision_kind_spec
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.decisions.numbering import decision_number_allocate, decision_number_expected
from tolerance.decisions.pki import PkiError
from tolerance.decisions.rendering import EmbeddedFile, RenderedDocument, RenderError, render_template_to_pdf
from tolerance.decisions.sealing import SealingError, SealRequest, VerificationReport, get_sealer
from tolerance.file_store import file_store_read, file_store_save
from tolerance.models import Case
from tolerance.selectors.policy import case_policy
from tolerance.text import text_validate
from tolerance.working_days import add_working_days

logger = logging.getLogger(__name__)


class DecisionIssueError(ValidationError):
    """Nothing was issued; the message says why, in the user's language."""


class DecisionFileCorrupted(Exception):
    """The stored PDF no longer has the SHA-256 recorded at issue: storage was tampered with or damaged."""


def _check_request(*, case: Case, kind: str, outcome: str, content: DecisionContent) -> None:
    spec = decision_kind_spec(kind)
    if spec is None:
        raise DecisionIssueError(_("Unknown decision kind."))
    if outcome not in spec.outcomes:
        raise DecisionIssueError(_("This outcome does not belong to this kind of decision."))
    if not content.facts.strip():
        raise DecisionIssueError(_("The decision must state the facts found."))
    if not content.grounds:
        raise DecisionIssueError(_("The decision must state its grounds, condition by condition."))
    if not content.reasoning.strip():
        raise DecisionIssueError(_("The decision must state its reasoning."))
    if spec.requires_licence_terms and not content.licence_terms:
        raise DecisionIssueError(_("A licence decision needs its licence terms."))
    old = content.supersedes
    if old is not None and old.case_id != case.pk:
        raise DecisionIssueError(_("A decision can only supersede a decision of the same case."))


def unique_verification_code() -> str:
    while True:
        code = document.verification_code_new()
        if not Decision.objects.filter(verification_code=code).exists():
            return code


def decision_issue(*, case: Case, kind: str, outcome: str, content: DecisionContent, issued_by) -> Decision:
    """Render, seal, store and record a decision in one transaction; raise DecisionIssueError otherwise.

    Issued decisions are final: a correction is a new decision with `content.supersedes` set, and the
    old one becomes superseded in the same transaction.
    """
    _check_request(case=case, kind=kind, outcome=outcome, content=content)
    try:
        with transaction.atomic():
            decision = _issue(case=case, kind=kind, outcome=outcome, content=content, issued_by=issued_by)
    except DecisionIssueError:
        raise
    except Exception as error:
        logger.exception("Issuing a %s decision for case %s failed", kind, case.number)
        raise DecisionIssueError(
            _(
                "%(step)s Nothing was issued and the task stays open; please try again, or contact the "
                "administrator if it keeps failing."
            )
            % {"step": failed_step(error)}
        ) from error
    return decision


def failed_step(error: Exception) -> str:
    if isinstance(error, (SealingError, PkiError)):
        return _("The institution's electronic seal could not be applied.")
    if isinstance(error, RenderError):
        return _("The decision document could not be rendered.")
    return _("The decision could not be produced.")


@dataclass(frozen=True)
class _Produced:
    rendered: RenderedDocument
    sealed: bytes
    report: VerificationReport


def _produce(*, rendering: document.Rendering, context: dict, trail: EmbeddedFile) -> _Produced:
    """Render one language version, seal it, and check the sealed file as a verifier would."""
    kind = context["kind"]
    rendered = render_template_to_pdf(rendering.template(kind), context, embedded=[trail])
    sealer = get_sealer()
    sealed = sealer.seal(
        rendered.pdf,
        SealRequest(
            institution=context["institution"],
            page_index=rendered.seal_page,
            box=rendered.seal_box,
            reason=f"{document.CHINESE.title(kind)} {context['document_number']}",
        ),
    )
    report = sealer.verify(sealed)
    if not report.ok:
        raise DecisionIssueError(
            _("The sealed document failed its own verification: %(problems)s Nothing was issued.")
            % {"problems": " ".join(report.problems)}
        )
    return _Produced(rendered=rendered, sealed=sealed, report=report)


def _issue(*, case, kind, outcome, content, issued_by) -> Decision:
    old = content.supersedes
    if old is not None:
        old = Decision.objects.select_for_update().get(pk=old.pk)
        if old.status != DecisionStatus.IN_FORCE:
            raise DecisionIssueError(_("Only a decision in force can be superseded."))
    institution = case.institution
    issue_date = timezone.localdate()
    numbering = {"institution": institution, "case_type": case.case_type, "year": issue_date.year}
    code = unique_verification_code()
    appeal_deadline = add_working_days(issue_date, case_policy(case).appeal_working_days)
    audit_head = case_chain_head(case)
    trail = EmbeddedFile(
        name=document.TRAIL_FILE_NAME, data=document.trail_excerpt(case), description="Audit trail excerpt (JSON)"
    )

    def produce(document_number):
        return {
            rendering.language: _produce(
                rendering=rendering,
                context=document.template_context(
                    case=case,
                    kind=kind,
                    outcome=outcome,
                    content=content,
                    document_number=document_number,
                    verification_code=code,
                    issue_date=issue_date,
                    appeal_deadline=appeal_deadline,
                    audit_head=audit_head,
                    rendering=rendering,
                ),
                trail=trail,
            )
            for rendering in document.RENDERINGS
        }

    # Rendered before the number row is locked (tolerance.decisions.numbering): again, under the lock,
    # only if another issue took the expected number meanwhile.
    expected, expected_number = decision_number_expected(**numbering)
    produced = produce(expected_number)
    sequence, document_number = decision_number_allocate(**numbering)
    if sequence != expected:
        logger.info("Decision number %s was taken meanwhile; rendering again as %s", expected_number, document_number)
        produced = produce(document_number)
    official, english = produced[document.CHINESE.language], produced[document.ENGLISH.language]
    rendered, sealed, report = official.rendered, official.sealed, official.report
    signature = report.certifying_signature
    sha256 = hashlib.sha256(sealed).hexdigest()
    now = timezone.now()
    decision = Decision(
        case=case,
        institution=institution,
        kind=kind,
        outcome=outcome,
        year=issue_date.year,
        sequence=sequence,
        document_number=document_number,
        verification_code=code,
        issue_date=issue_date,
        appeal_deadline=appeal_deadline,
        sha256=sha256,
        size=len(sealed),
        page_count=rendered.page_count,
        english_sha256=hashlib.sha256(english.sealed).hexdigest(),
        english_size=len(english.sealed),
        signer_fingerprint=signature.signer_fingerprint,
        signer_subject=signature.signer_subject[:300],
        signed_at=signature.signing_time or now,
        signature_level=report.signature_level,
        audit_head_sequence=audit_head[0] if audit_head else None,
        audit_head_hash=audit_head[1] if audit_head else "",
        content=content.as_record(),
        issued_by=issued_by,
        issued_at=now,
        supersedes=old,
    )
    file_store_save(name=decision.storage_name, content=ContentFile(sealed))
    file_store_save(name=Decision.storage_name_for(decision.english_sha256), content=ContentFile(english.sealed))
    decision.save()
    if old is not None:
        old.status = DecisionStatus.SUPERSEDED
        old.status_changed_at = now
        old.save(update_fields=["status", "status_changed_at"])
    common = {"document_number": document_number, "kind": kind, "outcome": outcome}
    audit_record(
        action=AuditAction.DECISION_RENDERED,
        actor=issued_by,
        case=case,
        target=decision,
        payload={
            **common,
            "pages": rendered.page_count,
            "templates": [document.CHINESE.template(kind), document.ENGLISH.template(kind)],
            "audit_head": list(audit_head) if audit_head else None,
        },
    )
    audit_record(
        action=AuditAction.DECISION_SIGNED,
        actor=issued_by,
        case=case,
        target=decision,
        payload={
            **common,
            "signer_fingerprint": decision.signer_fingerprint,
            "signature_level": decision.signature_level,
            "signed_at": decision.signed_at.isoformat(),
        },
    )
    audit_record(
        action=AuditAction.DECISION_ISSUED,
        actor=issued_by,
        case=case,
        target=decision,
        payload={
            **common,
            "sha256": sha256,
            "english_sha256": decision.english_sha256,
            "verification_code": code,
            "appeal_deadline": appeal_deadline.isoformat(),
            "supersedes": old.document_number if old is not None else "",
        },
    )
    return decision


def decision_revoke(*, decision: Decision, reason: str, revoked_by) -> Decision:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason for revoking the decision."))
    text_validate(reason, label=_("revocation reason"), multiline=True, field="reason")
    with transaction.atomic():
        decision = Decision.objects.select_for_update(of=("self",)).select_related("case").get(pk=decision.pk)
        if decision.status != DecisionStatus.IN_FORCE:
            raise ValidationError(_("Only a decision in force can be revoked."))
        decision.status = DecisionStatus.REVOKED
        decision.status_changed_at = timezone.now()
        decision.revocation_reason = reason
        decision.revoked_by = revoked_by
        decision.save(update_fields=["status", "status_changed_at", "revocation_reason", "revoked_by"])
        audit_record(
            action=AuditAction.DECISION_REVOKED,
            actor=revoked_by,
            case=decision.case,
            target=decision,
            payload={"document_number": decision.document_number, "reason": reason},
        )
    return decision


def decision_file_read(*, decision: Decision, read_by, english: bool = False) -> bytes:
    """The stored bytes of the official (or English) rendering, exactly as issued; the download is recorded."""
    sha256 = decision.english_sha256 if english else decision.sha256
    if not sha256:
        raise FileNotFoundError(f"{decision.document_number} has no English rendering")
    data = file_store_read(Decision.storage_name_for(sha256))
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DecisionFileCorrupted(decision.document_number)
    with transaction.atomic():
        audit_record(
            action=AuditAction.DECISION_DOWNLOADED,
            actor=read_by,
            case=decision.case,
            target=decision,
            payload={"document_number": decision.document_number, "sha256": sha256, "english": english},
        )
    return data
