"""The data of a 容错免责认定 case: the failed conversion, intake, findings and the rule evaluation."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class ExemptionProcess(Process):
    """The process of one exemption case; its own proxy so its permissions are its own."""

    class Meta:
        proxy = True
        verbose_name = _("exemption process")
        verbose_name_plural = _("exemption processes")
        permissions = [
            ("officer_task_exemptionprocess", _("Can perform officer tasks of exemption cases")),
            ("chair_task_exemptionprocess", _("Can perform committee chair tasks of exemption cases")),
        ]


class ExemptionStage(models.TextChoices):
    """Where an exemption case stands, in the words a researcher understands. The flow sets it as it moves."""

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


EXEMPTION_NEXT_STEPS = {
    ExemptionStage.COMPLETENESS_CHECK: _("A second officer checks the filing is complete."),
    ExemptionStage.SUPPLEMENT_REQUESTED: _("The filer supplements the materials."),
    ExemptionStage.INVESTIGATION: _("The office investigates each condition."),
    ExemptionStage.RULE_EVALUATION: _("A second officer confirms the proposed outcome."),
    ExemptionStage.COMMITTEE_REVIEW: _("The committee reviews the case."),
    ExemptionStage.PUBLICITY: _("The proposed outcome is publicised; objections may be lodged."),
    ExemptionStage.OBJECTION_REVIEW: _("The office rules on the objections."),
    ExemptionStage.DECISION: _("The office issues the decision."),
    ExemptionStage.APPEAL_WINDOW: _("A subject may appeal once until the deadline."),
    ExemptionStage.APPEAL_REVIEW: _("The committee reviews the case again."),
}


class TransferRoute(models.TextChoices):
    TRANSFER = "transfer", _("transfer")
    LICENCE = "licence", _("licence")
    EQUITY = "equity", _("equity investment")


class ExemptionOutcome(models.TextChoices):
    EXEMPT = "exempt", _("exempt from liability")
    REDUCED = "reduced", _("reduced liability")
    NOT_EXEMPT = "not_exempt", _("not exempt")


class ExemptionDetails(models.Model):
    case = models.OneToOneField(
        "tolerance.Case", on_delete=models.PROTECT, related_name="exemption", verbose_name=_("case")
    )
    policy_version = models.ForeignKey(
        "workflows.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("tolerance list version")
    )
    result_title = models.CharField(_("research result"), max_length=200)
    route = models.CharField(_("conversion route"), max_length=10, choices=TransferRoute.choices)
    counterparty = models.CharField(_("counterparty"), max_length=200)
    contract_number = models.CharField(_("contract number"), max_length=60)
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    contract_signed_on = models.DateField(_("contract signed on"))
    failed_on = models.DateField(_("failure established on"))
    failure_description = models.TextField(_("what failed"), max_length=4000)
    loss_amount = models.DecimalField(
        _("loss (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cited_entries = models.ManyToManyField(
        "workflows.PolicyItem", related_name="cited_by", verbose_name=_("tolerance list entries relied on")
    )

    class Meta:
        verbose_name = _("exemption details")
        verbose_name_plural = _("exemption details")

    def __str__(self):
        return f"{self.case.number} {self.result_title}"


class IntakeResult(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    SUPPLEMENT = "supplement", _("returned for supplement")
    REFUSED = "refused", _("refused")


class IntakeReview(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="intake_reviews", verbose_name=_("case")
    )
    result = models.CharField(_("result"), max_length=12, choices=IntakeResult.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    supplement_due = models.DateField(_("supplement due"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("completeness check")
        verbose_name_plural = _("completeness checks")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_result_display()}"


class Finding(models.Model):
    """The investigator's finding on one condition, negative-list item or mitigating factor.

    `holds` reads naturally for all three: the condition is met, the negative item applies, the
    mitigating factor is present.
    """

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="findings", verbose_name=_("case")
    )
    item = models.ForeignKey(
        "workflows.PolicyItem", on_delete=models.PROTECT, related_name="findings", verbose_name=_("policy item")
    )
    holds = models.BooleanField(_("holds"))
    note = models.TextField(_("finding"), max_length=4000)
    evidence = models.ManyToManyField("tolerance.Attachment", blank=True, related_name="+", verbose_name=_("evidence"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["case", "item__kind", "item__order"]
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="finding_unique")]

    def __str__(self):
        return f"{self.case.number} {self.item.code}"


class RuleEvaluation(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("case")
    )
    policy_version = models.ForeignKey(
        "workflows.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("tolerance list version")
    )
    proposal = models.CharField(_("proposed outcome"), max_length=12, choices=ExemptionOutcome.choices)
    explanation = models.JSONField(_("explanation"), default=list)
    outcome = models.CharField(_("confirmed outcome"), max_length=12, choices=ExemptionOutcome.choices)
    override_reason = models.TextField(_("override reason"), max_length=2000, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule evaluation")
        verbose_name_plural = _("rule evaluations")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_outcome_display()}"
