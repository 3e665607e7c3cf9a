"""What follows an exemption decision: its use by the departments (结果运用台账) and the referral (移送),
whose row is the shared steps' (workflows.steps.referrals) and is re-exported here for existing imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.models import Department
from workflows.steps.referrals import Referral as Referral


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
