from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.columns import canonical_column


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

    A text column in a UTF-8 database stores those bytes unchanged, and lets the database generate the
    readable columns from them as JSON (tolerance.audit.columns).
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

    `canonical` holds the exact bytes that were hashed; every other column but `event_hash` is generated
    by the database from those bytes (tolerance.audit.columns), so what the application reads is what was
    hashed. Re-serialising JSON read back from the database could reorder keys, hence the stored bytes.
    """

    canonical = CanonicalBytesField(_("canonical bytes"))
    event_hash = models.CharField(_("hash"), max_length=128, unique=True)
    sequence = canonical_column("sequence", models.PositiveBigIntegerField(), verbose_name=_("sequence"))
    occurred_at = canonical_column("occurred_at", models.DateTimeField(), verbose_name=_("time"))
    # Plain ids, not foreign keys: an event names its actor and case as they were; deleting a user or
    # a case must not touch the hashed record.
    actor_id = canonical_column("actor_id", models.BigIntegerField(null=True), verbose_name=_("actor"))
    actor_username = canonical_column("actor_username", models.CharField(max_length=150), verbose_name=_("username"))
    actor_name = canonical_column("actor_name", models.CharField(max_length=100), verbose_name=_("actor's name"))
    actor_role = canonical_column("actor_role", models.CharField(max_length=200), verbose_name=_("role"))
    actor_institution = canonical_column(
        "actor_institution", models.CharField(max_length=12), verbose_name=_("institution")
    )
    case_id = canonical_column("case_id", models.BigIntegerField(null=True), verbose_name=_("case"))
    case_number = canonical_column("case_number", models.CharField(max_length=40), verbose_name=_("case number"))
    case_sequence = canonical_column(
        "case_sequence", models.PositiveIntegerField(null=True), verbose_name=_("sequence in case")
    )
    action = canonical_column(
        "action", models.CharField(max_length=50), choices=AuditAction.choices, verbose_name=_("action")
    )
    target_type = canonical_column("target_type", models.CharField(max_length=100), verbose_name=_("object type"))
    target_id = canonical_column("target_id", models.CharField(max_length=100), verbose_name=_("object id"))
    payload = canonical_column("payload", models.JSONField(), verbose_name=_("details"))
    ip_address = canonical_column("ip_address", models.GenericIPAddressField(null=True), verbose_name=_("IP address"))
    user_agent = canonical_column("user_agent", models.CharField(max_length=300), verbose_name=_("browser"))
    request_id = canonical_column("request_id", models.CharField(max_length=64), verbose_name=_("request id"))
    hash_algorithm = canonical_column(
        "hash_algorithm", models.CharField(max_length=16), verbose_name=_("hash algorithm")
    )
    previous_hash = canonical_column("previous_hash", models.CharField(max_length=128), verbose_name=_("previous hash"))
    case_previous_hash = canonical_column(
        "case_previous_hash", models.CharField(max_length=128), verbose_name=_("previous hash in case")
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["sequence"], name="audit_sequence_unique"),
            models.UniqueConstraint(fields=["case_id", "case_sequence"], name="audit_case_sequence_unique"),
        ]

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
