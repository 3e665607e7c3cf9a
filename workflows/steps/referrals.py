"""Referral (移送) of a case's outcome to the body that deals with it, for a case of any type.

A case type creates the rows when its decision is issued (the exemption per person not exempted; the
rectification per body its policy names when the rectification failed), issues each one's sealed 移送函
as a decision kind of its own, and the body's contact acknowledges receipt. What the rows mean, who is
told and what waits for them stays with the case type; the row, the letter's recording and the
acknowledgement are the same everywhere.
"""

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
    """Check and record a receipt in one transaction, for a case type with nothing waiting on it."""
    referral_receipt_check(referral=referral, user=user, note=note)
    with transaction.atomic():
        return referral_receipt_record(referral=referral, user=user, note=note)
