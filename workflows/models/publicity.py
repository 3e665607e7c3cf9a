"""Publicity (公示) with objections, shared by every case type."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Publicity(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="publicities", verbose_name=_("case")
    )
    notice_text = models.TextField(_("notice"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objections_until = models.DateField(_("objections accepted until"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicity")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.case.number} {self.starts_on}–{self.ends_on}"


class ObjectionRuling(models.TextChoices):
    PENDING = "pending", _("pending")
    SUBSTANTIVE = "substantive", _("substantive")
    NOT_SUBSTANTIVE = "not_substantive", _("not substantive")


class Objection(models.Model):
    publicity = models.ForeignKey(
        Publicity, on_delete=models.PROTECT, related_name="objections", verbose_name=_("publicity")
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lodged by"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered from paper by"),
    )
    submitter_name = models.CharField(_("submitted by"), max_length=100)
    text = models.TextField(_("objection"), max_length=4000)
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    ruling = models.CharField(
        _("ruling"), max_length=20, choices=ObjectionRuling.choices, default=ObjectionRuling.PENDING
    )
    ruling_reason = models.TextField(_("ruling reason"), max_length=2000, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ruled by"),
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["publicity", "id"]

    def __str__(self):
        return f"{self.publicity.case.number} {self.submitter_name}"
