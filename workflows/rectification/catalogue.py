"""The gap catalogue (合规问题目录) and negative list of 离岗创业合规整改, versioned per institution.

Like the exemption's tolerance list, a case records the version it was classified under and an item a
case relied on is frozen: a later edit is a new version, so a decided case always reads as it was decided.
The version also carries the flow's numbers (extension cap, returns allowed, reminder days, leave
rules) in `settings`, because policy revisions change them together with the catalogue.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.models import Department


class CatalogueVersion(models.Model):
    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("policy source"), max_length=300, blank=True)
    settings = models.JSONField(_("rules of the procedure"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gap catalogue version")
        verbose_name_plural = _("gap catalogue versions")
        ordering = ["institution", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="rectification_catalogue_version_unique")
        ]

    def __str__(self):
        return f"{self.institution.code} {self.title} v{self.number}"

    def setting(self, key: str):
        """A number of the procedure; a missing key is a broken fixture, never a silent default."""
        return self.settings[key]


class CatalogueItemKind(models.TextChoices):
    GAP = "gap", _("compliance gap")
    NEGATIVE = "negative", _("negative list item")


class Severity(models.TextChoices):
    GENERAL = "general", _("general")
    SERIOUS = "serious", _("serious")
    GRAVE = "grave", _("grave")


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "wd", _("working days")
    CALENDAR_DAYS = "d", _("calendar days")


class CatalogueItem(models.Model):
    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="items", verbose_name=_("version")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CatalogueItemKind.choices)
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    default_severity = models.CharField(
        _("default severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    remedy = models.TextField(_("remedy options"), max_length=2000, blank=True)
    evidence_required = models.TextField(_("evidence of completion"), max_length=2000, blank=True)
    deadline = models.PositiveSmallIntegerField(_("default deadline"), default=0)
    deadline_unit = models.CharField(
        _("deadline counts"), max_length=2, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_DAYS
    )
    verifier = models.CharField(_("verifying department"), max_length=20, choices=Department.choices, blank=True)
    # Departments that verify the gap's items besides the lead (domain-rectification.md §3: G01 is TTO +
    # 人事处, G05 组织部 + 纪委办); each item classified under the gap gets them, the officer may add others.
    extra_verifiers = models.JSONField(_("other verifying departments"), default=list, blank=True)

    class Meta:
        verbose_name = _("gap catalogue item")
        verbose_name_plural = _("gap catalogue items")
        ordering = ["version", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "code"], name="rectification_catalogue_item_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def verifiers_text(self) -> str:
        """The lead verifying department, then the gap's default others."""
        codes = [self.verifier, *self.extra_verifiers] if self.verifier else []
        return "、".join(str(Department(code).label) for code in dict.fromkeys(codes))

    def clean(self):
        codes = self.extra_verifiers
        if not isinstance(codes, list) or any(code not in Department.values for code in codes):
            raise ValidationError({"extra_verifiers": _("Name the other verifying departments from the offered list.")})
