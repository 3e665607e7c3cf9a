from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    """The offices a case sends work to: verification of a rectification item, a licence receipt, the
    application of an exemption result. Each institution names its own contacts for each."""

    HR = "hr", _("Human resources office")
    ORGANISATION = "organisation", _("Organisation department")
    RESEARCH = "research", _("Science and technology office")
    ASSETS = "assets", _("State-owned assets office")
    FINANCE = "finance", _("Finance office")
    DISCIPLINE = "discipline", _("Discipline inspection office")
    AUDIT = "audit", _("Audit office")
    LEGAL = "legal", _("Legal affairs office")


class DepartmentContact(models.Model):
    """A person who acts for one department of one institution in the system."""

    institution = models.ForeignKey(
        "tolerance.Institution",
        on_delete=models.PROTECT,
        related_name="department_contacts",
        verbose_name=_("Institution"),
    )
    department = models.CharField(_("Department"), max_length=20, choices=Department.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="department_contacts",
        verbose_name=_("Contact"),
    )
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Department contact")
        verbose_name_plural = _("Department contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "department", "user"], name="department_contact_once_per_department"
            ),
        ]

    def __str__(self):
        return f"{self.institution.code} {self.get_department_display()}: {self.user}"
