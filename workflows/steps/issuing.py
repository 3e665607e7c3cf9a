"""Issuing a case's decision and notifying the people it concerns, for a case of any type.

The case type supplies the decision's content (its grounds are type-specific) and, optionally, extra
wording for the notice; this step checks the committee resolved, issues the sealed decision, moves the
case to its appeal window (or closes it after an appeal) and tells the subjects and HR.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.case_types import case_type_spec_for
from tolerance.decisions.services import decision_issue
from tolerance.models import Case
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from workflows.steps import notices
from workflows.steps.appeal import is_appeal_review
from workflows.steps.committee import review_current


def previous_decision(case: Case):
    """The decision an appeal review's decision supersedes."""
    if not is_appeal_review(case):
        return None
    return case.decisions.filter(kind=case_type_spec_for(case).decision_kind).order_by("-id").first()


def _notification_text(*, case: Case, decision, outcome: str) -> tuple[str, str]:
    spec = case_type_spec_for(case)
    subject = _("Decision %(number)s on case %(case)s") % {"number": decision.document_number, "case": case.number}
    body = _("The decision on case %(case)s has been issued: %(outcome)s. Appeal deadline: %(deadline)s.") % {
        "case": case.number,
        "outcome": spec.outcome_label(outcome),
        "deadline": decision.appeal_deadline,
    }
    extra = spec.decision_notice(case=case, outcome=outcome) if spec.decision_notice else ""
    if extra:
        body += "\n\n" + extra
    return subject, body


def _notify(*, case: Case, decision, outcome: str, actor) -> None:
    # Each person concerned reads it in their language; it leaves only once the decision is committed.
    told = notices.decision_issued(
        case, decision, lambda: _notification_text(case=case, decision=decision, outcome=outcome)
    )
    audit_record(
        action=AuditAction.NOTIFICATION_SENT,
        actor=actor,
        case=case,
        target=decision,
        payload={"to": told, "kind": "decision_issued"},
    )


def case_decision_issue(*, case: Case, issued_by, facts: str, reasoning: str):
    """Issue (or, after an appeal, re-issue superseding the first) the decision the committee resolved."""
    review = review_current(case)
    if review is None or not review.is_resolved:
        raise ValidationError(_("The committee has not resolved this case."))
    if not facts.strip() or not reasoning.strip():
        raise ValidationError(_("State the facts and the reasoning."))
    text_validate(facts, label=_("facts established"), multiline=True, field="facts")
    text_validate(reasoning, label=_("reasoning"), multiline=True, field="reasoning")
    spec = case_type_spec_for(case)
    with transaction.atomic():
        # The content is stored and printed in the decision, so it is written in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            content = spec.decision_content(case=case, facts=facts, reasoning=reasoning)
        decision = decision_issue(
            case=case, kind=spec.decision_kind, outcome=review.outcome, content=content, issued_by=issued_by
        )
        if is_appeal_review(case):
            case_stage_set(case=case, stage=spec.step_stages.closed)
        else:
            case_stage_set(case=case, stage=spec.step_stages.appeal_window, next_due=decision.appeal_deadline)
        _notify(case=case, decision=decision, outcome=review.outcome, actor=issued_by)
    return decision


def case_archive(*, case: Case) -> None:
    """Close the case when the appeal window ends or the final decision is out."""
    with transaction.atomic():
        case_stage_set(case=case, stage=case_type_spec_for(case).step_stages.closed)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=case,
            payload={"change": "closed", "at": timezone.now().isoformat()},
        )
