from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the 18-character unified social credit code, its last character a check character.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    if len(value) != 18 or any(char not in USCC_ALPHABET for char in value):
        raise ValidationError(_("A unified social credit code has 18 digits or capital letters (no I, O, S, V, Z)."))
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this unified social credit code is wrong."))


class CompanySize(models.TextChoices):
    MICRO = "micro", _("micro enterprise")
    SMALL = "small", _("small enterprise")
    MEDIUM = "medium", _("medium-sized enterprise")
    LARGE = "large", _("large enterprise")


class Company(models.Model):
    """A company a case concerns (the licensee of a licence); its contacts see every case of it."""

    name = models.CharField(_("Company name"), max_length=200)
    uscc = models.CharField(_("Unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    size_class = models.CharField(_("Size class"), max_length=8, choices=CompanySize.choices)
    region_code = models.CharField(_("Region code"), max_length=6, blank=True)
    # 信用约束: set when a licence is terminated for breach; future applications warn or block by policy.
    credit_flagged_on = models.DateField(_("Credit flag set on"), null=True, blank=True)
    credit_flag_reason = models.TextField(_("Credit flag reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("Company")
        verbose_name_plural = _("Companies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CompanyContact(models.Model):
    """A person who acts for a company in the system (a licensee contact)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("Company"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="company_contact", verbose_name=_("Contact")
    )
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Company contact")
        verbose_name_plural = _("Company contacts")

    def __str__(self):
        return f"{self.company}: {self.user}"
