from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStageSpell(models.Model):
    """One stay of a case in one stage: the dated fact the time-per-stage statistics are computed from.

    Written by case_stage_set only. `working_days` is fixed when the spell ends, so a year's figures never
    change afterwards (the annual report is reproducible) and the statistics need no calendar at read time.
    """

    case = models.ForeignKey(
        "tolerance.Case", on_delete=models.CASCADE, related_name="stage_spells", verbose_name=_("Case")
    )
    stage = models.CharField(_("Stage"), max_length=40)
    entered_on = models.DateField(_("Entered on"))
    left_on = models.DateField(_("Left on"), null=True, blank=True)
    # Working days from entering to leaving (the entry day not counted), by tolerance.working_days.
    working_days = models.PositiveIntegerField(_("Working days"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stage spell")
        verbose_name_plural = _("Stage spells")
        ordering = ["case", "id"]
        indexes = [
            models.Index(fields=["case", "left_on"], name="stage_spell_case_open"),
            models.Index(fields=["left_on", "stage", "working_days"], name="stage_spell_closed"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.stage} {self.entered_on}–{self.left_on or ''}"
