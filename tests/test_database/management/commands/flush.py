"""After each transactional test Django runs `flush` (TransactionTestCase._fixture_teardown), which on
PostgreSQL truncates all ~90 tables and then re-creates every content type, permission and role group
through post_migrate: about 2,200 queries and 10-14 s a test under CI's load, most of it spent on tables
the test never wrote.

This `flush` (tests only: it overrides Django's own by being an installed app) empties only the tables that
hold rows, with DELETE (the foreign keys Django creates are deferred, so the order does not matter within
the one transaction), and TRUNCATE for the append-only audit tables, whose trigger refuses DELETE but lets
a test session truncate (AUDIT_ALLOW_TRUNCATE). Content types and permissions are kept: they describe the
installed models, no test writes them, and post_migrate, still sent, would only re-create the same rows.
Everything else post_migrate makes (the role groups) is emptied and re-created as before. A later test sees
exactly the rows it would have seen after Django's flush; sequences go on counting, as they do there.
"""

from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction

# Their trigger refuses DELETE (tolerance/audit/migrations/0003_append_only_trigger.py).
APPEND_ONLY = {"audit_auditevent", "audit_auditcheckpoint"}
# Rows that depend only on the installed models.
KEPT = {"django_content_type", "auth_permission"}


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        # Only the test runner's call (no prompt, sequences kept) on PostgreSQL; anything else is Django's.
        if connection.vendor != "postgresql" or options["interactive"] or options.get("reset_sequences", True):
            return super().handle(**options)
        quote = connection.ops.quote_name
        tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - KEPT)
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables),
                tables,
            )
            written = [row[0] for row in cursor.fetchall()]
            appended = [table for table in written if table in APPEND_ONLY]
            if appended:
                cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in appended)}")
            for table in written:
                if table not in APPEND_ONLY:
                    cursor.execute(f"DELETE FROM {quote(table)}")
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], options["interactive"], options["database"])
