"""The tolerance list (容错清单) and the rules it is judged by, versioned per institution.

A case records the version it was judged under, so editing or replacing the list never changes how a
decided case reads. Conditions, negative-list items and mitigating factors live in the same version
as the entries because policy revisions change them together.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.steps.models import PublicityScope


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    IN_FORCE = "in_force", _("in force")
    REPEALED = "repealed", _("repealed")


# Only these can be the version a new case is judged under.
POLICY_STATUSES_IN_FORCE = (PolicyStatus.APPROVED, PolicyStatus.IN_FORCE)


# The words a version's `publicity.scope` may use for who reads the notice (F16), or a scope code.
SCOPE_WORDS = {
    "社会公开": PublicityScope.PUBLIC,
    "全校": PublicityScope.INSTITUTION,
    "校内": PublicityScope.INSTITUTION,
    "院系": PublicityScope.DEPARTMENT,
    "委员会内": PublicityScope.COMMITTEE,
}


class PolicyVersion(models.Model):
    institution = models.ForeignKey(
        "tolerance.Institution",
        on_delete=models.PROTECT,
        related_name="policy_versions",
        verbose_name=_("institution"),
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("policy source"), max_length=300, blank=True)
    negative_mitigable = models.BooleanField(
        _("mitigating factors can reduce a negative-list case"),
        default=False,
        help_text=_(
            "If set, a case hitting the negative list is proposed for reduced liability when a mitigating factor is present; otherwise it is never exempted nor reduced."
        ),
    )
    # The 上级主管部门 approves the list (Jiangsu guideline); versions loaded before approvals were recorded
    # are in force.
    status = models.CharField(_("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE)
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    approval_doc_no = models.CharField(_("approval document number"), max_length=100, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # The version's rules and numbers (publicity check, researcher default, result recipients, periods…),
    # read by workflows.exemption.version_rules; empty for versions that predate them.
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tolerance list version")
        verbose_name_plural = _("tolerance list versions")
        ordering = ["institution", "-number"]
        constraints = [models.UniqueConstraint(fields=["institution", "number"], name="policy_version_unique")]

    def __str__(self):
        return f"{self.institution.code} {self.title} v{self.number} ({self.effective_from:%Y-%m-%d})"

    def clean(self):
        """Only an approved version comes into force (Jiangsu: the 上级主管部门 approves the list). Lists
        loaded before approvals were recorded (`predates_approvals`, set by the loader) stay in force."""
        super().clean()
        scope = ((self.rules or {}).get("publicity") or {}).get("scope", "")
        if scope and scope not in SCOPE_WORDS and scope not in PublicityScope.values:
            raise ValidationError(
                {
                    "rules": _("Unknown publicity scope “%(scope)s”: use 社会公开, 全校, 院系 or 委员会内.")
                    % {"scope": scope}
                }
            )
        if self.status not in POLICY_STATUSES_IN_FORCE or getattr(self, "predates_approvals", False):
            return
        if self.approved_by.strip() and self.approval_doc_no.strip() and self.approved_on:
            return
        stored = PolicyVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first() if self.pk else None
        if stored in POLICY_STATUSES_IN_FORCE:
            return
        raise ValidationError(
            {
                "status": _(
                    "Only an approved version can come into force: record who approved it, the approval "
                    "document number and the date of approval."
                )
            }
        )


class PolicyItemKind(models.TextChoices):
    ENTRY = "entry", _("tolerance list entry")
    CONDITION = "condition", _("exemption condition")
    NEGATIVE = "negative", _("negative list item")
    MITIGATING = "mitigating", _("mitigating factor")
    EXEMPTING = "exempting", _("exempting ground")


class PolicyAudience(models.TextChoices):
    LEADER = "leader", _("leaders")
    MANAGER = "manager", _("managers")
    RESEARCHER = "researcher", _("researchers")


class PolicyItem(models.Model):
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="items", verbose_name=_("version")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PolicyItemKind.choices)
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    audience = models.CharField(_("applies to"), max_length=12, choices=PolicyAudience.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=2000)
    # Audiences (PolicyAudience values) a condition, negative item or factor applies to; empty: everyone.
    applies_to = models.JSONField(_("applies to audiences"), default=list, blank=True)
    # Found once per subject rather than once for the case.
    per_subject = models.BooleanField(_("found per subject"), default=False)
    source_refs = models.JSONField(_("sources"), default=list, blank=True)
    # Computed checks and routes that make the item not applicable, e.g. the publicity days of C3.
    checks = models.JSONField(_("checks"), default=dict, blank=True)

    class Meta:
        verbose_name = _("policy item")
        verbose_name_plural = _("policy items")
        ordering = ["version", "kind", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "kind", "code"], name="policy_item_unique")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def applies_to_audience(self, audience: str) -> bool:
        return not self.applies_to or not audience or audience in self.applies_to
