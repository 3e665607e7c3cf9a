import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('audit', '0001_initial'),
        ('tolerance', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='case',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_events', to='tolerance.case', verbose_name='case'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('case', 'case_sequence'), name='audit_case_sequence_unique'),
        ),
    ]
