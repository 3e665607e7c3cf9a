"""What follows a rectification decision: a failed rectification is referred (移送) to every body the
catalogue names (`failed_referral_departments`), each with its sealed 移送函 issued with the decision and
acknowledged by the body's contact (domain-rectification.md §10, §12.2). The rows are the shared steps'
(workflows.steps.referrals), the same table and the same sweep the exemption's referrals use: a reminder
before the acknowledgement is due, escalation to the officers once overdue, and the case's archiving
waits until every referral is acknowledged or escalated."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType, DepartmentContact
from tolerance.working_days import add_working_days
from workflows.rectification import letters, notices
from workflows.rectification.case_type import DECISION_KIND
from workflows.rectification.models import FinalRoundOutcome
from workflows.steps.issuing import case_decision_issue
from workflows.steps.referrals import (
    AckRules,
    Referral,
    ReferralSweepSpec,
    referral_acknowledge,
    referral_letter_send,
    referrals_of_type,
)

REFERRED = "referred"


def rectification_decision_issue(*, case: Case, issued_by, facts: str, reasoning: str):
    """Issue the decision (the shared step); a failed one, in the same transaction, its referrals and letters."""
    with transaction.atomic():
        decision = case_decision_issue(case=case, issued_by=issued_by, facts=facts, reasoning=reasoning)
        if decision.outcome == FinalRoundOutcome.FAILED:
            referrals_record(case=case, decision=decision, issued_by=issued_by)
    return decision


def referrals_record(*, case: Case, decision, issued_by) -> list[Referral]:
    catalogue = case.rectification.catalogue
    ack_due = add_working_days(decision.issue_date, catalogue.setting("referral_ack_working_days"))
    referrals = []
    for subject in case.subject_links.select_related("user"):
        for department in catalogue.setting("failed_referral_departments"):
            referral = Referral.objects.create(
                case=case,
                decision=decision,
                subject=subject,
                to_department=department,
                outcome=decision.outcome,
                ack_due=ack_due,
            )
            referral_letter_send(
                referral=referral,
                kind=letters.REFERRAL,
                outcome=REFERRED,
                content=letters.referral_letter_content(case=case, to_department=department, decision=decision),
                issued_by=issued_by,
                notice_kind=notices.REFERRAL_SENT,
                event_key=f"rectification:referral:{referral.pk}",
                link=notices.case_link(case),
            )
            referrals.append(referral)
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=issued_by,
        case=case,
        target=decision,
        payload={
            "change": "rectification_referred",
            "decision": decision.document_number,
            "to": [r.to_department for r in referrals],
            "ack_due": ack_due.isoformat(),
        },
    )
    return referrals


def _ack_rules(case: Case) -> AckRules:
    catalogue = case.rectification.catalogue
    return AckRules(
        remind_before=catalogue.setting("referral_reminder_before_working_days"),
        escalate_after=catalogue.setting("referral_escalate_after_working_days"),
    )


# What the shared referral sweep (workflows.steps.referrals) needs of this case type: an overdue
# acknowledgement escalates to the institution's officers (a self-declared case's filer is the subject).
REFERRAL_SWEEP = ReferralSweepSpec(
    rules=_ack_rules,
    escalate_to=lambda case: list(notices.officers_of(case.institution)),
    decision_kind=DECISION_KIND,
    due_kind=notices.REFERRAL_ACK_DUE,
    escalated_kind=notices.REFERRAL_ESCALATED,
    key_prefix="rectification",
    link=notices.case_link,
)


def referral_receipt(*, referral: Referral, user, note: str) -> Referral:
    if referral.case.case_type != CaseType.RECTIFICATION:
        raise ValidationError(_("This referral is not of a rectification case."))
    return referral_acknowledge(referral=referral, user=user, note=note)


def referrals_for_contact(user):
    """The rectification referrals addressed to the user's departments (their work, as with the items)."""
    mine = DepartmentContact.objects.filter(user=user, is_active=True).values_list("institution_id", "department")
    rows = referrals_of_type(CaseType.RECTIFICATION)
    wanted = [(institution_id, department) for institution_id, department in mine]
    if not wanted:
        return rows.none()
    match = Q(pk__in=[])
    for institution_id, department in wanted:
        match |= Q(case__institution_id=institution_id, to_department=department)
    return rows.filter(match)
