"""Referral (移送) of a case's outcome to the body that deals with it, for a case of any type.

A case type creates the rows when its decision is issued (the exemption per person not exempted; the
rectification per body its policy names when the rectification failed), issues each one's sealed 移送函
as a decision kind of its own, and the body's contact acknowledges receipt. What the rows mean, who is
told and what waits for them stays with the case type; the row, the letter's recording and the
acknowledgement are the same everywhere, and so is the one scheduled sweep (`referrals_sweep`) that
reminds the body before the acknowledgement is due, escalates once it is overdue and then releases the
case type's archiving, which waits in its `await_referrals` task until every referral is settled.
"""

import datetime
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions.services import decision_issue
from tolerance.models import Department
from tolerance.notifications.services import notify
from tolerance.selectors.departments import department_contacts, departments_of
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.selectors import open_tasks

WAITING_NODE = "await_referrals"


class Referral(models.Model):
    """One person's case referred to one body (纪委办, 人事处, 法务…), with its letter and receipt."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=gettext_lazy("case")
    )
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("decision")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=gettext_lazy("subject"),
    )
    to_department = models.CharField(gettext_lazy("referred to"), max_length=20, choices=Department.choices)
    outcome = models.CharField(gettext_lazy("outcome"), max_length=12)
    ack_due = models.DateField(gettext_lazy("acknowledgement due"))
    letter = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("referral letter"),
    )
    sent_on = models.DateField(gettext_lazy("sent on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("received by"),
    )
    received_at = models.DateTimeField(gettext_lazy("received at"), null=True, blank=True)
    result = models.TextField(gettext_lazy("result of the referral"), max_length=2000, blank=True)
    result_on = models.DateField(gettext_lazy("result on"), null=True, blank=True)
    reminded_at = models.DateTimeField(gettext_lazy("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(gettext_lazy("escalated at"), null=True, blank=True)

    class Meta:
        app_label = "workflows"
        verbose_name = gettext_lazy("referral")
        verbose_name_plural = gettext_lazy("referrals")
        ordering = ["case", "subject_id"]
        # One row per person and body: a failed rectification goes to several bodies at once.
        constraints = [models.UniqueConstraint(fields=["decision", "subject", "to_department"], name="referral_unique")]

    def __str__(self):
        return f"{self.case.number} {self.subject.user} → {self.get_to_department_display()}"

    @property
    def settled(self) -> bool:
        """Archiving may go ahead: acknowledged, or overdue and escalated to the officer."""
        return self.received_at is not None or self.escalated_at is not None


def referrals_of_type(case_type: str):
    """The referrals of one case type's cases: each type's register and sweeps read only their own."""
    return Referral.objects.filter(case__case_type=case_type)


def referral_letter_send(
    *, referral: Referral, kind: str, outcome: str, content, issued_by, notice_kind: str, event_key: str, link: str
):
    """Issue the sealed 移送函 of one referral (the case type writes its content and checks who may) and
    tell the body's contacts; call inside the case type's transaction."""
    if referral.letter_id is not None:
        raise ValidationError(_("The referral letter has already been issued."))
    case = referral.case
    letter = decision_issue(case=case, kind=kind, outcome=outcome, content=content, issued_by=issued_by)
    referral.letter = letter
    referral.sent_on = letter.issue_date
    referral.save(update_fields=["letter", "sent_on"])
    notify(
        recipients=department_contacts(case.institution, referral.to_department),
        kind=notice_kind,
        event_key=event_key,
        title=lambda: _("Referral letter %(number)s: acknowledge receipt") % {"number": letter.document_number},
        body=lambda: (
            _("Case %(case)s: acknowledge receipt by %(due)s.") % {"case": case.number, "due": referral.ack_due}
        ),
        link=link,
        case=case,
    )
    return letter


def referral_receipt_check(*, referral: Referral, user, note: str) -> None:
    text_validate(note, label=_("note"), multiline=True, field="note")
    if referral.to_department not in departments_of(user, referral.case.institution):
        raise ValidationError(_("Only a contact of the body the case was referred to can acknowledge receipt."))
    if referral.letter_id is None:
        raise ValidationError(_("The referral letter has not been issued yet."))


def referral_receipt_record(*, referral: Referral, user, note: str) -> Referral:
    """The body's contact acknowledges receipt (call inside the case type's transaction, after the check)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.received_at is not None:
        raise ValidationError(_("This has already been acknowledged."))
    referral.received_by = user
    referral.received_at = timezone.now()
    referral.result = note
    referral.save(update_fields=["received_by", "received_at", "result"])
    audit_record(
        action=AuditAction.FORM_SUBMITTED,
        actor=user,
        case=referral.case,
        target=referral,
        payload={
            "form": "referral_acknowledgement",
            "subject": referral.subject.user.get_username(),
            "to": referral.to_department,
            "note": note,
        },
    )
    return referral


def referral_acknowledge(*, referral: Referral, user, note: str) -> Referral:
    """Check and record a receipt in one transaction; the case's archiving goes ahead once every referral
    of its decision in force is settled."""
    referral_receipt_check(referral=referral, user=user, note=note)
    with _flow_lock(referral.case), transaction.atomic():
        referral = referral_receipt_record(referral=referral, user=user, note=note)
        referral_release_if_settled(referral.case)
    return referral


@dataclass(frozen=True)
class AckRules:
    """When the sweep reminds (working days before the due date) and escalates (working days after it)."""

    remind_before: int
    escalate_after: int


@dataclass(frozen=True)
class ReferralSweepSpec:
    """What one case type gives the shared sweep: its rules for a case, who an overdue row escalates to,
    the decision kind whose referrals are in force, its notice kinds and the page the notices link to."""

    rules: Callable
    escalate_to: Callable
    decision_kind: str
    due_kind: str
    escalated_kind: str
    key_prefix: str
    link: Callable


_SPECS: dict[str, ReferralSweepSpec] = {}


def register_referral_sweep(case_type: str, spec: ReferralSweepSpec) -> None:
    _SPECS[case_type] = spec


def referrals_settled(case) -> bool:
    """Every referral of the decision in force is acknowledged or escalated (an appeal's decision
    supersedes the first, and with it the first's referrals)."""
    spec = _SPECS.get(case.case_type)
    if spec is None:
        return True
    decision = case.decisions.filter(kind=spec.decision_kind).order_by("-id").first()
    return decision is None or all(r.settled for r in case.referrals.filter(decision=decision))


def _flow_lock(case):
    """The process lock, taken outermost as viewflow's task views take it (see steps.appeal.appeal_lodge),
    before releasing the flow's wait for the referrals."""
    task = open_tasks(case, WAITING_NODE).first()
    return task.flow_task.flow_class.lock(case.process_id) if task is not None else nullcontext()


def referral_release_if_settled(case) -> None:
    """Release the flow's wait for the referrals once every one is acknowledged or escalated."""
    if not referrals_settled(case):
        return
    task = open_tasks(case, WAITING_NODE).first()
    if task is not None:
        task.flow_task.run(task)


def acknowledgements_sweep(
    rows, *, now: datetime.datetime, acknowledged: str, department_of, spec: ReferralSweepSpec, locked, settled
) -> int:
    """Remind the department before the acknowledgement is due, escalate once it is overdue; each row at
    most once. `rows` are a case type's rows of one model (its referrals, or the exemption's result
    applications); `locked(row)` the lock to take, `settled(row)` what to do once a row escalated."""
    today = timezone.localdate(now)
    done = 0
    model = rows.model
    pending = rows.filter(**{f"{acknowledged}__isnull": True}, escalated_at__isnull=True).select_related(
        "case__institution", "subject__user__profile"
    )
    for row in pending:
        rules = spec.rules(row.case)
        department = department_of(row)
        with locked(row), transaction.atomic():
            # Due within the reminder's working days (the calendar only counts forwards).
            if row.reminded_at is None and add_working_days(today, rules.remind_before) >= row.ack_due:
                notify(
                    recipients=department_contacts(row.case.institution, department),
                    kind=spec.due_kind,
                    event_key=f"{spec.key_prefix}:ack_due:{model.__name__}:{row.pk}",
                    title=lambda row=row: (
                        _("Acknowledgement due by %(due)s: case %(case)s")
                        % {"due": row.ack_due, "case": row.case.number}
                    ),
                    link=spec.link(row.case),
                    case=row.case,
                )
                row.reminded_at = now
                row.save(update_fields=["reminded_at"])
                audit_record(
                    action=AuditAction.NOTIFICATION_SENT,
                    actor=None,
                    case=row.case,
                    target=row,
                    payload={
                        "reminder": "acknowledgement_due",
                        "department": department,
                        "due": row.ack_due.isoformat(),
                    },
                )
                done += 1
            if today >= add_working_days(row.ack_due, rules.escalate_after):
                notify(
                    recipients=spec.escalate_to(row.case),
                    kind=spec.escalated_kind,
                    event_key=f"{spec.key_prefix}:escalated:{model.__name__}:{row.pk}",
                    title=lambda row=row, department=department: (
                        _("Overdue: %(department)s has not acknowledged case %(case)s")
                        % {"department": Department(department).label, "case": row.case.number}
                    ),
                    link=spec.link(row.case),
                    case=row.case,
                )
                row.escalated_at = now
                row.save(update_fields=["escalated_at"])
                audit_record(
                    action=AuditAction.CASE_UPDATED,
                    actor=None,
                    case=row.case,
                    target=row,
                    payload={
                        "change": "acknowledgement_overdue",
                        "department": department,
                        "due": row.ack_due.isoformat(),
                    },
                )
                settled(row)
                done += 1
    return done


def referrals_sweep(now: datetime.datetime) -> int:
    """The one scheduled sweep of every case type's referrals; an escalated referral may release the
    case's archiving."""
    return sum(
        acknowledgements_sweep(
            referrals_of_type(case_type),
            now=now,
            acknowledged="received_at",
            department_of=lambda row: row.to_department,
            spec=spec,
            locked=lambda row: _flow_lock(row.case),
            settled=lambda row: referral_release_if_settled(row.case),
        )
        for case_type, spec in _SPECS.items()
    )
