from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteePosition(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class CommitteeSeat(models.Model):
    """A term on an institution's committee. The roles committee_chair/committee_member follow the seats
    current today (tolerance.services.roster), so the committee steps keep reading roles as before."""

    institution = models.ForeignKey(
        "tolerance.Institution", on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("Institution")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("Member")
    )
    position = models.CharField(_("Position"), max_length=10, choices=CommitteePosition.choices)
    term_starts_on = models.DateField(_("Term starts on"))
    term_ends_on = models.DateField(_("Term ends on"), null=True, blank=True, help_text=_("Empty: no end set."))

    class Meta:
        verbose_name = _("Committee seat")
        verbose_name_plural = _("Committee seats")
        ordering = ["institution", "position", "term_starts_on", "pk"]

    def __str__(self):
        return f"{self.institution.code} {self.get_position_display()}: {self.user}"

    def is_current(self, day) -> bool:
        return self.term_starts_on <= day and (self.term_ends_on is None or day <= self.term_ends_on)

    def clean(self):
        if self.term_ends_on is not None and self.term_starts_on and self.term_ends_on < self.term_starts_on:
            raise ValidationError({"term_ends_on": _("The term cannot end before it starts.")})
