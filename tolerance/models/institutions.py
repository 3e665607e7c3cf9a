from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """A university or research institute sharing the deployment; its policy numbers are per case type
    (CaseTypePolicy)."""

    code = models.CharField(
        _("Institution code"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{1,11}$",
                _("The institution code must be 2–12 capital letters or digits, starting with a letter."),
            )
        ],
        help_text=_("Used in case numbers, e.g. GUET."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    hr_contact_email = models.EmailField(_("HR department e-mail"), blank=True)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Institution")
        verbose_name_plural = _("Institutions")
        ordering = ["code"]

    def __str__(self):
        return self.name_zh


class DayCount(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class CaseTypePolicy(models.Model):
    """The policy numbers of one case type at one institution.

    They are data, not code: the sources differ between institutions and case types (publicity of
    5 working days and of 15 calendar days both occur) and a committee may change them.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="case_type_policies", verbose_name=_("Institution")
    )
    case_type = models.CharField(_("Case type"), max_length=2)
    document_number_prefix = models.CharField(
        _("Document number prefix"), max_length=20, help_text=_("Prefix of decision document numbers, e.g. “桂电容认”.")
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("Publicity period (days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    publicity_day_count = models.CharField(
        _("Publicity period counts"), max_length=8, choices=DayCount.choices, default=DayCount.WORKING
    )
    objection_days = models.PositiveSmallIntegerField(
        _("Objection period (days, counted like the publicity period)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Days after publicity starts during which objections may be raised."),
    )
    appeal_working_days = models.PositiveSmallIntegerField(
        _("Appeal window (working days)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    supplement_working_days = models.PositiveSmallIntegerField(
        _("Supplement deadline (working days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("Deadline reminder (working days before)"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text=_("Those who must act are reminded this many working days before a case's deadline."),
    )
    appeal_reminder_working_days = models.PositiveSmallIntegerField(
        _("Appeal window reminder (working days before it closes)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text=_("The subjects of a decision are reminded this many working days before they can no longer appeal."),
    )
    committee_quorum_percent = models.PositiveSmallIntegerField(
        _("Committee quorum (%)"),
        default=67,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Minimum share of the non-recused members who must vote."),
    )
    vote_threshold_percent = models.PositiveSmallIntegerField(
        _("Vote threshold (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("An outcome passes only when its votes exceed this share of the votes cast."),
    )

    class Meta:
        verbose_name = _("Case type policy")
        verbose_name_plural = _("Case type policies")
        ordering = ["institution", "case_type"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "case_type"], name="case_type_policy_unique"),
            models.UniqueConstraint(
                fields=["institution", "document_number_prefix"], name="case_type_policy_prefix_unique"
            ),
        ]

    def __str__(self):
        return f"{self.institution.code} {self.case_type}"

    @property
    def publicity_counts_working_days(self) -> bool:
        return self.publicity_day_count == DayCount.WORKING

    def clean(self):
        # Objections are raised while the publicity notice is up; a longer window would outlive it.
        if (
            self.objection_days is not None
            and self.publicity_days is not None
            and self.objection_days > self.publicity_days
        ):
            raise ValidationError(
                {"objection_days": _("The objection period cannot be longer than the publicity period.")}
            )
