from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """Who a user is in the real world: their institution and the details documents print."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("User")
    )
    institution = models.ForeignKey(
        "tolerance.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("Institution"),
        help_text=_("Supervisors and company contacts may belong to no institution."),
    )
    organisation = models.CharField(
        _("Organisation"),
        max_length=100,
        blank=True,
        help_text=_("Organisation of a user who belongs to no institution, e.g. a company or the science bureau."),
    )
    real_name = models.CharField(_("Real name"), max_length=50)
    staff_number = models.CharField(_("Staff number"), max_length=30, blank=True)
    department = models.CharField(_("Department"), max_length=100, blank=True)
    phone = models.CharField(
        _("Phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9+\-() ]{5,20}$", _("Enter a valid phone number."))],
    )
    email = models.EmailField(_("E-mail"), blank=True)
    # Notifications and their e-mails are written in it; blank: the site's language.
    language = models.CharField(
        _("Language of notifications"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("Profile")
        verbose_name_plural = _("Profiles")

    def __str__(self):
        return self.real_name or self.user.get_username()
