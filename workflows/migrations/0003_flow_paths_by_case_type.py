"""The exemption flow moved from workflows/exemption.py to workflows/exemption/flow.py.

Viewflow stores each process's flow class and each task's node as "app_label/module.Class[.node]"
strings; rewrite them so running cases keep working. The appeal deadline is now read from the decision
in force (workflows.steps.appeal), so the copy on the exemption details goes.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

OLD = "workflows/exemption.ExemptionFlow"
NEW = "workflows/exemption.flow.ExemptionFlow"


def _rewrite(apps, old, new):
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    Process.objects.filter(flow_class=old).update(flow_class=new)
    Task.objects.filter(flow_task__startswith=old + ".").update(
        flow_task=Replace("flow_task", Value(old + "."), Value(new + "."))
    )


def forwards(apps, schema_editor):
    _rewrite(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rewrite(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_task_list_indexes"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="exemptiondetails", name="appeal_deadline"),
    ]
