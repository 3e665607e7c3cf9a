from django.db import migrations


class Migration(migrations.Migration):
    """The inbox and archive of one user read that user's tasks newest first: without an index leading with
    the owner and ending with the id, PostgreSQL either sorts all of them or walks the whole primary key
    backwards looking for theirs (an empty inbox of a chair read every task row)."""

    dependencies = [("workflows", "0004_committee_review_roster")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workflows_task_by_owner_status ON viewflow_task (owner_id, status, id)",
            "DROP INDEX IF EXISTS workflows_task_by_owner_status",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workflows_task_by_owner ON viewflow_task (owner_id, id)",
            "DROP INDEX IF EXISTS workflows_task_by_owner",
        ),
    ]
