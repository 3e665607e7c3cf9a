from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.audit.actions import AuditAction


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event or checkpoint."""


class AppendOnlyModel(models.Model):
    """Rows are written once. PostgreSQL enforces the same with a trigger (migration 0003)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} is append-only.")


class CanonicalBytesField(models.TextField):
    """The exact bytes that were hashed (UTF-8 JSON), kept in a text column; Python sees bytes.

    A text column in a UTF-8 database stores those bytes unchanged, and lets PostgreSQL parse them as
    JSON without a conversion per row when verification compares them with the other columns.
    """

    def from_db_value(self, value, expression, connection):
        return value.encode() if isinstance(value, str) else value

    def to_python(self, value):
        return value.encode() if isinstance(value, str) else value

    def get_prep_value(self, value):
        return bytes(value).decode() if isinstance(value, (bytes, bytearray, memoryview)) else value


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")


class AuditEvent(AppendOnlyModel):
    """One thing that happened, hash-chained globally and per case.

    `canonical` holds the exact bytes that were hashed; verification rehashes those bytes and compares
    the columns against them, because re-serialising JSON read back from the database can reorder keys.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # DO_NOTHING: the id is part of the hashed bytes, so deleting a user must not rewrite events.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    actor_name = models.CharField(_("actor's name"), max_length=100, blank=True)
    actor_role = models.CharField(_("role"), max_length=200, blank=True)
    actor_institution = models.CharField(_("institution"), max_length=12, blank=True)
    case = models.ForeignKey(
        "tolerance.Case",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="audit_events",
        db_constraint=False,
        verbose_name=_("case"),
    )
    case_sequence = models.PositiveIntegerField(_("sequence in case"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=50, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=100, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    hash_algorithm = models.CharField(_("hash algorithm"), max_length=16, default="sha256")
    previous_hash = models.CharField(_("previous hash"), max_length=128)
    case_previous_hash = models.CharField(_("previous hash in case"), max_length=128, blank=True)
    canonical = CanonicalBytesField(_("canonical bytes"))
    event_hash = models.CharField(_("hash"), max_length=128, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "case_sequence"], name="audit_case_sequence_unique")]

    def __str__(self):
        return f"#{self.sequence} {self.get_action_display()}"


class AuditChainHead(models.Model):
    """The single row every append locks, so concurrent writers queue instead of forking the chain."""

    singleton = models.BooleanField(primary_key=True, default=True)
    sequence = models.PositiveBigIntegerField(default=0)
    event_hash = models.CharField(max_length=128, default="")

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self):
        return f"#{self.sequence} {self.event_hash}"


class AuditCheckpoint(AppendOnlyModel):
    """Signed heads of the global chain and of every case chain at one moment.

    A copy is also written as a file outside the database: someone able to delete the newest events
    could delete the newest checkpoint rows too, but not the files or the key that signed them.
    """

    created_at = models.DateTimeField(_("time"))
    sequence = models.PositiveBigIntegerField(_("global head sequence"))
    event_hash = models.CharField(_("global head hash"), max_length=128)
    canonical = models.BinaryField(_("signed bytes"))
    signature = models.BinaryField(_("signature"))
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-created_at"]

    def __str__(self):
        return f"#{self.sequence} {self.created_at:%Y-%m-%d %H:%M}"
