from django.db import migrations


def create_joint_statistics(apps, schema_editor):
    # Without joint statistics PostgreSQL multiplies "this step" by "open" and, for a step whose tasks
    # are all done, expects thousands of open ones and walks the whole primary key instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS workflows_task_node_status (mcv) ON flow_task, status FROM viewflow_task"
        )


def drop_joint_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS workflows_task_node_status")


class Migration(migrations.Migration):
    """Indexes the per-step task pages need on viewflow's task table, which declares none on flow_task."""

    dependencies = [("workflows", "0001_initial"), ("viewflow", "0015_task_scheduled")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workflows_task_by_node ON viewflow_task (flow_task, id)",
            "DROP INDEX IF EXISTS workflows_task_by_node",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workflows_task_by_node_status ON viewflow_task (flow_task, status, id)",
            "DROP INDEX IF EXISTS workflows_task_by_node_status",
        ),
        migrations.RunPython(create_joint_statistics, drop_joint_statistics),
    ]
