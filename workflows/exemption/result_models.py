"""What follows an exemption decision: its use by the departments (结果运用台账) and the referral (移送)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.models import Department


class ResultApplication(models.Model):
    """One department told of one person's outcome, and whether it acknowledged applying it."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="result_applications", verbose_name=_("case")
    )
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject", on_delete=models.PROTECT, related_name="result_applications", verbose_name=_("subject")
    )
    department = models.CharField(_("recipient department"), max_length=20, choices=Department.choices)
    outcome = models.CharField(_("outcome"), max_length=12)
    effect_text = models.TextField(_("effect on the person"), max_length=2000)
    sent_at = models.DateTimeField(_("sent at"))
    ack_due = models.DateField(_("acknowledgement due"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("result application")
        verbose_name_plural = _("result applications")
        ordering = ["case", "subject_id", "department"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "subject", "department"], name="result_application_unique")
        ]

    def __str__(self):
        return f"{self.case.number} {self.subject.user} {self.get_department_display()}"


class Referral(models.Model):
    """A person not exempted (or the liability that remains) referred to the discipline body (移送)."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("subject")
    )
    to_department = models.CharField(_("referred to"), max_length=20, choices=Department.choices)
    outcome = models.CharField(_("outcome"), max_length=12)
    ack_due = models.DateField(_("acknowledgement due"))
    letter = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral letter"),
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    result = models.TextField(_("result of the referral"), max_length=2000, blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["case", "subject_id"]
        constraints = [models.UniqueConstraint(fields=["decision", "subject"], name="referral_unique")]

    def __str__(self):
        return f"{self.case.number} {self.subject.user} → {self.get_to_department_display()}"

    @property
    def settled(self) -> bool:
        """Archiving may go ahead: acknowledged, or overdue and escalated to the officer."""
        return self.received_at is not None or self.escalated_at is not None
