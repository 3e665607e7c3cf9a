"""The register of approved leave, part-time work and ventures (离岗/兼职/在职创办台账).

One row per approved activity. The daily sweep warns before the period ends and, the day after it ends
without a return or an extension, opens a rectification case with gap G07 (at most once per row).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterKind(models.TextChoices):
    LEAVE = "leave", _("leave for entrepreneurship")
    PART_TIME = "part_time", _("part-time post")
    OWN_VENTURE = "own_venture", _("company founded while in post")
    SECONDMENT = "secondment", _("secondment")


class RegisterStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    RETURNED = "returned", _("returned to post")
    TERMINATED = "terminated", _("terminated")
    OVERSTAYED = "overstayed", _("overstayed")


class RegisterEntry(models.Model):
    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_entries", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RegisterKind.choices)
    company_name = models.CharField(_("company"), max_length=200)
    company_uscc = models.CharField(_("unified social credit code"), max_length=18)
    project = models.CharField(_("project and results used"), max_length=300)
    approval_document = models.CharField(_("approval document"), max_length=100)
    approved_on = models.DateField(_("approved on"))
    start_on = models.DateField(_("period starts"))
    end_on = models.DateField(_("period ends"))
    extensions_used = models.PositiveSmallIntegerField(_("extensions used"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=RegisterStatus.choices, default=RegisterStatus.ACTIVE)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["institution", "end_on", "id"]
        indexes = [models.Index(fields=["status", "end_on"], name="rect_register_status_end")]

    def __str__(self):
        return f"{self.institution.code} {self.person} {self.get_kind_display()} {self.end_on}"
