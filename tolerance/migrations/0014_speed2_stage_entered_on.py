from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    # Each case's open spell's entry day (one per case, written by case_stage_set since 0012).
    Case = apps.get_model("tolerance", "Case")
    Spell = apps.get_model("tolerance", "CaseStageSpell")
    open_spell = Spell.objects.filter(case=OuterRef("pk"), left_on__isnull=True).order_by("-id")
    Case.objects.update(stage_entered_on=Subquery(open_spell.values("entered_on")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("tolerance", "0013_stats3_figures_referrals"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="stage_entered_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="In the current stage since"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
