from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Appeal(models.Model):
    """A subject's request for re-review (复核); one per case, which the OneToOne enforces."""

    case = models.OneToOneField(
        "tolerance.Case", on_delete=models.PROTECT, related_name="appeal", verbose_name=_("case")
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lodged by")
    )
    reasons = models.TextField(_("reasons"), max_length=4000)
    evidence = models.ManyToManyField(
        "tolerance.Attachment", blank=True, related_name="+", verbose_name=_("new evidence")
    )
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.case.number} {self.lodged_by}"
