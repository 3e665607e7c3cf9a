"""Every readable column of an audit event becomes a stored column generated from its hashed bytes.

Existing events keep their bytes and hashes; the database recomputes the columns from those bytes.
"""

from django.db import migrations, models

import tolerance.audit.columns


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_trigger'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='auditevent',
            name='audit_case_sequence_unique',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='case',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='sequence',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='occurred_at',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='actor_username',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='actor_name',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='actor_role',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='actor_institution',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='case_sequence',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='action',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='target_type',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='target_id',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='payload',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='ip_address',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='user_agent',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='request_id',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='hash_algorithm',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='previous_hash',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='case_previous_hash',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('sequence', models.PositiveBigIntegerField()), output_field=models.PositiveBigIntegerField(), verbose_name='sequence'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='occurred_at',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('occurred_at', models.DateTimeField()), output_field=models.DateTimeField(), verbose_name='time'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_id',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('actor_id', models.BigIntegerField(null=True)), output_field=models.BigIntegerField(null=True), verbose_name='actor'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_username',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('actor_username', models.CharField(max_length=150)), output_field=models.CharField(max_length=150), verbose_name='username'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_name',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('actor_name', models.CharField(max_length=100)), output_field=models.CharField(max_length=100), verbose_name="actor's name"),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_role',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('actor_role', models.CharField(max_length=200)), output_field=models.CharField(max_length=200), verbose_name='role'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_institution',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('actor_institution', models.CharField(max_length=12)), output_field=models.CharField(max_length=12), verbose_name='institution'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='case_id',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('case_id', models.BigIntegerField(null=True)), output_field=models.BigIntegerField(null=True), verbose_name='case'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='case_number',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('case_number', models.CharField(max_length=40)), output_field=models.CharField(max_length=40), verbose_name='case number'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='case_sequence',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('case_sequence', models.PositiveIntegerField(null=True)), output_field=models.PositiveIntegerField(null=True), verbose_name='sequence in case'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='action',
            field=models.GeneratedField(choices=[('case.filed', 'Case filed'), ('case.updated', 'Case details updated'), ('task.created', 'Task created'), ('task.assigned', 'Task assigned'), ('task.released', 'Task released'), ('task.completed', 'Task completed'), ('task.cancelled', 'Task cancelled'), ('timer.fired', 'Timer fired'), ('form.submitted', 'Form submitted'), ('attachment.added', 'Attachment added'), ('committee.vote_cast', 'Vote cast'), ('committee.conflict_declared', 'Conflict of interest declared'), ('committee.resolution_recorded', 'Committee resolution recorded'), ('publicity.opened', 'Publicity opened'), ('publicity.closed', 'Publicity closed'), ('publicity.objection_lodged', 'Objection lodged'), ('publicity.objection_ruled', 'Objection ruled on'), ('appeal.lodged', 'Appeal lodged'), ('decision.rendered', 'Decision rendered'), ('decision.signed', 'Decision signed'), ('decision.issued', 'Decision issued'), ('decision.downloaded', 'Decision downloaded'), ('decision.verified', 'Decision verified'), ('decision.revoked', 'Decision revoked'), ('notification.sent', 'Notification sent'), ('permission.granted', 'Permission granted'), ('permission.revoked', 'Permission revoked'), ('auth.login', 'Logged in'), ('auth.login_failed', 'Failed login'), ('auth.logout', 'Logged out'), ('auth.access_denied', 'Access denied'), ('export.made', 'Export made'), ('policy.changed', 'Policy data changed'), ('audit.checkpoint', 'Audit checkpoint made')], db_persist=True, expression=tolerance.audit.columns.CanonicalValue('action', models.CharField(max_length=50)), output_field=models.CharField(max_length=50), verbose_name='action'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='target_type',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('target_type', models.CharField(max_length=100)), output_field=models.CharField(max_length=100), verbose_name='object type'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='target_id',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('target_id', models.CharField(max_length=100)), output_field=models.CharField(max_length=100), verbose_name='object id'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='payload',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('payload', models.JSONField()), output_field=models.JSONField(), verbose_name='details'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='ip_address',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('ip_address', models.GenericIPAddressField(null=True)), output_field=models.GenericIPAddressField(null=True), verbose_name='IP address'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='user_agent',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('user_agent', models.CharField(max_length=300)), output_field=models.CharField(max_length=300), verbose_name='browser'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='request_id',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('request_id', models.CharField(max_length=64)), output_field=models.CharField(max_length=64), verbose_name='request id'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash_algorithm',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('hash_algorithm', models.CharField(max_length=16)), output_field=models.CharField(max_length=16), verbose_name='hash algorithm'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('previous_hash', models.CharField(max_length=128)), output_field=models.CharField(max_length=128), verbose_name='previous hash'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='case_previous_hash',
            field=models.GeneratedField(db_persist=True, expression=tolerance.audit.columns.CanonicalValue('case_previous_hash', models.CharField(max_length=128)), output_field=models.CharField(max_length=128), verbose_name='previous hash in case'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('sequence',), name='audit_sequence_unique'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('case_id', 'case_sequence'), name='audit_case_sequence_unique'),
        ),
    ]
