"""The subject's signed 整改承诺书 (domain-rectification.md §6 stage 5, §8 no. 4): after the 整改通知书 the
subject accepts the approved plan through the portal, and the acceptance is sealed as a document of its
own, item by item as the notice set them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions.content import DecisionContent, Ground
from tolerance.decisions.services import decision_issue
from tolerance.models import Case
from tolerance.notifications.services import notify
from workflows.access import is_case_subject
from workflows.rectification import letters, notices
from workflows.rectification.items import NOTICE_KIND
from workflows.rectification.models import PlanCommitment, RectificationStage


def commitment_pending(case: Case, user):
    """The notice whose plan `user`, a subject, has still to sign, or None."""
    if case.stage != RectificationStage.RECTIFYING or not is_case_subject(user, case):
        return None
    notice = case.decisions.filter(kind=NOTICE_KIND).order_by("-id").first()
    if notice is None or case.plan_commitments.filter(notice=notice, signed_by=user).exists():
        return None
    return notice


def _commitment_content(case: Case, user, notice) -> DecisionContent:
    items = case.rectification_items.select_related("gap").prefetch_related("verifiers")
    return DecisionContent(
        facts=_("%(name)s accepts the rectification plan of notice %(notice)s in case %(case)s.")
        % {
            "name": user.profile.real_name or user.get_username(),
            "notice": notice.document_number,
            "case": case.number,
        },
        grounds=[
            Ground(
                condition=f"{item.gap.code} {item.gap.title}",
                finding=_(
                    "Remedy: %(remedy)s\nEvidence required: %(evidence)s\nDue by %(due)s; verified by %(verifier)s."
                )
                % {
                    "remedy": item.remedy,
                    "evidence": item.evidence_required,
                    "due": item.due_on,
                    "verifier": item.departments_text(),
                },
            )
            for item in items
        ],
        reasoning=_(
            "I undertake to complete each item by its deadline with the evidence required, to declare truthfully, "
            "and I know that an item not completed makes the rectification fail and is referred."
        ),
    )


def commitment_sign(*, case: Case, signed_by) -> PlanCommitment:
    """The subject signs the 整改承诺书 of the notice in force; it is sealed and the office told."""
    if not is_case_subject(signed_by, case):
        raise ValidationError(_("Only the subject of the case can sign the commitment."))
    with transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        notice = commitment_pending(case, signed_by)
        if notice is None:
            raise ValidationError(_("No rectification plan is waiting for your signature."))
        with translation.override(settings.LANGUAGE_CODE):
            content = _commitment_content(case, signed_by, notice)
        letter = decision_issue(
            case=case, kind=letters.COMMITMENT, outcome=letters.SIGNED, content=content, issued_by=signed_by
        )
        commitment = PlanCommitment.objects.create(case=case, notice=notice, letter=letter, signed_by=signed_by)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=signed_by,
            case=case,
            target=commitment,
            payload={
                "form": "rectification_commitment",
                "notice": notice.document_number,
                "letter": letter.document_number,
            },
        )
        notify(
            recipients=notices.officers_of(case.institution),
            kind=notices.COMMITMENT_SIGNED,
            event_key=f"rectification:commitment:{commitment.pk}",
            title=lambda: (
                _("Commitment %(number)s signed on case %(case)s")
                % {"number": letter.document_number, "case": case.number}
            ),
            body=lambda: content.facts,
            link=notices.case_link(case),
            case=case,
        )
    return commitment
