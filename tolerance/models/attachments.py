from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.attachment_categories import attachment_category_label
from tolerance.file_types import name_for_type


class ImmutableRecordError(Exception):
    """Raised when code tries to delete something the rules say is kept forever."""


NEVER_DELETED_MESSAGE = "Attachments are never deleted; upload a replacement that supersedes it."


class AttachmentQuerySet(models.QuerySet):
    def delete(self):
        # Bulk deletes (`Attachment.objects.filter(...).delete()`) skip Model.delete(); refuse them too.
        raise ImmutableRecordError(NEVER_DELETED_MESSAGE)


class Attachment(models.Model):
    """An evidence file on a case. Stored by content (SHA-256); never deleted, only superseded."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="attachments", verbose_name=_("Case")
    )
    category = models.CharField(_("Evidence category"), max_length=50, blank=True)
    description = models.CharField(_("Description"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("Size (bytes)"))
    content_type = models.CharField(_("Content type"), max_length=100)
    original_name = models.CharField(_("Original file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Uploaded by")
    )
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("Supersedes"),
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Evidence")
        verbose_name_plural = _("Evidence files")
        ordering = ["case", "id"]

    def __str__(self):
        return self.original_name

    @property
    def category_label(self):
        return attachment_category_label(self.category)

    @property
    def download_name(self):
        """The name it is served under: its own, ending with the extension of its detected type."""
        return name_for_type(self.original_name, self.content_type)

    @property
    def storage_name(self):
        return f"attachments/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(NEVER_DELETED_MESSAGE)
