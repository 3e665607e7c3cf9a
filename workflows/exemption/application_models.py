"""X3: a person concerned applies for 容错 through the portal, before there is a case: the facts of the
failed conversion, the entries relied on and the evidence. It takes a case number only when an officer
adopts it (the filing, pre-filled from it), so a declined application leaves no gap in the numbering."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.exemption.models import TransferRoute
from workflows.exemption.tolerance_list import PolicyAudience


class SelfApplicationStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for the office")
    ADOPTED = "adopted", _("adopted as a case")
    DECLINED = "declined", _("declined")


class SelfApplication(models.Model):
    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("Institution")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant")
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=SelfApplicationStatus.choices, default=SelfApplicationStatus.WAITING
    )
    policy_version = models.ForeignKey(
        "workflows.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("tolerance list")
    )
    title = models.CharField(_("Case title"), max_length=200)
    result_title = models.CharField(_("Research result"), max_length=200)
    route = models.CharField(_("Conversion route"), max_length=10, choices=TransferRoute.choices)
    counterparty = models.CharField(_("Counterparty"), max_length=200)
    contract_number = models.CharField(_("Contract number"), max_length=60)
    contract_amount = models.DecimalField(_("Contract amount (yuan)"), max_digits=14, decimal_places=2)
    contract_signed_on = models.DateField(_("Contract signed on"))
    failed_on = models.DateField(_("Failure established on"))
    failure_description = models.TextField(_("What failed, and why"), max_length=4000)
    loss_amount = models.DecimalField(_("Loss (yuan)"), max_digits=14, decimal_places=2)
    role_in_case = models.CharField(_("Role in the case"), max_length=100)
    audience = models.CharField(_("Leader, manager or researcher"), max_length=12, choices=PolicyAudience.choices)
    post = models.CharField(_("Post (e.g. 副校长, 科研处处长)"), max_length=100, blank=True)
    cited_entries = models.ManyToManyField(
        "workflows.PolicyItem", related_name="+", verbose_name=_("Tolerance list entries relied on")
    )
    # The evidence, checked and stored as evidence is (by content, never deleted) until the case exists:
    # [{"category", "name", "size", "content_type", "sha256"}].
    documents = models.JSONField(_("evidence"), default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("Reason for declining"), max_length=2000, blank=True)
    case = models.OneToOneField(
        "tolerance.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="self_application"
    )

    class Meta:
        app_label = "workflows"
        verbose_name = _("self-application for exemption")
        verbose_name_plural = _("self-applications for exemption")
        ordering = ["-id"]
        indexes = [models.Index(fields=["institution", "status", "id"], name="exemption_self_app_queue")]

    def __str__(self):
        return self.title
