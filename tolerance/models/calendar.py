from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDayOverride(models.Model):
    """A correction to the public-holiday calendar, e.g. a newly announced holiday or a campus closure."""

    date = models.DateField(_("Date"), unique=True)
    is_working_day = models.BooleanField(_("Working day"))
    note = models.CharField(_("Note"), max_length=200)

    class Meta:
        verbose_name = _("Working-day override")
        verbose_name_plural = _("Working-day overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"
