"""The statistics' own rows: the pre-aggregated figures the page reads, the small-cell policy, and the
institution's referral of a case to a supervisor body (移送主管部门)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatisticsRollup(models.Model):
    """When the figures were last built (one row): the page says "统计截至 …" from it."""

    built_at = models.DateTimeField(_("Built at"))
    as_of = models.DateField(_("Figures as of"), help_text=_("The day the overdue and running figures are counted on."))
    cells = models.PositiveIntegerField(_("Rows"), default=0)
    seconds = models.DecimalField(_("Build time (s)"), max_digits=8, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("Statistics build")
        verbose_name_plural = _("Statistics builds")

    def __str__(self):
        return f"{self.as_of} ({self.built_at:%Y-%m-%d %H:%M})"


class StatisticsCell(models.Model):
    """One pre-aggregated figure of one institution's cases of one type filed in one year: `figure` names
    what is counted (cases by stage, stays by stage and working days, decisions by outcome, yuan due by
    year…), `key`/`detail`/`number` its categories, `count` how many and `amount` how much money. The
    page sums the rows its filters select, so every table costs one small query whatever the case count."""

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("Institution")
    )
    case_type = models.CharField(_("Case type"), max_length=2)
    year = models.PositiveSmallIntegerField(_("Year"))
    figure = models.CharField(_("Figure"), max_length=30)
    key = models.CharField(_("Key"), max_length=60, blank=True, default="")
    detail = models.CharField(_("Detail"), max_length=60, blank=True, default="")
    number = models.IntegerField(_("Number"), null=True, blank=True)
    count = models.BigIntegerField(_("Count"), default=0)
    amount = models.DecimalField(_("Amount"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("Statistics figure")
        verbose_name_plural = _("Statistics figures")
        indexes = [models.Index(fields=["case_type", "year"], name="statistics_cell_type_year")]

    def __str__(self):
        return f"{self.institution_id} {self.case_type} {self.year} {self.figure} {self.key} {self.count}"


class StatisticsPolicy(models.Model):
    """Deployment-wide statistics policy (one row): below how many cases a figure shown to supervisors
    is masked (small-cell suppression); the institution's own staff always see exact numbers."""

    small_cell_threshold = models.PositiveSmallIntegerField(
        _("Smallest count shown to supervisors"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Counts from 1 up to one less than this are shown to supervisors as “<N”."),
    )

    class Meta:
        verbose_name = _("Statistics policy")
        verbose_name_plural = _("Statistics policy")

    def __str__(self):
        return str(self._meta.verbose_name)


class SupervisorReferral(models.Model):
    """The institution's act of referring a case to a supervisor body (移送主管部门): from then on that
    body's supervisors read the case file in full (tolerance.selectors.cases.user_sees_case_file). A
    referral of a person to 纪委办/人事处 (workflows.steps.referrals) is a different act and opens nothing."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="supervisor_referrals", verbose_name=_("Case")
    )
    supervisor_body = models.CharField(_("Supervisor body"), max_length=100)
    reason = models.TextField(_("Reason"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Referred by")
    )
    referred_at = models.DateTimeField(_("Referred at"))

    class Meta:
        verbose_name = _("Referral to the supervisor")
        verbose_name_plural = _("Referrals to the supervisor")
        ordering = ["case", "referred_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "supervisor_body"], name="supervisor_referral_once"),
        ]

    def __str__(self):
        return f"{self.case_id} → {self.supervisor_body}"
