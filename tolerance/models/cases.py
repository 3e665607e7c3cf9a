from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.case_types import DRAFT_STAGE, case_type_spec


class CaseType(models.TextChoices):
    EXEMPTION = "MZ", _("Liability exemption")
    RECTIFICATION = "ZG", _("Entrepreneurship compliance rectification")
    PAY_AFTER_USE = "XK", _("Pay-after-use licensing")


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
    # Cases about the same matter, of any type (an exemption case opened after a licence's default, a
    # rectification's failed company…); shown on both sides.
    related_cases = models.ManyToManyField("self", symmetrical=True, blank=True, verbose_name=_("Related cases"))
    process = models.OneToOneField(
        "viewflow.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("Process"),
    )
    # The company the case concerns (a licence's licensee): its contacts see the case (cases_visible_to).
    company = models.ForeignKey(
        "tolerance.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Company"),
    )
    # One of the case type's own stages (tolerance.case_types): the vocabulary differs between types.
    stage = models.CharField(_("Current stage"), max_length=40, default=DRAFT_STAGE)
    next_due = models.DateField(_("Due by"), null=True, blank=True)
    # The open stage spell's entry day (tolerance.models.stages), kept here so that a change of stage
    # closes that spell with one UPDATE instead of reading it first. Written by case_stage_set only.
    stage_entered_on = models.DateField(_("In the current stage since"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)
    # Number, title, people, company and result names in lower case, for the desk's search
    # (tolerance.selectors.desk); on PostgreSQL a pg_trgm index makes substring search fast.
    search_text = models.TextField(_("Search text"), blank=True, default="", editable=False)

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
    def case_type_label(self):
        spec = case_type_spec(self.case_type)
        return spec.label if spec else self.case_type

    @property
    def stage_label(self):
        spec = case_type_spec(self.case_type)
        return spec.stage_label(self.stage) if spec else self.stage

    @property
    def next_step(self):
        spec = case_type_spec(self.case_type)
        return spec.next_steps.get(self.stage, "") if spec else ""


class SubjectAudience(models.TextChoices):
    """Which part of a tolerance list speaks to a subject: the lists name leaders, managers and researchers."""

    LEADER = "leader", _("leader")
    MANAGER = "manager", _("manager")
    RESEARCHER = "researcher", _("researcher")


class LeadershipLevel(models.TextChoices):
    NONE = "", _("none")
    SECTION = "section", _("section level (科级)")
    DIVISION = "division", _("division level (处级)")
    UNIVERSITY = "university", _("university level (校级)")


class CaseSubject(models.Model):
    """A person the case is about; only the case's staff and these people may see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_links", verbose_name=_("Case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("Subject")
    )
    role_in_case = models.CharField(_("Role in the case"), max_length=100, blank=True)
    # Blank for case types that do not distinguish (and for subjects filed before audiences existed).
    audience = models.CharField(_("Audience"), max_length=12, choices=SubjectAudience.choices, blank=True)
    post = models.CharField(_("Post"), max_length=100, blank=True)
    leadership_level = models.CharField(
        _("Leadership level"), max_length=12, choices=LeadershipLevel.choices, blank=True
    )

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
