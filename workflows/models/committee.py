"""Committee review, shared by every case type: keyed by Case, one row per round."""

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
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

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
    outcome = models.CharField(_("vote"), max_length=20)
    reason = models.TextField(_("reason"), max_length=2000)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["review", "member"], name="vote_unique")]

    def __str__(self):
        return f"{self.review} {self.member}"
