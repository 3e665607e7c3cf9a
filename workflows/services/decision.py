"""Issuing the exemption decision and notifying the people it concerns."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions.content import DecisionContent, Ground
from tolerance.decisions.models import DecisionKind
from tolerance.models import Case, CaseStage
from tolerance.services.cases import case_stage_set
from workflows.models import ExemptionOutcome, PolicyItemKind
from workflows.services.committee import resolution_sentence, review_current


def decision_content_build(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    """The decision's grounds come from the findings, its resolution line from the committee.

    The content is stored and printed in the decision, so it is written in the site's language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _decision_content(case=case, facts=facts, reasoning=reasoning)


def _decision_content(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    details = case.exemption
    grounds = []
    for finding in (
        case.findings.select_related("item").prefetch_related("evidence").exclude(item__kind=PolicyItemKind.MITIGATING)
    ):
        verdict = (
            (_("met") if finding.holds else _("not met"))
            if finding.item.kind == PolicyItemKind.CONDITION
            else (_("applies") if finding.holds else _("does not apply"))
        )
        grounds.append(
            Ground(
                condition=f"{finding.item.code} {finding.item.title}",
                finding=f"{verdict}：{finding.note}",
                evidence=[attachment.original_name for attachment in finding.evidence.all()],
            )
        )
    review = review_current(case)
    previous = case.decisions.filter(kind=DecisionKind.EXEMPTION).order_by("-id").first()
    return DecisionContent(
        facts=facts,
        grounds=grounds,
        reasoning=reasoning,
        committee_resolution=resolution_sentence(review, ExemptionOutcome(review.outcome).label) if review else "",
        tolerance_list_version=str(details.policy_version),
        tolerance_entries=[f"{e.code} {e.title}" for e in details.cited_entries.order_by("order")],
        supersedes=previous if hasattr(case, "appeal") else None,
    )


def _notification_text(*, case: Case, decision, outcome: str) -> tuple[str, str]:
    subject = _("Decision %(number)s on case %(case)s") % {"number": decision.document_number, "case": case.number}
    body = _("The decision on case %(case)s has been issued: %(outcome)s. Appeal deadline: %(deadline)s.") % {
        "case": case.number,
        "outcome": ExemptionOutcome(outcome).label,
        "deadline": decision.appeal_deadline,
    }
    if outcome == ExemptionOutcome.EXEMPT:
        body += "\n\n" + _(
            "Under the policy, the exemption means the persons concerned are not affected in awards and "
            "evaluations (评先评优), appraisal and rewards (考核奖励) or professional title appointment (职称评聘)."
        )
    return subject, body


def _notify(*, case: Case, decision, outcome: str, actor) -> None:
    # The mail goes to the persons concerned and HR, not to the issuing officer: the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _notification_text(case=case, decision=decision, outcome=outcome)
    subjects = [link.user for link in case.subject_links.select_related("user__profile")]
    recipients = sorted({u.email or getattr(getattr(u, "profile", None), "email", "") for u in subjects} - {""})
    hr = case.institution.hr_contact_email
    # Mail leaves only once the decision is committed: a rolled-back issue must not have been announced.
    for to in ([recipients] if recipients else []) + ([[hr]] if hr else []):
        transaction.on_commit(lambda to=to: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to))
    audit_record(
        action=AuditAction.NOTIFICATION_SENT,
        actor=actor,
        case=case,
        target=decision,
        payload={"to_subjects": recipients, "to_hr": hr, "subject": subject, "body": body},
    )


def exemption_decision_issue(*, case: Case, issued_by, facts: str, reasoning: str):
    """Issue (or, after an appeal, re-issue superseding the first) the decision the committee resolved."""
    from tolerance.decisions.services import decision_issue

    review = review_current(case)
    if review is None or not review.is_resolved:
        raise ValidationError(_("The committee has not resolved this case."))
    if not facts.strip() or not reasoning.strip():
        raise ValidationError(_("State the facts and the reasoning."))
    with transaction.atomic():
        content = decision_content_build(case=case, facts=facts, reasoning=reasoning)
        decision = decision_issue(
            case=case, kind=DecisionKind.EXEMPTION, outcome=review.outcome, content=content, issued_by=issued_by
        )
        details = case.exemption
        final = hasattr(case, "appeal")
        details.appeal_deadline = None if final else decision.appeal_deadline
        details.save(update_fields=["appeal_deadline"])
        if final:
            case_stage_set(case=case, stage=CaseStage.CLOSED)
        else:
            case_stage_set(
                case=case,
                stage=CaseStage.APPEAL_WINDOW,
                next_due=decision.appeal_deadline,
            )
        _notify(case=case, decision=decision, outcome=review.outcome, actor=issued_by)
    return decision


def case_archive(*, case: Case) -> None:
    """Close the case when the appeal window ends or the final decision is out."""
    with transaction.atomic():
        case_stage_set(case=case, stage=CaseStage.CLOSED)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=case,
            payload={"change": "closed", "at": timezone.now().isoformat()},
        )
