"""A company's application through the portal, before it is a case: the terms its contact asks for and
the company's documents. It takes a case number only when an officer accepts it into the flow, so
declined applications leave no gap in the numbering."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.licensing.models import LicenceTerms, Result


class ApplicationStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for the office")
    ACCEPTED = "accepted", _("accepted into review")
    DECLINED = "declined", _("declined")


class LicenceApplication(LicenceTerms):
    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("Institution")
    )
    company = models.ForeignKey(
        "tolerance.Company", on_delete=models.PROTECT, related_name="licence_applications", verbose_name=_("Company")
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.WAITING
    )
    title = models.CharField(_("Case title"), max_length=200)
    results = models.ManyToManyField(Result, related_name="+", verbose_name=_("Results licensed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("Reason for declining"), max_length=2000, blank=True)
    case = models.OneToOneField(
        "tolerance.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="licence_application"
    )

    class Meta:
        verbose_name = _("licence application")
        verbose_name_plural = _("licence applications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["institution", "status", "id"], name="licence_application_queue")]

    def __str__(self):
        return f"{self.company} {self.title}"


class ApplicationDocument(models.Model):
    """A document the company filed with its application, checked and stored as evidence is (by content,
    never deleted); it becomes evidence of the case when the application is accepted."""

    application = models.ForeignKey(LicenceApplication, on_delete=models.PROTECT, related_name="documents")
    description = models.CharField(_("Description"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["application", "id"]

    def __str__(self):
        return self.original_name
