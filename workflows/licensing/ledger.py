"""What happens once a licence is in force: usage reports, the trigger, the payment schedule, receipts
recorded by finance, the overdue ladder's notices and the exit. Rows are appended, never edited: a
receipt is corrected by a new receipt that names the one it corrects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageReport(models.Model):
    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="usage_reports")
    period_start = models.DateField(_("Period from"))
    period_end = models.DateField(_("Period to"))
    units = models.PositiveIntegerField(_("Units produced or sold"))
    net_sales = models.DecimalField(_("Net sales (yuan)"), max_digits=14, decimal_places=2)
    milestone = models.CharField(_("Milestone reached"), max_length=40, blank=True)
    note = models.TextField(_("Progress and problems"), max_length=4000)
    evidence = models.ForeignKey(
        "tolerance.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("usage report")
        verbose_name_plural = _("usage reports")
        ordering = ["case", "period_start", "id"]

    def __str__(self):
        return f"{self.case_id} {self.period_start}–{self.period_end}"


class TriggerKind(models.TextChoices):
    DATE = "date", _("the agreed date came")
    MILESTONE = "milestone", _("the agreed milestone was reached")
    REVENUE = "revenue", _("the agreed net sales were reached")


class TriggerEvent(models.Model):
    """A payment condition met. The trigger fires (the schedule is armed) when the case's mode is satisfied."""

    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="trigger_events")
    kind = models.CharField(max_length=10, choices=TriggerKind.choices)
    occurred_on = models.DateField()
    evidence = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="trigger_event_once_per_kind")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.occurred_on}"


class DueStatus(models.TextChoices):
    OPEN = "open", _("open")
    PAID = "paid", _("paid")
    WAIVED = "waived", _("lapsed on exit")


class PaymentDue(models.Model):
    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="payment_dues")
    sequence = models.PositiveSmallIntegerField(_("Instalment"))
    basis = models.CharField(_("Basis"), max_length=200)
    amount = models.DecimalField(_("Amount (yuan)"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("Due on"))
    status = models.CharField(_("Status"), max_length=8, choices=DueStatus.choices, default=DueStatus.OPEN)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="payment_due_sequence")]
        indexes = [models.Index(fields=["status", "due_on"], name="payment_due_open")]

    def __str__(self):
        return f"{self.sequence}. {self.amount} ¥ / {self.due_on}"


class Receipt(models.Model):
    """Money received for an instalment, as finance recorded it. Never edited: a mistake is corrected by a
    new receipt naming it in `corrects`, which then counts instead of it."""

    due = models.ForeignKey(PaymentDue, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField(_("Amount received (yuan)"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("Received on"))
    voucher_number = models.CharField(_("Voucher number"), max_length=60)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    correction_reason = models.TextField(_("Reason for the correction"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["due", "id"]

    def __str__(self):
        return f"{self.voucher_number} {self.amount} ¥ ({self.received_on})"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("payment reminder")
    DEMAND = "demand", _("demand for payment (催款函)")
    BREACH = "breach", _("breach notice (违约通知书)")
    RECORD_REMINDER = "record_reminder", _("CNIPA record reminder")
    FREE_USE_ENDING = "free_use_ending", _("free-use period ending")
    REPORT_REMINDER = "report_reminder", _("usage report reminder")
    REPORT_MISSED = "report_missed", _("usage report missed")


class LadderNotice(models.Model):
    """A step of the overdue ladder (or a reminder) sent for an instalment; one per step and instalment."""

    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="ladder_notices")
    due = models.ForeignKey(PaymentDue, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    step = models.CharField(max_length=20)
    issued_on = models.DateField()
    cure_by = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    # The sealed letter of a demand or breach notice (decisions layer), when the step is one.
    document = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "due", "kind", "step"], name="ladder_notice_once")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.step}"


class LicenceEnd(models.TextChoices):
    COMPLETED = "completed", _("completed")
    EXITED = "exited", _("exited by the licensee")
    TERMINATED = "terminated", _("terminated for breach")
    CONVERTED = "converted", _("converted to a paid licence")


class LicenceClosure(models.Model):
    """How the licence ended, with the dates the terms ask for."""

    case = models.OneToOneField("tolerance.Case", on_delete=models.PROTECT, related_name="licence_closure")
    ending = models.CharField(max_length=12, choices=LicenceEnd.choices)
    notified_on = models.DateField()
    effective_on = models.DateField()
    reason = models.TextField(max_length=2000)
    amount_outstanding = models.DecimalField(max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.case_id} {self.ending}"


class ElectionChoice(models.TextChoices):
    PAY = "pay", _("pay by the schedule")
    EXIT = "exit", _("exit without a fee")
    CONVERT = "convert", _("convert to an ordinary paid licence")


class LicenceElection(models.Model):
    """The licensee's choice after the trigger, within the election period (silence means pay)."""

    case = models.OneToOneField("tolerance.Case", on_delete=models.PROTECT, related_name="licence_election")
    choice = models.CharField(_("Choice"), max_length=8, choices=ElectionChoice.choices)
    elected_on = models.DateField(_("Elected on"))
    note = models.TextField(_("Note"), max_length=2000, blank=True)
    elected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.case_id} {self.choice}"
