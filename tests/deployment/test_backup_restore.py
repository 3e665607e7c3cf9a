"""A backup of a running site (database, archive, checkpoint copies) restored into a fresh database and a
fresh file store: the audit trail verifies against its checkpoints and every decision verifies."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from tests.deployment.servers import manage, server_environment
from tests.factories import PDF_BYTES
from tolerance.audit.checkpoints import checkpoint_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_database(on_postgresql):
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_and_store_where_audit_and_decisions_verify(
    fresh_database,
    s3_storage,
    exemption_case,
    issue,
    client_for,
    tmp_path,  # noqa: F811 — the fixtures imported above
):
    uploaded = client_for("officer_guet").post(
        f"/cases/{exemption_case.pk}/attachments/",
        {"file": SimpleUploadedFile("合同.pdf", PDF_BYTES), "category": "contract"},
    )
    assert uploaded.status_code == 302
    decision = issue(exemption_case)
    checkpoint_make()

    call_command("site_backup", str(tmp_path / "backup"))

    restored = tmp_path / "restored"
    environment = server_environment(restored, database=fresh_database)
    # In the restored site's own process: restore, then verify_audit and verify_decision --all.
    restore = manage(environment, "site_restore", str(tmp_path / "backup"), "--verify")
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert decision.document_number in restore.stdout

    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert (restored / "media" / "attachments" / digest[:2] / digest[2:4] / digest).read_bytes() == PDF_BYTES
    assert len(list((restored / "audit-checkpoints").glob("checkpoint-*.json"))) == 1

    # A restore into a database that has tables (this test's own) is refused before anything is written.
    with pytest.raises(CommandError, match="not empty"):
        call_command("site_restore", str(tmp_path / "backup"))
