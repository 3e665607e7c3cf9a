from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tolerance.decisions.kinds import decision_kind_spec


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class ImmutableDecisionError(Exception):
    """Raised when code tries to delete an issued decision."""


class Decision(models.Model):
    """An issued, sealed decision document. The PDF is stored once and never re-rendered.

    Only the status fields change after issue (superseded, revoked); a correction is a new decision.
    """

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("case")
    )
    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("institution")
    )
    # A kind registered by a case type (tolerance.decisions.kinds), and one of that kind's outcomes; 40 so a
    # case type can prefix its name (rectification_suspension is 24, which PostgreSQL refused at 20).
    kind = models.CharField(_("kind"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    document_number = models.CharField(_("document number"), max_length=60, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    issue_date = models.DateField(_("issue date"))
    appeal_deadline = models.DateField(_("appeal deadline"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    page_count = models.PositiveSmallIntegerField(_("pages"))
    # The English rendering: a sealed courtesy copy of the same decision, verifiable like the original.
    english_sha256 = models.CharField(_("English rendering SHA-256"), max_length=64, unique=True, null=True, blank=True)
    english_size = models.PositiveIntegerField(_("English rendering size (bytes)"), null=True, blank=True)
    signer_fingerprint = models.CharField(_("signer certificate SHA-256"), max_length=64)
    signer_subject = models.CharField(_("signer certificate"), max_length=300)
    signed_at = models.DateTimeField(_("signing time"))
    signature_level = models.CharField(_("signature level"), max_length=20)
    audit_head_sequence = models.PositiveIntegerField(_("audit chain head sequence"), null=True, blank=True)
    audit_head_hash = models.CharField(_("audit chain head hash"), max_length=128, blank=True)
    content = models.JSONField(_("content"), default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind", "year", "sequence"], name="decision_kind_sequence_unique"
            )
        ]

    def __str__(self):
        return self.document_number

    @staticmethod
    def storage_name_for(sha256: str) -> str:
        return f"decisions/{sha256[:2]}/{sha256}.pdf"

    @property
    def storage_name(self) -> str:
        return self.storage_name_for(self.sha256)

    @property
    def kind_label(self) -> str:
        from_registry = decision_kind_spec(self.kind)
        return from_registry.label if from_registry else self.kind

    @property
    def outcome_label(self) -> str:
        from_registry = decision_kind_spec(self.kind)
        return from_registry.outcomes.get(self.outcome, self.outcome) if from_registry else self.outcome

    def download_name(self, *, english: bool = False) -> str:
        return f"{self.case.number}-{self.kind}-{self.year}-{self.sequence}{'-en' if english else ''}.pdf"

    def delete(self, *args, **kwargs):
        raise ImmutableDecisionError("Issued decisions are never deleted; revoke or supersede them.")


class DecisionNumberSequence(models.Model):
    """The last document number per institution, case type and year; the issuing transaction locks its row."""

    institution = models.ForeignKey("tolerance.Institution", on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("decision number sequence")
        verbose_name_plural = _("decision number sequences")
        constraints = [
            models.UniqueConstraint(fields=["institution", "case_type", "year"], name="decision_number_sequence_unique")
        ]

    def __str__(self):
        return f"{self.institution_id}/{self.year}: {self.last_value}"
