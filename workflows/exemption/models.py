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


# A decision whose subjects were given different outcomes: each row of the decision states its own.
PER_SUBJECT_OUTCOME = "per_subject"
CASE_OUTCOME_CHOICES = [*ExemptionOutcome.choices, (PER_SUBJECT_OUTCOME, _("a determination per subject"))]


class PricingMethod(models.TextChoices):
    NEGOTIATED = "negotiated", _("negotiated price (协议定价)")
    LISTING = "listing", _("listing on an exchange (挂牌)")
    AUCTION = "auction", _("auction (拍卖)")
    VALUATION = "valuation", _("valuation-based (评估作价)")


class PublicityVenueKind(models.TextChoices):
    UNIT = "unit", _("within the unit (本单位)")
    MARKET = "market", _("technology trading market (技术交易市场)")
    PLATFORM = "platform", _("another named platform")


class TriggerSource(models.TextChoices):
    """Why the case started (粤科 guideline: 启动条件; 川自贸领〔2024〕2号: an organisation may propose)."""

    SELF = "self", _("self-application (自行申请)")
    UNIT = "unit", _("proposed by the unit (单位提出)")
    AUDIT = "audit", _("audit finding (审计发现)")
    INSPECTION = "inspection", _("inspection tour (巡视巡察)")
    DISCIPLINE = "discipline", _("discipline inspection lead (纪检线索)")
    ACCOUNTABILITY = "accountability", _("in accountability proceedings (问责程序中)")


class LossKind(models.TextChoices):
    ACTUAL = "actual", _("actual loss (实际损失)")
    EXPECTED = "expected", _("expected gain not realised (预期收益未实现)")


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
    # Blank for cases filed before the publicity facts were recorded (v1).
    pricing_method = models.CharField(_("pricing method"), max_length=12, choices=PricingMethod.choices, blank=True)
    objections_received = models.BooleanField(_("objections received during the price publicity"), default=False)
    objection_handling = models.TextField(_("how the objections were handled"), max_length=2000, blank=True)
    # How the conversion was decided (C2's facts, F06): blank for cases filed before they were recorded.
    decided_by_body = models.CharField(_("decided by (body)"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    emergency = models.BooleanField(_("decided in an emergency"), default=False)
    emergency_reason = models.TextField(_("the emergency"), max_length=2000, blank=True)
    reported_on = models.DateField(_("emergency decision reported on"), null=True, blank=True)
    procedure_completed_on = models.DateField(_("collective procedure completed on"), null=True, blank=True)
    trigger_source = models.CharField(
        _("why the case started"), max_length=16, choices=TriggerSource.choices, blank=True
    )
    accountability_ref = models.CharField(_("reference of the finding or proceedings"), max_length=100, blank=True)
    loss_kind = models.CharField(_("kind of loss"), max_length=10, choices=LossKind.choices, blank=True)
    ledger_ref = models.CharField(_("separate ledger number (单列台账)"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("exemption details")
        verbose_name_plural = _("exemption details")

    def __str__(self):
        return f"{self.case.number} {self.result_title}"


class PublicityVenue(models.Model):
    """Where and when the negotiated price was publicised (国发〔2016〕16号(十): 本单位 and 技术交易市场)."""

    details = models.ForeignKey(
        ExemptionDetails, on_delete=models.CASCADE, related_name="publicity_venues", verbose_name=_("case")
    )
    kind = models.CharField(_("venue"), max_length=10, choices=PublicityVenueKind.choices)
    name = models.CharField(_("venue name"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("price publicity venue")
        verbose_name_plural = _("price publicity venues")
        ordering = ["details", "starts_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"

    @property
    def calendar_days(self) -> int:
        """Counted inclusively in calendar days, as publicity periods are."""
        return (self.ends_on - self.starts_on).days + 1


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
    mitigating factor is present. A finding without a subject is a fact of the case shared by every
    subject the item applies to; one with a subject concerns that person only.
    """

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="findings", verbose_name=_("case")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("subject"),
    )
    item = models.ForeignKey(
        "workflows.PolicyItem", on_delete=models.PROTECT, related_name="findings", verbose_name=_("policy item")
    )
    holds = models.BooleanField(_("holds"))
    note = models.TextField(_("finding"), max_length=4000)
    # The heads of duty checked off under an item with a sub-checklist (C6: 合规转化、制度健全、作业要求).
    checklist = models.JSONField(_("checked heads of duty"), default=list, blank=True)
    evidence = models.ManyToManyField("tolerance.Attachment", blank=True, related_name="+", verbose_name=_("evidence"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["case", "item__kind", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "item"], condition=models.Q(subject__isnull=True), name="finding_unique_case_level"
            ),
            models.UniqueConstraint(
                fields=["case", "subject", "item"],
                condition=models.Q(subject__isnull=False),
                name="finding_unique_per_subject",
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.item.code}"


class RuleEvaluation(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("case")
    )
    policy_version = models.ForeignKey(
        "workflows.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("tolerance list version")
    )
    # PER_SUBJECT when the subjects' determinations differ; each is then read from `determinations`.
    proposal = models.CharField(_("proposed outcome"), max_length=12, choices=CASE_OUTCOME_CHOICES)
    explanation = models.JSONField(_("explanation"), default=list)
    outcome = models.CharField(_("confirmed outcome"), max_length=12, choices=CASE_OUTCOME_CHOICES)
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


class ReductionKind(models.TextChoices):
    LIGHTER = "lighter", _("lighter (从轻)")
    MITIGATED = "mitigated", _("mitigated (减轻)")


class SubjectDetermination(models.Model):
    """What the rules propose and the second officer confirms for one responsible person."""

    evaluation = models.ForeignKey(
        RuleEvaluation, on_delete=models.PROTECT, related_name="determinations", verbose_name=_("rule evaluation")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject", on_delete=models.PROTECT, related_name="determinations", verbose_name=_("subject")
    )
    audience = models.CharField(_("audience"), max_length=12, blank=True)
    proposal = models.CharField(_("proposed outcome"), max_length=12, choices=ExemptionOutcome.choices)
    explanation = models.JSONField(_("explanation"), default=dict)
    outcome = models.CharField(_("confirmed outcome"), max_length=12, choices=ExemptionOutcome.choices)
    override_reason = models.TextField(_("override reason"), max_length=2000, blank=True)
    liability_scope = models.JSONField(_("liability scope"), default=list, blank=True)
    reduction_kind = models.CharField(_("kind of reduction"), max_length=10, choices=ReductionKind.choices, blank=True)
    # The liability that remains after a reduction (F10), printed on the decision and the register.
    remaining_liability = models.TextField(_("liability that remains"), max_length=2000, blank=True)
    correction_items = models.TextField(_("correction order"), max_length=2000, blank=True)
    correction_due = models.DateField(_("correction due"), null=True, blank=True)

    class Meta:
        verbose_name = _("determination for a subject")
        verbose_name_plural = _("determinations for subjects")
        ordering = ["evaluation", "subject_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "subject"], name="subject_determination_unique")]

    def __str__(self):
        return f"{self.evaluation.case.number} {self.subject.user} {self.get_outcome_display()}"


class CorrectionOrder(models.Model):
    """A 纠错 order on one person (绵委办发〔2018〕25号 "限期整改或纠正"; 川自贸领〔2024〕2号): what to correct
    and by when, created with the decision that orders it; the officer records it done and verified. An
    order left undone at its deadline is escalated to the officer, which a later case may cite (N9)."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="correction_orders", verbose_name=_("case")
    )
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject", on_delete=models.PROTECT, related_name="correction_orders", verbose_name=_("subject")
    )
    items = models.TextField(_("items to correct"), max_length=2000)
    due = models.DateField(_("correction due"))
    done_on = models.DateField(_("corrected on"), null=True, blank=True)
    note = models.TextField(_("verification note"), max_length=2000, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction order")
        verbose_name_plural = _("correction orders")
        ordering = ["case", "subject_id"]
        constraints = [models.UniqueConstraint(fields=["decision", "subject"], name="correction_order_unique")]

    def __str__(self):
        return f"{self.case.number} {self.subject.user} {self.due}"


class ConfirmationResult(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    AMENDED = "amended", _("confirmed with changes")


class ExternalConfirmation(models.Model):
    """F12: a leader above the unit's cadre authority (or a loss above the version's amount) needs the
    confirmation of the body the version names (粤科 guideline: the 主管部门 decides with the department)."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="external_confirmations", verbose_name=_("case")
    )
    subject = models.ForeignKey(
        "tolerance.CaseSubject", on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    body = models.CharField(_("confirming body"), max_length=100)
    ref_no = models.CharField(_("reference number"), max_length=100)
    confirmed_on = models.DateField(_("confirmed on"))
    result = models.CharField(_("result"), max_length=10, choices=ConfirmationResult.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external confirmation")
        verbose_name_plural = _("external confirmations")
        ordering = ["case", "subject_id", "id"]

    def __str__(self):
        return f"{self.case.number} {self.body} {self.ref_no}"
