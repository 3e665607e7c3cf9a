"""The data of a 离岗创业合规整改 case: the declaration, the departments' opinions, the gaps found and the
rectification items with their evidence, acceptance and extensions.

Open-source Viewflow has no dynamic split, so the variable number of items lives in these tables and the
flow carries only the stage skeleton (domain-rectification.md §6, implementation notes).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from tolerance.models import Department
from workflows.rectification.catalogue import DeadlineUnit, Severity


class RectificationProcess(Process):
    """The process of one rectification case; its own proxy so its permissions are its own."""

    class Meta:
        proxy = True
        verbose_name = _("rectification process")
        verbose_name_plural = _("rectification processes")
        permissions = [
            ("officer_task_rectificationprocess", _("Can perform officer tasks of rectification cases")),
            ("chair_task_rectificationprocess", _("Can perform committee chair tasks of rectification cases")),
        ]


class RectificationStage(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Declaration under acceptance check")
    SUPPLEMENT = "supplement", _("Returned for supplementary materials")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    VERIFICATION = "verification", _("Facts being verified with the departments")
    CLASSIFICATION = "classification", _("Gaps being classified")
    GAP_CONFIRMATION = "gap_confirmation", _("Gap list being confirmed")
    STATEMENT = "statement", _("Gap list notified; the subject's statement awaited")
    STATEMENT_ANSWER = "statement_answer", _("The office answers the subject's statement")
    COMMITTEE_REVIEW = "committee_review", _("Under committee review")
    NOTICE = "notice", _("Rectification notice being issued")
    RECTIFYING = "rectifying", _("Rectification under way")
    DECISION = "decision", _("Decision being prepared")
    APPEAL_WINDOW = "appeal_window", _("Decided; appeal window open")
    APPEAL_REVIEW = "appeal_review", _("Appeal under review")
    CLOSED = "closed", _("Closed and archived")
    SUSPENDED = "suspended", _("Suspended while discipline inspection investigates")
    TERMINATED = "terminated", _("Closed on the discipline inspection's result")


RECTIFICATION_NEXT_STEPS = {
    RectificationStage.ACCEPTANCE: _("A second officer checks the declaration is complete and in scope."),
    RectificationStage.SUPPLEMENT: _("The subject supplies the materials asked for by the deadline."),
    RectificationStage.SUSPENDED: _("Every deadline is frozen until discipline inspection releases the case."),
    RectificationStage.VERIFICATION: _("The office verifies the facts; the departments asked give their opinions."),
    RectificationStage.CLASSIFICATION: _("The office classifies each gap against the catalogue and sets its remedy."),
    RectificationStage.GAP_CONFIRMATION: _("A second officer confirms the gap list and the plan."),
    RectificationStage.STATEMENT: _(
        "The subject confirms the gap list or states their view by the deadline; silence after it is confirmation."
    ),
    RectificationStage.STATEMENT_ANSWER: _("The office answers the subject's statement before the plan goes on."),
    RectificationStage.COMMITTEE_REVIEW: _("The committee reviews the case."),
    RectificationStage.NOTICE: _("The office issues the rectification notice."),
    RectificationStage.RECTIFYING: _("The subject completes each item by its deadline; the verifiers accept them."),
    RectificationStage.DECISION: _("The office issues the decision."),
    RectificationStage.APPEAL_WINDOW: _("A subject may appeal once until the deadline."),
    RectificationStage.APPEAL_REVIEW: _("The committee reviews the case again."),
}


class RectificationOutcome(models.TextChoices):
    """What a committee round resolves. The plan round approves the plan or refuses rectification (which is
    a failed rectification); the final round, after the items, decides passed or failed."""

    PLAN_APPROVED = "plan_approved", _("rectification plan approved")
    PASSED = "passed", _("rectification passed")
    FAILED = "failed", _("rectification failed")


class PlanRoundOutcome(models.TextChoices):
    PLAN_APPROVED = RectificationOutcome.PLAN_APPROVED.value, RectificationOutcome.PLAN_APPROVED.label
    FAILED = RectificationOutcome.FAILED.value, _("not rectifiable: rectification failed")


class FinalRoundOutcome(models.TextChoices):
    PASSED = RectificationOutcome.PASSED.value, RectificationOutcome.PASSED.label
    FAILED = RectificationOutcome.FAILED.value, RectificationOutcome.FAILED.label


class Origin(models.TextChoices):
    SELF_DECLARED = "self_declared", _("self-declaration by the researcher")
    OFFICER_FILED = "officer_filed", _("filed by an officer")
    REGISTER_OVERSTAY = "register_overstay", _("opened by the register on an overstay")


class LeadSource(models.TextChoices):
    SELF_DECLARATION = "self_declaration", _("self-declaration")
    AUDIT = "audit", _("audit")
    INSPECTION = "inspection", _("inspection tour")
    DISCIPLINE = "discipline", _("referred by discipline inspection")
    REPORT = "report", _("report by a member of the public")
    ANNUAL_CHECK = "annual_check", _("annual check")
    REGISTRY_MATCH = "registry_match", _("business registry comparison")
    REGISTER_OVERSTAY = "register_overstay", _("register: leave overstayed")


class ActivityKind(models.TextChoices):
    OWN_VENTURE = "own_venture", _("founded a company while in post")
    PART_TIME = "part_time", _("part-time post in a company")
    LEAVE = "leave", _("leave for entrepreneurship")
    SHAREHOLDING = "shareholding", _("shareholding")
    DIRECTORSHIP = "directorship", _("director, supervisor or manager")
    ADVISER = "adviser", _("adviser")


class RectificationDetails(models.Model):
    case = models.OneToOneField(
        "tolerance.Case", on_delete=models.PROTECT, related_name="rectification", verbose_name=_("case")
    )
    catalogue = models.ForeignKey(
        "workflows.CatalogueVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gap catalogue version"),
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    lead_source = models.CharField(_("lead source"), max_length=20, choices=LeadSource.choices)
    declared_on = models.DateField(_("declared on"))
    within_window = models.BooleanField(_("self-declared within the window"), default=False)
    activity_kind = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices)
    company_name = models.CharField(_("company"), max_length=200)
    company_uscc = models.CharField(_("unified social credit code"), max_length=18)
    role = models.CharField(_("role in the company"), max_length=100)
    equity_percent = models.DecimalField(
        _("equity (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    started_on = models.DateField(_("activity started on"))
    ended_on = models.DateField(_("activity ended on"), null=True, blank=True)
    account = models.TextField(_("account of the activity"), max_length=4000)
    facts_verified = models.TextField(_("verified facts"), max_length=4000, blank=True)
    discrepancies = models.TextField(_("discrepancies with the declaration"), max_length=4000, blank=True)
    false_declaration = models.BooleanField(_("material fact concealed in the declaration"), default=False)
    negative_hits = models.ManyToManyField(
        "workflows.CatalogueItem",
        blank=True,
        related_name="negative_hit_in",
        verbose_name=_("negative list items found"),
    )
    gaps_confirmed = models.BooleanField(_("gap list confirmed"), default=False)
    register_entry = models.ForeignKey(
        "workflows.RegisterEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("register entry"),
    )
    # 中止 (domain-rectification.md §4, §6): the stage left and what remained of each deadline, each in its
    # own unit, so resuming recomputes the due dates from the resume date.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_stage = models.CharField(_("stage when suspended"), max_length=20, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), max_length=2000, blank=True)
    remaining_at_suspension = models.JSONField(_("deadlines remaining at the suspension"), default=dict, blank=True)
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification details")
        verbose_name_plural = _("rectification details")

    def __str__(self):
        return f"{self.case.number} {self.company_name}"


class AcceptanceResult(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    SUPPLEMENT = "supplement", _("returned for supplementary materials")
    NOT_ACCEPTED = "not_accepted", _("not accepted")


class AcceptanceReview(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="acceptance_reviews", verbose_name=_("case")
    )
    result = models.CharField(_("result"), max_length=12, choices=AcceptanceResult.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    supplement_due = models.DateField(_("supplement due"), null=True, blank=True)
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)
    # The sweep's consequence once the supplement deadline passed: escalated to the office, or refused.
    expired_at = models.DateTimeField(_("supplement deadline passed at"), null=True, blank=True)
    expiry_consequence = models.CharField(_("consequence of the passed deadline"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("acceptance check")
        verbose_name_plural = _("acceptance checks")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_result_display()}"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("awaiting evidence")
    SUBMITTED = "submitted", _("evidence submitted, awaiting acceptance")
    RETURNED = "returned", _("returned for correction")
    PASSED = "passed", _("accepted")
    FAILED = "failed", _("not accepted")


TERMINAL_ITEM_STATUSES = (ItemStatus.PASSED, ItemStatus.FAILED)


class RectificationItem(models.Model):
    """One gap found and the remedy the plan sets for it: deadline, evidence, verifier and its state."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="rectification_items", verbose_name=_("case")
    )
    gap = models.ForeignKey(
        "workflows.CatalogueItem", on_delete=models.PROTECT, related_name="case_items", verbose_name=_("gap")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    finding = models.TextField(_("finding"), max_length=4000)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    remedy = models.TextField(_("remedy"), max_length=2000)
    evidence_required = models.TextField(_("evidence required"), max_length=2000)
    deadline = models.PositiveSmallIntegerField(_("deadline"), validators=[MinValueValidator(1)])
    deadline_unit = models.CharField(_("deadline counts"), max_length=2, choices=DeadlineUnit.choices)
    verifier = models.CharField(_("verifying department"), max_length=20, choices=Department.choices)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    returns = models.PositiveSmallIntegerField(_("times returned"), default=0)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    note = models.TextField(_("verifier's note"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["case", "order", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="rect_item_status_due"),
            # The department desk's order (desk.desk_items), walked to the page.
            models.Index(fields=["due_on", "id"], name="rect_item_due_id"),
        ]

    def __str__(self):
        return f"{self.case.number} {self.gap.code}"

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_ITEM_STATUSES

    @property
    def departments(self) -> list[str]:
        """The verifying departments, the lead first (an item from before several existed: its lead)."""
        return [row.department for row in self.verifiers.all()] or [self.verifier]

    def departments_text(self) -> str:
        return "、".join(str(Department(code).label) for code in self.departments)


class ItemVerifier(models.Model):
    """One department that verifies an item (domain-rectification.md §3: G01 is TTO + 人事处, G05 组织部 +
    纪委办). The item is accepted once every one of them accepted the evidence; a return by any sends it
    back to the subject and every verdict starts again."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="verifiers")
    # The item's case, copied so a department contact's visible cases are one index range on
    # (department, case) instead of a join through every item (bench: 470 ms at 100,000 cases).
    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    department = models.CharField(_("verifying department"), max_length=20, choices=Department.choices)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("item verifier")
        verbose_name_plural = _("item verifiers")
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "department"], name="rect_item_verifier_once")]
        indexes = [
            models.Index(fields=["department", "item"], name="rect_item_verifier_dept"),
            models.Index(fields=["department", "case"], name="rect_item_verifier_case"),
        ]

    def __str__(self):
        return f"{self.item} {self.department}"


class ItemEvidence(models.Model):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="evidence")
    attachment = models.ForeignKey("tolerance.Attachment", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=2000)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("item evidence")
        verbose_name_plural = _("item evidence")
        ordering = ["item", "id"]

    def __str__(self):
        return f"{self.item} {self.attachment_id}"


class ExtensionDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


class ItemExtension(models.Model):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="extensions")
    reason = models.TextField(_("reason"), max_length=2000)
    length = models.PositiveSmallIntegerField(_("extension requested"), validators=[MinValueValidator(1)])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ExtensionDecision.choices, default=ExtensionDecision.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    new_due_on = models.DateField(_("new deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["item", "id"]

    def __str__(self):
        return f"{self.item} +{self.length}"


class StatementKind(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed the gap list")
    CONTESTED = "contested", _("stated a different view")
    DEEMED = "deemed", _("no statement within the period: deemed confirmed")


class GapStatement(models.Model):
    """The subject's answer to one 合规问题认定告知书 (陈述与确认, domain-rectification.md §6 stage 4): a
    confirmation, a statement the office must answer before the plan goes on, or silence past the period."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="gap_statements", verbose_name=_("case")
    )
    notice = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("gap notice")
    )
    kind = models.CharField(_("statement"), max_length=10, choices=StatementKind.choices)
    text = models.TextField(_("the subject's statement"), max_length=4000, blank=True)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stated_at = models.DateTimeField(_("stated at"), auto_now_add=True)
    answer = models.TextField(_("the office's answer"), max_length=4000, blank=True)
    reopens = models.BooleanField(_("gap list sent back to classification"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement on the gap list")
        verbose_name_plural = _("statements on the gap list")
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["notice"], name="rect_statement_once_per_notice")]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"


class PlanCommitment(models.Model):
    """The subject's signed 整改承诺书: acceptance of the approved plan of one 整改通知书, through the portal,
    sealed as a document of its own."""

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="plan_commitments", verbose_name=_("case")
    )
    notice = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("rectification notice")
    )
    letter = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("commitment letter")
    )
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification commitment")
        verbose_name_plural = _("rectification commitments")
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "signed_by"], name="rect_commitment_once")]

    def __str__(self):
        return f"{self.case.number} {self.letter_id}"
