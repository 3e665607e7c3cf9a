from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person about one event. `event_key` names the event (e.g. "task:123" or
    "deadline:ZG-2026-0004:item-3:-7"), so writing the same event twice for a person is a no-op."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Recipient"),
    )
    kind = models.CharField(_("Kind"), max_length=40)
    event_key = models.CharField(_("Event"), max_length=200)
    case = models.ForeignKey(
        "tolerance.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("Case"),
    )
    # Stored in the recipient's language when written: the notice says what was true at that moment.
    title = models.CharField(_("Title"), max_length=255)
    body = models.TextField(_("Text"), blank=True)
    link = models.CharField(_("Link"), max_length=500, blank=True, help_text=_("A path on this site."))
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Notification")
        verbose_name_plural = _("Notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return self.title


class EmailOptOut(models.Model):
    """A person who does not want e-mail of one kind (the notice still appears on the site)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs", verbose_name=_("User")
    )
    kind = models.CharField(_("Kind"), max_length=40)

    class Meta:
        verbose_name = _("E-mail opt-out")
        verbose_name_plural = _("E-mail opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once")]

    def __str__(self):
        return f"{self.user}: {self.kind}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Given up")


class OutboxEmail(models.Model):
    """One e-mail, written in the transaction of the change it announces and sent, once that commits, by
    the scheduler's `notifications.email` job (tolerance.notifications.delivery). `key` names it — "notification:<id>" for a person's notice, the
    event and address for a mailbox without an account (an institution's HR office) — so writing it
    again is a no-op and it is sent at most once."""

    key = models.CharField(_("Key"), max_length=300, unique=True)
    notification = models.OneToOneField(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email",
        verbose_name=_("Notification"),
    )
    to = models.EmailField(_("To"))
    subject = models.CharField(_("Subject"), max_length=255)
    body = models.TextField(_("Text"))
    status = models.CharField(_("Status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("Next attempt at"), default=timezone.now)
    last_error = models.TextField(_("Last error"), blank=True)
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Outgoing e-mail")
        verbose_name_plural = _("Outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.to}: {self.subject}"
