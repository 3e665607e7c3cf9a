"""What the shared steps record, for a case of any type: committee rounds, publicity with objections, the appeal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeReview(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="committee_reviews", verbose_name=_("case")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    is_appeal = models.BooleanField(_("appeal review"), default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    agenda = models.TextField(_("agenda"), max_length=2000, blank=True)
    outcome = models.CharField(_("resolution"), max_length=20, blank=True)
    resolution_text = models.TextField(_("resolution text"), max_length=4000, blank=True)
    members_total = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    members_recused = models.PositiveSmallIntegerField(_("recused"), null=True, blank=True)
    votes_cast = models.PositiveSmallIntegerField(_("votes cast"), null=True, blank=True)
    votes_for_outcome = models.PositiveSmallIntegerField(_("votes for the resolution"), null=True, blank=True)
    # For a case type that decides per person (CaseTypeSpec.determinations): the resolution for each,
    # [{"key", "label", "outcome", "votes_cast", "votes_for"}]; empty when the case has one determination.
    determinations = models.JSONField(_("resolution per person"), default=list, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Who sat on the committee when the round opened: quorum and votes count them, whatever the roster
    # becomes while the round runs. Empty for rounds opened before rosters were kept.
    roster = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("roster when opened")
    )

    class Meta:
        verbose_name = _("committee review")
        verbose_name_plural = _("committee reviews")
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="committee_review_round_unique")]

    def __str__(self):
        return f"{self.case.number} #{self.round}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class ConflictDeclaration(models.Model):
    review = models.ForeignKey(
        CommitteeReview, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("review")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    conflicted = models.BooleanField(_("has a conflict of interest"))
    note = models.TextField(_("explanation"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [models.UniqueConstraint(fields=["review", "member"], name="conflict_declaration_unique")]

    def __str__(self):
        return f"{self.review} {self.member}"


class Vote(models.Model):
    review = models.ForeignKey(
        CommitteeReview, on_delete=models.PROTECT, related_name="votes", verbose_name=_("review")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    # Which determination the vote is on ("" when the case has one; see CaseTypeSpec.determinations).
    subject_key = models.CharField(_("determination"), max_length=40, blank=True, default="")
    outcome = models.CharField(_("vote"), max_length=20)
    reason = models.TextField(_("reason"), max_length=2000)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["review", "member", "subject_key"], name="vote_unique_per_determination")
        ]

    def __str__(self):
        return f"{self.review} {self.member}"


class PublicityScope(models.TextChoices):
    """Who may read a notice on the publicity board (and so object online), widest first."""

    PUBLIC = "public", _("Public (anyone, without signing in)")
    INSTITUTION = "institution", _("The whole institution")
    DEPARTMENT = "department", _("The departments of the persons concerned")
    COMMITTEE = "committee", _("The committee and the officers only")


class Publicity(models.Model):
    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="publicities", verbose_name=_("case")
    )
    # Fixed when the notice opens: a later change of the case type's rules does not widen or narrow it.
    scope = models.CharField(
        _("publicity scope"), max_length=12, choices=PublicityScope.choices, default=PublicityScope.INSTITUTION
    )
    notice_text = models.TextField(_("notice"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objections_until = models.DateField(_("objections accepted until"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicity")
        ordering = ["case", "id"]

    def __str__(self):
        return f"{self.case.number} {self.starts_on}–{self.ends_on}"


class ObjectionRuling(models.TextChoices):
    PENDING = "pending", _("pending")
    SUBSTANTIVE = "substantive", _("substantive")
    NOT_SUBSTANTIVE = "not_substantive", _("not substantive")


class Objection(models.Model):
    publicity = models.ForeignKey(
        Publicity, on_delete=models.PROTECT, related_name="objections", verbose_name=_("publicity")
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lodged by"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered from paper by"),
    )
    submitter_name = models.CharField(_("submitted by"), max_length=100)
    text = models.TextField(_("objection"), max_length=4000)
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    ruling = models.CharField(
        _("ruling"), max_length=20, choices=ObjectionRuling.choices, default=ObjectionRuling.PENDING
    )
    ruling_reason = models.TextField(_("ruling reason"), max_length=2000, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ruled by"),
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["publicity", "id"]

    def __str__(self):
        return f"{self.publicity.case.number} {self.submitter_name}"


class Appeal(models.Model):
    """A request for re-review (复核), once per determination: per person where the case type judges each
    responsible person on their own (CaseTypeSpec.determinations, the key a Vote carries), else once per
    case (key ""). The review that follows decides only the determinations appealed."""

    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("case"))
    subject_key = models.CharField(_("determination"), max_length=40, blank=True, default="")
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lodged by")
    )
    reasons = models.TextField(_("reasons"), max_length=4000)
    evidence = models.ManyToManyField(
        "tolerance.Attachment", blank=True, related_name="+", verbose_name=_("new evidence")
    )
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "subject_key"], name="appeal_once_per_determination")]

    def __str__(self):
        return f"{self.case.number} {self.lodged_by}"
