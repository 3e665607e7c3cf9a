from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJobRun(models.Model):
    """When each registered job (tolerance.scheduling) last ran, shared by every scheduler process: a
    runner that gets a job's lock still skips it if another ran it less than its interval ago."""

    name = models.CharField(_("Job"), max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(_("Last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("Last finished at"), null=True, blank=True)
    last_error = models.TextField(_("Last error"), blank=True)
    runs = models.PositiveIntegerField(_("Runs"), default=0)

    class Meta:
        verbose_name = _("Scheduled job run")
        verbose_name_plural = _("Scheduled job runs")

    def __str__(self):
        return self.name
