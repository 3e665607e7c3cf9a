from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CasVersion(models.TextChoices):
    V2 = "2", "CAS 2.0"
    V3 = "3", "CAS 3.0"


class CasSignOn(models.Model):
    """An institution's campus sign-on (统一身份认证) server and how its attributes name a person.

    A server given for the institution in TOLERANCE_CAS_SERVERS wins over the address stored here."""

    institution = models.OneToOneField(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="cas_sign_on", verbose_name=_("Institution")
    )
    is_enabled = models.BooleanField(_("Campus sign-on enabled"), default=True)
    server_url = models.URLField(
        _("CAS server address"), blank=True, help_text=_("e.g. https://cas.example.edu.cn/cas/")
    )
    version = models.CharField(_("CAS protocol version"), max_length=1, choices=CasVersion.choices, default="3")
    staff_number_attribute = models.CharField(
        _("Attribute holding the staff number"),
        max_length=64,
        blank=True,
        help_text=_("Empty: the CAS user name is the staff number."),
    )
    name_attribute = models.CharField(
        _("Attribute holding the name"),
        max_length=64,
        blank=True,
        help_text=_("If given, the name is checked against the profile's, so a recycled staff number is refused."),
    )

    class Meta:
        verbose_name = _("Campus sign-on")
        verbose_name_plural = _("Campus sign-on")

    def __str__(self):
        return f"{self.institution.code} CAS"


class CampusIdentity(models.Model):
    """The link, made at a person's first campus login, between their CAS identity and their account."""

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("Institution")
    )
    cas_user = models.CharField(_("CAS user"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campus_identities", verbose_name=_("User")
    )
    linked_at = models.DateTimeField(_("Linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Campus identity")
        verbose_name_plural = _("Campus identities")
        constraints = [
            models.UniqueConstraint(fields=["institution", "cas_user"], name="campus_identity_unique"),
        ]

    def __str__(self):
        return f"{self.institution.code} {self.cas_user} → {self.user}"
