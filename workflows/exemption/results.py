"""What follows an issued exemption decision: the result register (容错认定结果运用台账) with each
department's acknowledgement, and the referral (移送) of every person not exempted, with its sealed
letter and the discipline body's acknowledgement of receipt. Archiving waits for the referrals.

Recipients, periods and effect texts are the policy version's rules (PolicyVersion.rules); a version
without them (v1) creates no rows, and its cases read as they did.
"""

import datetime
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions.content import DecisionContent, Ground
from tolerance.models import Case, CaseType, DepartmentContact
from tolerance.notifications.services import notify
from tolerance.selectors.cases import cases_visible_to
from tolerance.selectors.departments import department_contacts, departments_of
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer
from workflows.exemption.case_type import DECISION_KIND
from workflows.exemption.confirmations import confirmation_check_before_issue
from workflows.exemption.corrections import corrections_record
from workflows.exemption.determinations import subject_name, version_rules
from workflows.exemption.documents import resolved_outcomes
from workflows.exemption.investigation import determinations_current
from workflows.exemption.result_models import ResultApplication
from workflows.steps.issuing import case_decision_issue
from workflows.steps.referrals import (
    AckRules,
    Referral,
    ReferralSweepSpec,
    acknowledgements_sweep,
    referral_letter_send,
    referrals_of_type,
)
from workflows.steps.referrals import referral_acknowledge as shared_referral_acknowledge

RESULT_SENT = "exemption_result_sent"
RESULT_ACK_DUE = "exemption_result_ack_due"
REFERRAL_SENT = "exemption_referral_sent"
ESCALATED = "exemption_escalated"
REFERRAL_KIND = "exemption_referral"
REFERRED = "referred"


def _outcomes_by_subject(case: Case) -> dict[int, str]:
    resolved = resolved_outcomes(case)
    return {d.subject_id: resolved.get(str(d.subject_id), d.outcome) for d in determinations_current(case)}


def _effect_text(effect: str, determination) -> str:
    """The version's effect text, with the person's liability scope and what remains (F10)."""
    parts = [effect]
    if determination.liability_scope:
        parts.append(_("Liability scope: %(scope)s.") % {"scope": "、".join(determination.liability_scope)})
    if determination.remaining_liability:
        parts.append(_("Liability that remains: %(text)s") % {"text": determination.remaining_liability})
    return "".join(part for part in parts if part)


def results_record(*, case: Case, decision, actor) -> None:
    """Inside the issuing transaction: one register row per person and recipient, one referral per person
    whose outcome the version refers, each recipient told."""
    rules = version_rules(case)
    recipients = rules.get("result_application_recipients")
    if not recipients:
        return
    effects = rules.get("effect_texts", {})
    referral_rule = rules.get("referral", {})
    now = timezone.now()
    ack_due = add_working_days(decision.issue_date, rules["ack_working_days"])
    determinations = {d.subject_id: d for d in determinations_current(case)}
    subjects = {subject_id: d.subject for subject_id, d in determinations.items()}
    applications, referrals = [], []
    for subject_id, outcome in _outcomes_by_subject(case).items():
        for department in recipients.get(outcome, []):
            applications.append(
                ResultApplication(
                    case=case,
                    decision=decision,
                    subject=subjects[subject_id],
                    department=department,
                    outcome=outcome,
                    effect_text=_effect_text(effects.get(outcome, ""), determinations[subject_id]),
                    sent_at=now,
                    ack_due=ack_due,
                )
            )
        if outcome in referral_rule.get("outcomes", []):
            referrals.append(
                Referral(
                    case=case,
                    decision=decision,
                    subject=subjects[subject_id],
                    to_department=referral_rule["to"],
                    outcome=outcome,
                    ack_due=add_working_days(decision.issue_date, referral_rule["ack_working_days"]),
                )
            )
    ResultApplication.objects.bulk_create(applications)
    Referral.objects.bulk_create(referrals)
    for department in {a.department for a in applications} | {r.to_department for r in referrals}:
        rows = [a for a in applications if a.department == department]
        names = "、".join(subject_name(a.subject) for a in rows)
        notify(
            recipients=department_contacts(case.institution, department),
            kind=RESULT_SENT,
            event_key=f"exemption:result:{decision.pk}:{department}",
            title=lambda: (
                _("Exemption decision %(number)s: acknowledge its application") % {"number": decision.document_number}
            ),
            body=lambda names=names: (
                _("Apply the outcome for %(names)s and acknowledge it in the register by %(due)s.")
                % {"names": names or "—", "due": ack_due.isoformat()}
            ),
            link="/exemption-register/",
            case=case,
        )
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=actor,
        case=case,
        target=decision,
        payload={
            "change": "result_register",
            "applications": [
                {"subject": a.subject.user.get_username(), "department": a.department, "outcome": a.outcome}
                for a in applications
            ],
            "referrals": [{"subject": r.subject.user.get_username(), "to": r.to_department} for r in referrals],
            "ack_due": ack_due.isoformat(),
        },
    )


def exemption_decision_issue(*, case: Case, issued_by, facts: str, reasoning: str):
    """Issue the decision (the shared step) and, in the same transaction, its register rows and referrals.
    A decision that needs an external confirmation (F12) waits until it is recorded."""
    confirmation_check_before_issue(case)
    with transaction.atomic():
        decision = case_decision_issue(case=case, issued_by=issued_by, facts=facts, reasoning=reasoning)
        results_record(case=case, decision=decision, actor=issued_by)
        corrections_record(case=case, decision=decision, actor=issued_by)
    return decision


def _check_note(note: str) -> None:
    text_validate(note, label=_("note"), multiline=True, field="note")


def result_acknowledge(*, application: ResultApplication, user, note: str) -> ResultApplication:
    """A contact of the recipient department acknowledges it has applied the person's outcome."""
    _check_note(note)
    if application.department not in departments_of(user, application.case.institution):
        raise ValidationError(_("Only a contact of the recipient department can acknowledge."))
    with transaction.atomic():
        application = ResultApplication.objects.select_for_update().get(pk=application.pk)
        if application.acknowledged_at is not None:
            raise ValidationError(_("This has already been acknowledged."))
        application.acknowledged_by = user
        application.acknowledged_at = timezone.now()
        application.note = note
        application.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=user,
            case=application.case,
            target=application,
            payload={
                "form": "result_acknowledgement",
                "subject": application.subject.user.get_username(),
                "department": application.department,
                "note": note,
            },
        )
    return application


def referral_letter_issue(*, referral: Referral, issued_by):
    """The officer issues the sealed 移送函 for one referral; the discipline contacts are told."""
    case = referral.case
    if not is_case_officer(issued_by, case):
        raise ValidationError(_("Only an officer of the institution can issue a referral letter."))
    if referral.letter_id is not None:
        raise ValidationError(_("The referral letter has already been issued."))
    determination = next((d for d in determinations_current(case) if d.subject_id == referral.subject_id), None)
    name = subject_name(referral.subject)
    content = DecisionContent(
        facts=_(
            "By decision %(decision)s the committee determined that %(name)s (%(post)s) in case %(case)s is "
            "not exempt from liability."
        )
        % {
            "decision": referral.decision.document_number,
            "name": name,
            "post": referral.subject.post or referral.subject.role_in_case or "—",
            "case": case.number,
        },
        grounds=[
            Ground(
                condition=name,
                verdict="",
                finding=determination.explanation.get("summary", "") if determination else "",
            )
        ],
        reasoning=_(
            "The matter is referred to you to be dealt with under the law and the institution's rules; please acknowledge receipt in the system."
        ),
    )
    with transaction.atomic():
        return referral_letter_send(
            referral=referral,
            kind=REFERRAL_KIND,
            outcome=REFERRED,
            content=content,
            issued_by=issued_by,
            notice_kind=REFERRAL_SENT,
            event_key=f"exemption:referral:{referral.pk}",
            link="/exemption-register/",
        )


def referral_acknowledge(*, referral: Referral, user, note: str) -> Referral:
    """The discipline contact acknowledges receipt; the case may then be archived."""
    return shared_referral_acknowledge(referral=referral, user=user, note=note)


def _rules(case: Case) -> AckRules:
    rules = version_rules(case)
    return AckRules(
        remind_before=rules["ack_reminder_before_working_days"],
        escalate_after=rules["ack_escalate_after_working_days"],
    )


# What the shared referral sweep (workflows.steps.referrals) needs of this case type; the result
# register's acknowledgements are swept by the same loop (register_sweep).
REFERRAL_SWEEP = ReferralSweepSpec(
    rules=_rules,
    escalate_to=lambda case: [case.filed_by],
    decision_kind=DECISION_KIND,
    due_kind=RESULT_ACK_DUE,
    escalated_kind=ESCALATED,
    key_prefix="exemption",
    link=lambda case: "/exemption-register/",
)


def register_sweep(now: datetime.datetime) -> int:
    """The result register's sweep: remind recipients before the acknowledgement is due, escalate to the
    filing officer once it is overdue (the referrals are the shared sweep's, steps.referrals_sweep)."""
    return acknowledgements_sweep(
        ResultApplication.objects.all(),
        now=now,
        acknowledged="acknowledged_at",
        department_of=lambda row: row.department,
        spec=REFERRAL_SWEEP,
        locked=lambda row: nullcontext(),
        settled=lambda row: None,
    )


def register_rows_visible_to(user):
    """(applications, referrals) a user may see: those of the cases the visibility selector shows them, and
    a department contact the rows addressed to their own department at their institution (their work,
    as a publicity notice is the institution's; the case file stays closed to them)."""
    visible = cases_visible_to(user)
    applications = Q(case__in=visible)
    referrals = Q(case__in=visible)
    for institution_id, department in DepartmentContact.objects.filter(user=user, is_active=True).values_list(
        "institution_id", "department"
    ):
        applications |= Q(case__institution_id=institution_id, department=department)
        referrals |= Q(case__institution_id=institution_id, to_department=department)
    return (
        ResultApplication.objects.filter(applications).select_related(
            "case", "decision", "subject__user__profile", "acknowledged_by__profile"
        ),
        referrals_of_type(CaseType.EXEMPTION)
        .filter(referrals)
        .select_related("case", "decision", "letter", "subject__user__profile", "received_by__profile"),
    )
