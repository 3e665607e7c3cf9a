from django.conf import settings
from django.db import models
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
