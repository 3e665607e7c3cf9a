"""The data of a 先使用后付费 licence case: the results licensed, the terms, the review and its conflict
check. What happens once the licence is in force (reports, triggers, payments, notices) is in ledger.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class LicensingProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("pay-after-use licensing process")
        verbose_name_plural = _("pay-after-use licensing processes")
        permissions = [
            ("officer_task_licensingprocess", _("Can perform officer tasks of licensing cases")),
            ("chair_task_licensingprocess", _("Can perform committee chair tasks of licensing cases")),
        ]


class LicensingStage(models.TextChoices):
    """Where a licence case stands, in the words the licensee understands."""

    REVIEW = "review", _("Eligibility and conflict review")
    COMMITTEE_REVIEW = "committee_review", _("Under committee review")
    PUBLICITY = "publicity", _("Under publicity")
    OBJECTION_REVIEW = "objection_review", _("Objection under review")
    DECISION = "decision", _("Licence decision being prepared")
    SIGNING = "signing", _("Licence granted; contract being signed")
    FREE_USE = "free_use", _("Free-use period")
    PAYING = "paying", _("Payment triggered; paying by the schedule")
    BREACH = "breach", _("In breach; cure period running")
    COMPLETED = "completed", _("Completed")
    EXITED = "exited", _("Exited by the licensee")
    TERMINATED = "terminated", _("Terminated for breach")
    CONVERTED = "converted", _("Converted to a paid licence")
    REFUSED = "refused", _("Not granted")
    CLOSED = "closed", _("Closed")


LICENSING_NEXT_STEPS = {
    LicensingStage.REVIEW: _("A second officer reviews eligibility and conflicts with other licences."),
    LicensingStage.COMMITTEE_REVIEW: _("The committee reviews the licence."),
    LicensingStage.PUBLICITY: _("The licence and its fee are publicised; objections may be lodged."),
    LicensingStage.OBJECTION_REVIEW: _("The office rules on the objections."),
    LicensingStage.DECISION: _("The office issues the licence decision."),
    LicensingStage.SIGNING: _("The office records the signed contract."),
    LicensingStage.FREE_USE: _("The licensee uses the result free of charge and reports on its use."),
    LicensingStage.PAYING: _("The licensee pays the instalments by their due dates."),
    LicensingStage.BREACH: _("The licensee must cure the breach before the cure period ends."),
}

# The stages whose licences are granted or about to be, as the conflict check counts them (policy names
# the statuses; this is the one place a stage says which status it is).
STAGE_STATUS = {
    LicensingStage.REVIEW: "reviewing",
    LicensingStage.COMMITTEE_REVIEW: "reviewing",
    LicensingStage.PUBLICITY: "publicity",
    LicensingStage.OBJECTION_REVIEW: "publicity",
    LicensingStage.DECISION: "approved",
    LicensingStage.SIGNING: "approved",
    LicensingStage.FREE_USE: "active_free",
    LicensingStage.PAYING: "paying",
    LicensingStage.BREACH: "paying",
    LicensingStage.COMPLETED: "completed",
    LicensingStage.EXITED: "exited",
    LicensingStage.TERMINATED: "terminated",
    LicensingStage.CONVERTED: "converted",
    LicensingStage.REFUSED: "refused",
    LicensingStage.CLOSED: "completed",
}


class LicensingOutcome(models.TextChoices):
    GRANTED = "granted", _("licence granted")
    NOT_GRANTED = "not_granted", _("licence not granted")


class LicenceType(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary licence (普通许可)")
    SOLE = "sole", _("sole licence (排他许可)")
    EXCLUSIVE = "exclusive", _("exclusive licence (独占许可)")


class LegalStatus(models.TextChoices):
    VALID = "valid", _("valid")
    LAPSED = "lapsed", _("lapsed")
    INVALID = "invalid", _("invalidated")


class Maturity(models.TextChoices):
    LAB = "lab", _("laboratory")
    PILOT_SMALL = "pilot_small", _("small-scale trial (小试)")
    PILOT = "pilot", _("pilot (中试)")
    INDUSTRIAL = "industrial", _("industrialised")


class Result(models.Model):
    """A research result in the institution's separate ledger (单列台账), with what decides its licences."""

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("Institution")
    )
    number = models.CharField(_("Patent or registration number"), max_length=40)
    title = models.CharField(_("Title"), max_length=200)
    legal_status = models.CharField(
        _("Legal status"), max_length=8, choices=LegalStatus.choices, default=LegalStatus.VALID
    )
    expires_on = models.DateField(_("Expires on"))
    annuity_paid_until = models.DateField(_("Annuity paid until"))
    maturity = models.CharField(_("Maturity"), max_length=12, choices=Maturity.choices)
    co_owners = models.CharField(_("Co-owners"), max_length=400, blank=True)
    open_licence_declared_on = models.DateField(_("Open licence declared on"), null=True, blank=True)
    open_licence_withdrawn_on = models.DateField(_("Open licence withdrawn on"), null=True, blank=True)
    pledgee = models.CharField(_("Pledgee"), max_length=200, blank=True)
    pledged_until = models.DateField(_("Pledged until"), null=True, blank=True)
    pending_transfer = models.BooleanField(_("Transfer or equity investment pending"), default=False)
    # Listed for pay-after-use licensing (单列台账 → 入库与披露): only listed results can be applied for.
    listed = models.BooleanField(_("Listed for pay-after-use licensing"), default=True)

    class Meta:
        verbose_name = _("research result")
        verbose_name_plural = _("research results")
        ordering = ["institution", "number"]
        constraints = [models.UniqueConstraint(fields=["institution", "number"], name="licensing_result_unique")]

    def __str__(self):
        return f"{self.number} {self.title}"


class TriggerMode(models.TextChoices):
    ANY_OF = "any_of", _("the earliest of the conditions")
    ALL_OF = "all_of", _("all of the conditions")


class PaymentMode(models.TextChoices):
    LUMP = "lump", _("lump sum after the trigger")
    STAGED = "staged", _("instalments after the trigger")
    ROYALTY = "royalty", _("royalty on net sales after the trigger, up to a cap")


class LicenceTerms(models.Model):
    """The terms of a licence, as a company asks for them in its application and as the case files and
    reviews them: one definition, so the application and the case can never drift apart."""

    intended_use = models.TextField(_("Intended use"), max_length=2000)
    licence_type = models.CharField(_("Licence type"), max_length=10, choices=LicenceType.choices)
    fields_of_use = models.JSONField(_("Fields of use (codes)"), default=list)
    territories = models.JSONField(_("Territories (region codes)"), default=list)
    start_on = models.DateField(_("Licence starts on"))
    end_on = models.DateField(_("Licence ends on"))
    free_use_months = models.PositiveSmallIntegerField(_("Free-use period (months)"))
    trigger_mode = models.CharField(_("Trigger"), max_length=8, choices=TriggerMode.choices)
    trigger_date = models.DateField(_("Trigger date"), null=True, blank=True)
    trigger_milestone = models.CharField(_("Trigger milestone"), max_length=40, blank=True)
    trigger_revenue = models.DecimalField(
        _("Trigger: cumulative net sales (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    payment_mode = models.CharField(_("Payment"), max_length=8, choices=PaymentMode.choices)
    fee_total = models.DecimalField(_("Licence fee or cap (yuan)"), max_digits=14, decimal_places=2)
    instalments = models.PositiveSmallIntegerField(_("Number of instalments"), default=1)
    royalty_percent = models.DecimalField(
        _("Royalty rate (percent of net sales)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    valuation_reference = models.CharField(_("Valuation report"), max_length=200, blank=True)

    class Meta:
        abstract = True


class LicensingDetails(LicenceTerms):
    """The application and the licence terms, as filed and as reviewed. Amounts in yuan, two places."""

    case = models.OneToOneField(
        "tolerance.Case", on_delete=models.PROTECT, related_name="licensing", verbose_name=_("case")
    )
    policy_version = models.ForeignKey(
        "workflows.LicensingPolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("policy")
    )
    results = models.ManyToManyField(Result, related_name="licences", verbose_name=_("results licensed"))
    # Set by the review: a licence truncated to the patent's expiry (lapsed_patent_action: truncate).
    truncated_from = models.DateField(_("Requested end before truncation"), null=True, blank=True)
    # The contract and its record with CNIPA (备案), set once signed.
    contract_number = models.CharField(_("Contract number"), max_length=60, blank=True)
    contract_effective_on = models.DateField(_("Contract effective on"), null=True, blank=True)
    record_due_on = models.DateField(_("CNIPA record due on"), null=True, blank=True)
    record_filed_on = models.DateField(_("CNIPA record filed on"), null=True, blank=True)
    record_number = models.CharField(_("CNIPA record number"), max_length=60, blank=True)
    free_use_ends_on = models.DateField(_("Free-use period ends on"), null=True, blank=True)
    converted_to = models.CharField(_("Converted to"), max_length=200, blank=True)
    # Once the licence ends, the CNIPA record is changed or cancelled (the officer records it).
    record_cancelled_on = models.DateField(_("CNIPA record cancelled on"), null=True, blank=True)
    record_cancel_reference = models.CharField(_("CNIPA cancellation reference"), max_length=60, blank=True)
    # Related party (an inventor, an officer or their relatives hold shares in the licensee): disclosed at
    # review; the approval path then moves to the body the policy names.
    related_party = models.BooleanField(_("Related party"), default=False)
    related_party_disclosure = models.TextField(_("Related-party disclosure"), max_length=2000, blank=True)
    # The higher body whose approval the path needs after the committee (blank: the committee decides).
    approval_body = models.CharField(_("Approving body"), max_length=40, blank=True)
    approval_granted = models.BooleanField(_("Approved by the body"), null=True, blank=True)
    approval_met_on = models.DateField(_("Body met on"), null=True, blank=True)
    approval_minutes = models.CharField(_("Minutes number"), max_length=60, blank=True)
    # After the trigger the licensee elects pay, exit or convert by this day; silence means pay.
    election_due_on = models.DateField(_("Election due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("licensing details")
        verbose_name_plural = _("licensing details")

    def __str__(self):
        return self.case.number


class LicenceGrant(models.Model):
    """One row per (licence case, result): the index the conflict check reads. Kept in step with the case's
        terms by the services (the status is the case's stage), so a check over 100,000 licences reads only the
    rows of its results."""

    institution = models.ForeignKey("tolerance.Institution", on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="grants")
    case = models.ForeignKey("tolerance.Case", on_delete=models.CASCADE, related_name="licence_grants")
    licence_type = models.CharField(max_length=10, choices=LicenceType.choices)
    fields_of_use = models.JSONField(default=list)
    territories = models.JSONField(default=list)
    start_on = models.DateField()
    end_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "result"], name="licence_grant_unique")]
        indexes = [models.Index(fields=["result", "end_on"], name="licence_grant_result")]

    def __str__(self):
        return f"{self.case_id}/{self.result_id}"


class ConflictLevel(models.TextChoices):
    BLOCK = "block", _("blocks")
    CONSENT = "consent", _("needs consent")
    WARN = "warn", _("warning")


class ReviewResult(models.TextChoices):
    ACCEPTED = "accepted", _("eligible; to the committee")
    REFUSED = "refused", _("not eligible")


class LicensingReview(models.Model):
    """A review of eligibility and conflicts; the conflicts found are stored as the check explained them."""

    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="licensing_reviews")
    stage = models.CharField(_("checked at"), max_length=20)
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    ownership_clear = models.BooleanField(_("Ownership clear, no dispute"))
    inventors_consent = models.BooleanField(_("Every inventor consents"))
    conflicts = models.JSONField(_("conflicts found"), default=list)
    proceed_reason = models.TextField(_("reason for proceeding past the warnings"), max_length=2000, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("licensing review")
        verbose_name_plural = _("licensing reviews")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.case_id} {self.result}"


class LicensingPolicyVersion(models.Model):
    """先使用后付费 policy of one institution, versioned: a case keeps the version it was filed under."""

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("Institution")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    data = models.JSONField(_("policy data"))

    class Meta:
        verbose_name = _("licensing policy version")
        verbose_name_plural = _("licensing policy versions")
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="licensing_policy_version_unique")
        ]

    def __str__(self):
        return f"{self.institution.code} 先使用后付费政策 v{self.number}"
