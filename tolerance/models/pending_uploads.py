from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.file_store import PENDING_PREFIX


class PendingUpload(models.Model):
    """A file uploaded with a form that was not accepted, held for its owner so they need not upload it again.

    It is checked as evidence is (tolerance.services.uploads) but belongs to no case: the next accepted
    submission of the same form turns it into an Attachment and removes it, and `manage.py
    pending_uploads_expire` removes those left behind.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("Owner")
    )
    # Which form (e.g. "exemption_filing") and which of its file fields, so the file goes back where it came from.
    purpose = models.CharField(_("Form"), max_length=50)
    field = models.CharField(_("Form field"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("Size (bytes)"))
    content_type = models.CharField(_("Content type"), max_length=100)
    original_name = models.CharField(_("Original file name"), max_length=200)
    created_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Pending upload")
        verbose_name_plural = _("Pending uploads")
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "purpose"])]

    def __str__(self):
        return self.original_name

    @property
    def storage_name(self):
        return self.storage_name_for(self.sha256)

    @staticmethod
    def storage_name_for(sha256: str) -> str:
        # Apart from the evidence, which is never deleted: a held file's content goes with its last row.
        return f"{PENDING_PREFIX}{sha256[:2]}/{sha256[2:4]}/{sha256}"
