from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    EXEMPTION = "MZ", _("Liability exemption")
    RECTIFICATION = "ZG", _("Entrepreneurship compliance rectification")
    PAY_AFTER_USE = "XK", _("Pay-after-use licensing")


class CaseStage(models.TextChoices):
    """Where a case stands, in the words a researcher understands. Flows set it as they move."""

    DRAFT = "draft", _("Not yet submitted")
    COMPLETENESS_CHECK = "completeness_check", _("Completeness check")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Returned for supplementary evidence")
    REFUSED = "refused", _("Not accepted")
    INVESTIGATION = "investigation", _("Under investigation")
    RULE_EVALUATION = "rule_evaluation", _("Drafting the determination")
    COMMITTEE_REVIEW = "committee_review", _("Under committee review")
    PUBLICITY = "publicity", _("Under publicity")
    OBJECTION_REVIEW = "objection_review", _("Objection under review")
    DECISION = "decision", _("Decision being prepared")
    APPEAL_WINDOW = "appeal_window", _("Decided; appeal window open")
    APPEAL_REVIEW = "appeal_review", _("Appeal under review")
    CLOSED = "closed", _("Closed and archived")


# What happens next at each stage, derived rather than stored so it is always in the reader's language.
NEXT_STEPS = {
    CaseStage.COMPLETENESS_CHECK: _("A second officer checks the filing is complete."),
    CaseStage.SUPPLEMENT_REQUESTED: _("The filer supplements the materials."),
    CaseStage.INVESTIGATION: _("The office investigates each condition."),
    CaseStage.RULE_EVALUATION: _("A second officer confirms the proposed outcome."),
    CaseStage.COMMITTEE_REVIEW: _("The committee reviews the case."),
    CaseStage.PUBLICITY: _("The proposed outcome is publicised; objections may be lodged."),
    CaseStage.OBJECTION_REVIEW: _("The office rules on the objections."),
    CaseStage.DECISION: _("The office issues the decision."),
    CaseStage.APPEAL_WINDOW: _("A subject may appeal once until the deadline."),
    CaseStage.APPEAL_REVIEW: _("The committee reviews the case again."),
}


class Case(models.Model):
    """What every case type shares: who it is about, who filed it, and its number.

    The number is allocated once, per institution, type and year, inside the filing transaction
    (see services.cases.case_number_allocate), so it is never reused and has no gaps.
    """

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="cases", verbose_name=_("Institution")
    )
    case_type = models.CharField(_("Case type"), max_length=2, choices=CaseType.choices)
    year = models.PositiveSmallIntegerField(_("Year"))
    sequence = models.PositiveIntegerField(_("Sequence"))
    number = models.CharField(_("Case number"), max_length=40, unique=True)
    title = models.CharField(_("Case title"), max_length=200)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filed_cases", verbose_name=_("Officer")
    )
    filed_at = models.DateTimeField(_("Filed at"), auto_now_add=True)
    subjects = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="tolerance.CaseSubject",
        related_name="subject_of_cases",
        verbose_name=_("Subjects"),
    )
    process = models.OneToOneField(
        "viewflow.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("Process"),
    )
    stage = models.CharField(_("Current stage"), max_length=40, choices=CaseStage.choices, default=CaseStage.DRAFT)
    next_due = models.DateField(_("Due by"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Case")
        verbose_name_plural = _("Cases")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "case_type", "year", "sequence"], name="case_sequence_unique"
            )
        ]
        indexes = [models.Index(fields=["institution", "-id"], name="case_institution_recent")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def next_step(self):
        return NEXT_STEPS.get(self.stage, "")


class CaseSubject(models.Model):
    """A researcher the case is about; only these researchers may see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_links", verbose_name=_("Case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("Subject")
    )
    role_in_case = models.CharField(_("Role in the case"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Case subject")
        verbose_name_plural = _("Case subjects")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_subject_unique")]

    def __str__(self):
        return f"{self.case.number}: {self.user}"


class CaseNumberSequence(models.Model):
    """The last number handed out per institution, case type and year; locked while allocating."""

    institution = models.ForeignKey("tolerance.Institution", on_delete=models.PROTECT)
    case_type = models.CharField(max_length=2, choices=CaseType.choices)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Case number sequence")
        verbose_name_plural = _("Case number sequences")
        constraints = [
            models.UniqueConstraint(fields=["institution", "case_type", "year"], name="case_number_sequence_unique")
        ]

    def __str__(self):
        return f"{self.institution_id}-{self.case_type}-{self.year}: {self.last_value}"
