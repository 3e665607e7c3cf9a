import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import connection, transaction

# The exemption flow's page driver, reused so lifecycle tests run the real flow.
from tests.workflows.conftest import driver, policy  # noqa: F401
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record


@pytest.fixture
def signing_key(settings, tmp_path):
    """An ephemeral EC P-256 deployment key, and a private checkpoint directory."""
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "deployment.key.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.AUDIT_SIGNING_KEY_PATH = path
    settings.AUDIT_SIGNING_KEY_PASSPHRASE = None
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.AUDIT_RETIRED_KEYS_DIR = tmp_path / "retired-audit-keys"
    return key


@pytest.fixture
def record(db):
    """Append one event in its own transaction, as a service would."""

    def append(action=AuditAction.CASE_UPDATED, **kwargs):
        with transaction.atomic():
            return audit_record(action=action, **kwargs)

    return append


@pytest.fixture
def tamperable():
    """Raw SQL on the audit table, with PostgreSQL's append-only trigger off for this test's transaction."""

    def execute(sql, params=()):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
            cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")

    return execute


@pytest.fixture
def columns_made_plain(tamperable):
    """What an attacker must do first to write a column directly: make a generated column ordinary.

    PostgreSQL drops the expression in place; SQLite needs the table rebuilt with those columns plain.
    """

    def detach(*columns):
        # DDL: in a test that commits (transaction=True) it would outlive the test.
        assert connection.in_atomic_block, "columns_made_plain needs a test that is rolled back"
        if connection.vendor == "postgresql":
            for column in columns:
                tamperable(f"ALTER TABLE audit_auditevent ALTER COLUMN {column} DROP EXPRESSION")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_auditevent'")
            ddl = cursor.fetchone()[0]
        for column in columns:
            ddl = re.sub(rf'("{column}" [a-z0-9() ]+?) GENERATED ALWAYS AS \(.*?\) STORED(?=,)', r"\1", ddl)
        copied = ", ".join(["id", "canonical", "event_hash", *columns])
        tamperable(ddl.replace('"audit_auditevent"', "audit_plain", 1))
        tamperable(f"INSERT INTO audit_plain ({copied}) SELECT {copied} FROM audit_auditevent")
        tamperable("DROP TABLE audit_auditevent")
        tamperable("ALTER TABLE audit_plain RENAME TO audit_auditevent")

    return detach


@pytest.fixture
def column_regenerated(tamperable):
    """An attacker's subtler DDL: keep a column generated, but from an expression of their own."""

    def regenerate(column, declaration_sql):
        assert connection.in_atomic_block, "column_regenerated needs a test that is rolled back"
        if connection.vendor == "postgresql":
            tamperable(f"ALTER TABLE audit_auditevent DROP COLUMN {column}")
            tamperable(f"ALTER TABLE audit_auditevent ADD COLUMN {column} {declaration_sql}")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_auditevent'")
            ddl = cursor.fetchone()[0]
        ddl = re.sub(
            rf'"{column}" [a-z0-9() ]+? GENERATED ALWAYS AS \(.*?\) STORED(?=,)', f'"{column}" {declaration_sql}', ddl
        )
        tamperable(ddl.replace('"audit_auditevent"', "audit_plain", 1))
        tamperable(
            "INSERT INTO audit_plain (id, canonical, event_hash) SELECT id, canonical, event_hash FROM audit_auditevent"
        )
        tamperable("DROP TABLE audit_auditevent")
        tamperable("ALTER TABLE audit_plain RENAME TO audit_auditevent")

    return regenerate
