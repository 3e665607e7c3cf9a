import base64
import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import CommandError, call_command
from django.utils import translation

from tolerance.audit.actions import AuditAction
from tolerance.audit.checkpoints import checkpoint_anchors, checkpoint_make, key_fingerprint
from tolerance.audit.models import AuditCheckpoint, AuditEvent
from tolerance.audit.selectors import case_chain_head
from tolerance.audit.verification import Tamper, chain_verify


def test_checkpoint_signs_global_and_case_heads_in_database_and_file(file_case, signing_key, settings):
    case = file_case()
    head = AuditEvent.objects.order_by("-sequence").first()
    call_command("audit_checkpoint", stdout=StringIO())

    checkpoint = AuditCheckpoint.objects.get()
    files = list(settings.AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))
    assert len(files) == 1
    document = json.loads(files[0].read_text())
    signed = document["checkpoint"].encode()
    assert signed == bytes(checkpoint.canonical)
    signing_key.public_key().verify(base64.b64decode(document["signature"]), signed, ec.ECDSA(hashes.SHA256()))

    body = json.loads(signed)
    assert body["global"]["sequence"] == head.sequence and body["global"]["hash"] == head.event_hash
    case_sequence, case_hash = case_chain_head(case)
    assert body["cases"][str(case.pk)]["sequence"] == case_sequence
    assert body["cases"][str(case.pk)]["hash"] == case_hash
    made = AuditEvent.objects.get(action=AuditAction.CHECKPOINT_MADE)
    assert made.payload["sequence"] == head.sequence and made.payload["file"] == files[0].name

    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert made.event_hash in out.getvalue()


def test_missing_key_is_a_clear_error(settings, tmp_path, record):
    record()
    settings.AUDIT_SIGNING_KEY_PATH = tmp_path / "absent.pem"
    with pytest.raises(CommandError, match="absent.pem") as failure:
        call_command("audit_checkpoint")
    assert failure.value.returncode != 0
    assert not AuditCheckpoint.objects.exists()


def test_key_with_passphrase(settings, tmp_path, record):
    record()
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "deployment.key.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"correct horse"),
        )
    )
    settings.AUDIT_SIGNING_KEY_PATH = path
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.AUDIT_SIGNING_KEY_PASSPHRASE = "wrong"
    with pytest.raises(CommandError, match="TOLERANCE_AUDIT_KEY_PASSPHRASE"):
        call_command("audit_checkpoint")
    settings.AUDIT_SIGNING_KEY_PASSPHRASE = "correct horse"
    call_command("audit_checkpoint", stdout=StringIO())
    assert AuditCheckpoint.objects.count() == 1


def test_a_checkpoint_whose_database_row_was_removed_still_counts_from_its_file(record, signing_key, tamperable):
    for _ in range(5):
        record()
    call_command("audit_checkpoint", stdout=StringIO())
    tamperable("DELETE FROM audit_auditevent WHERE sequence >= 4")
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER audit_auditcheckpoint_append_only")
        cursor.execute("DELETE FROM audit_auditcheckpoint")
    with pytest.raises(CommandError, match="#4"):
        call_command("verify_audit", stdout=StringIO())


def _write_private_key(path, key):
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def test_checkpoints_of_a_rotated_key_verify_while_its_public_key_is_kept(record, signing_key, settings, tmp_path):
    record()
    call_command("audit_checkpoint", stdout=StringIO())
    old_fingerprint = AuditCheckpoint.objects.get().key_fingerprint

    new_path = tmp_path / "deployment-2027.key.pem"
    _write_private_key(new_path, ec.generate_private_key(ec.SECP256R1()))
    settings.AUDIT_SIGNING_KEY_PATH = new_path
    record()
    # The earlier checkpoint cannot be checked without the old public key: nothing is signed until it is kept.
    with pytest.raises(CommandError, match=old_fingerprint[:16]) as refused:
        call_command("audit_checkpoint", stdout=StringIO())
    assert refused.value.returncode == 1

    settings.AUDIT_RETIRED_KEYS_DIR.mkdir()
    retired = settings.AUDIT_RETIRED_KEYS_DIR / "deployment-2026.pem"
    retired.write_bytes(
        signing_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    call_command("audit_checkpoint", stdout=StringIO())
    out = StringIO()
    with translation.override("en"):
        call_command("verify_audit", stdout=out)
    # Two checkpoints, each counted from its database row and from its file.
    assert "4 signed checkpoints" in out.getvalue()

    retired.unlink()
    with pytest.raises(CommandError, match=old_fingerprint[:16]) as failure:
        call_command("verify_audit", stdout=StringIO())
    assert failure.value.returncode == 1


def test_a_checkpoint_claiming_another_trusted_key_is_refused(record, signing_key, settings, tmp_path):
    record()
    call_command("audit_checkpoint", stdout=StringIO())
    other = ec.generate_private_key(ec.SECP256R1())
    settings.AUDIT_RETIRED_KEYS_DIR.mkdir()
    (settings.AUDIT_RETIRED_KEYS_DIR / "other.pem").write_bytes(
        other.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    path = next(settings.AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))
    document = json.loads(path.read_text())
    document["key_fingerprint"] = key_fingerprint(other.public_key())
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    assert failure.value.returncode == 1 and path.name in str(failure.value)


def test_a_checkpoint_holds_only_the_case_heads_that_moved_and_earlier_ones_still_count(
    file_case, record, users, signing_key, tamperable
):
    quiet, busy = file_case(), file_case(title="另一案件")
    for step in range(3):
        record(actor=users["officer_guet"], case=quiet, payload={"step": step})
    first = checkpoint_make()
    assert set(json.loads(bytes(first.canonical))["cases"]) == {str(quiet.pk), str(busy.pk)}

    record(actor=users["officer_guet"], case=busy, payload={"step": 1})
    second = checkpoint_make()
    assert list(json.loads(bytes(second.canonical))["cases"]) == [str(busy.pk)]

    # The quiet case's tail is anchored by the first checkpoint only, and still protected by it.
    tamperable("DELETE FROM audit_auditevent WHERE case_id = %s AND case_sequence >= 3", [quiet.pk])
    anchors, _count = checkpoint_anchors(case=quiet)
    problem = chain_verify(case=quiet, anchors=anchors).problem
    assert (problem.kind, problem.sequence) == (Tamper.TAIL_REMOVED, 3)
