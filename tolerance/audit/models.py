from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.audit.actions import AuditAction


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEvent(models.Model):
    """One thing that happened, hash-chained globally and per case.

    `canonical` holds the exact bytes that were hashed; verification rehashes those bytes and compares
    the fields against them, because re-serialising JSON read back from the database can reorder keys.
    """

    sequence = models.PositiveBigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("操作人"),
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    actor_role = models.CharField(_("角色"), max_length=200, blank=True)
    actor_institution = models.CharField(_("机构"), max_length=12, blank=True)
    case = models.ForeignKey(
        "tolerance.Case",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="audit_events",
        db_constraint=False,
        verbose_name=_("案件"),
    )
    case_sequence = models.PositiveIntegerField(_("案件内序号"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=50, choices=AuditAction.choices)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=100, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    hash_algorithm = models.CharField(_("哈希算法"), max_length=16, default="sha256")
    previous_hash = models.CharField(_("前一事件哈希"), max_length=128)
    case_previous_hash = models.CharField(_("案件内前一事件哈希"), max_length=128, blank=True)
    canonical = models.BinaryField(_("规范化内容"))
    event_hash = models.CharField(_("哈希"), max_length=128, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "case_sequence"], name="audit_case_sequence_unique")
        ]

    def __str__(self):
        return f"#{self.sequence} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """The single row every append locks, so concurrent writers queue instead of forking the chain."""

    singleton = models.BooleanField(primary_key=True, default=True)
    sequence = models.PositiveBigIntegerField(default=0)
    event_hash = models.CharField(max_length=128, default="")

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
