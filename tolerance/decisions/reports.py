"""Sealed reports: documents of figures (the annual report) sealed and verified exactly like a decision.

A report is a Decision row without a case (and, for the whole deployment, without an institution), of a
kind its producer registered; /verify/ and verify_decision accept its PDF like any decision's. The tables
are recorded in `content`, so the figures a verifier is shown are the ones the PDF prints.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions import document
from tolerance.decisions.assets import asset_url
from tolerance.decisions.kinds import decision_kind_spec
from tolerance.decisions.models import Decision
from tolerance.decisions.rendering import render_document
from tolerance.decisions.seal import SEAL_SIZE_MM
from tolerance.decisions.sealing import SealRequest, get_sealer
from tolerance.decisions.services import DecisionIssueError, failed_step, unique_verification_code
from tolerance.file_store import file_store_save

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealIdentity:
    """Who seals a deployment-wide report: the sealer needs only a code (its certificate) and a name."""

    code: str
    name_zh: str


def deployment_identity() -> SealIdentity:
    return SealIdentity(code=settings.DEPLOYMENT_SEAL["code"], name_zh=settings.DEPLOYMENT_SEAL["name_zh"])


def _document_number(*, issuer_code: str, kind: str, year: int) -> tuple[int, str]:
    sequence = Decision.objects.filter(kind=kind, year=year, document_number__startswith=f"{issuer_code}-").count() + 1
    return sequence, f"{issuer_code}-{kind.upper()}-{year}-{sequence:03d}"


def report_issue(*, institution, kind: str, year: int, outcome: str, context: dict, issued_by) -> Decision:
    """Render `kind`'s template with `context` (its tables), seal it as `institution` (None: the deployment),
    store and record it; the same transaction records the audit event. DecisionIssueError if it fails."""
    spec = decision_kind_spec(kind)
    if spec is None or outcome not in spec.outcomes:
        raise DecisionIssueError(_("Unknown decision kind."))
    try:
        return _issue(
            institution=institution, spec=spec, year=year, outcome=outcome, context=context, issued_by=issued_by
        )
    except DecisionIssueError:
        raise
    except Exception as error:
        logger.exception("Issuing a %s report for %s failed", kind, year)
        raise DecisionIssueError(
            _("%(step)s Nothing was issued; please try again, or contact the administrator if it keeps failing.")
            % {"step": failed_step(error)}
        ) from error


def _issue(*, institution, spec, year, outcome, context, issued_by) -> Decision:
    kind = spec.kind
    identity = institution if institution is not None else deployment_identity()
    issue_date = timezone.localdate()
    with transaction.atomic():
        sequence, document_number = _document_number(issuer_code=identity.code, kind=kind, year=year)
        code = unique_verification_code()
        source = render_to_string(
            spec.templates[document.CHINESE.language],
            {
                **context,
                "assets": {"fonts": asset_url("fonts.css"), "css": asset_url("decision.css")},
                "title": spec.titles[document.CHINESE.language],
                "issuer_name": identity.name_zh,
                "document_number": document_number,
                "verification_code": code,
                "verification_url": document.verification_url(code),
                "qr_svg": document.qr_svg(document.verification_url(code)),
                "issue_date_text": document.CHINESE.date(issue_date),
                "seal_size_mm": SEAL_SIZE_MM,
            },
        )
        rendered = render_document(source, embedded=[])
        sealer = get_sealer()
        sealed = sealer.seal(
            rendered.pdf,
            SealRequest(
                institution=identity,
                page_index=rendered.seal_page,
                box=rendered.seal_box,
                reason=f"{spec.titles[document.CHINESE.language]} {document_number}",
            ),
        )
        report = sealer.verify(sealed)
        if not report.ok:
            raise DecisionIssueError(
                _("The sealed document failed its own verification: %(problems)s Nothing was issued.")
                % {"problems": " ".join(report.problems)}
            )
        signature = report.certifying_signature
        sha256 = hashlib.sha256(sealed).hexdigest()
        now = timezone.now()
        decision = Decision(
            case=None,
            institution=institution,
            kind=kind,
            outcome=outcome,
            year=year,
            sequence=sequence,
            document_number=document_number,
            verification_code=code,
            issue_date=issue_date,
            # A report decides nothing and has no appeal: the field is required of every decision.
            appeal_deadline=issue_date,
            sha256=sha256,
            size=len(sealed),
            page_count=rendered.page_count,
            signer_fingerprint=signature.signer_fingerprint,
            signer_subject=signature.signer_subject[:300],
            signed_at=signature.signing_time or now,
            signature_level=report.signature_level,
            content={"issuer": identity.name_zh, "tables": context.get("records", [])},
            issued_by=issued_by,
            issued_at=now,
        )
        file_store_save(name=decision.storage_name, content=ContentFile(sealed))
        decision.save()
        audit_record(
            action=AuditAction.DECISION_ISSUED,
            actor=issued_by,
            target=decision,
            payload={"document_number": document_number, "kind": kind, "year": year, "sha256": sha256},
        )
    return decision
