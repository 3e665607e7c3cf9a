"""`audit_checkpoint` verifies the chain before it signs: a forged tail is refused, nothing signed."""

import json
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tolerance.audit.hashing import canonical_bytes, digest
from tolerance.audit.models import AuditCheckpoint, AuditEvent


def _rewrite(sequence, tamperable, *, rehash):
    event = AuditEvent.objects.get(sequence=sequence)

    body = json.loads(event.canonical)
    body["payload"] = {"forged": True}
    data = canonical_bytes(body)
    if rehash:
        tamperable(
            "UPDATE audit_auditevent SET canonical = %s, event_hash = %s WHERE sequence = %s",
            [data.decode(), digest(data), sequence],
        )
    else:
        tamperable("UPDATE audit_auditevent SET canonical = %s WHERE sequence = %s", [data.decode(), sequence])


@pytest.mark.parametrize("rehash", [False, True], ids=["bytes-changed", "hash-recomputed"])
def test_a_forged_tail_is_refused_and_logged(record, signing_key, tamperable, caplog, rehash):
    for number in range(3):
        record(payload={"n": number})
    call_command("audit_checkpoint", stdout=StringIO())
    for number in range(3):
        record(payload={"n": number})
    before = AuditCheckpoint.objects.count()
    _rewrite(AuditEvent.objects.order_by("-sequence").first().sequence - 1, tamperable, rehash=rehash)

    with caplog.at_level(logging.ERROR, logger="tolerance.audit.checkpoints"), pytest.raises(CommandError) as refused:
        call_command("audit_checkpoint", stdout=StringIO())
    assert refused.value.returncode == 1
    assert AuditCheckpoint.objects.count() == before
    assert any("Audit checkpoint refused" in message for message in caplog.messages)


def test_a_chain_rewritten_before_the_previous_checkpoint_is_refused(record, signing_key, tamperable):
    for number in range(4):
        record(payload={"n": number})
    call_command("audit_checkpoint", stdout=StringIO())
    _rewrite(2, tamperable, rehash=True)
    with pytest.raises(CommandError) as refused:
        call_command("audit_checkpoint", stdout=StringIO())
    assert refused.value.returncode == 1


def test_a_removed_tail_is_refused(record, signing_key, tamperable):
    for number in range(5):
        record(payload={"n": number})
    tamperable("DELETE FROM audit_auditevent WHERE sequence >= 4")
    with pytest.raises(CommandError):
        call_command("audit_checkpoint", stdout=StringIO())
    assert not AuditCheckpoint.objects.exists()


def test_an_intact_chain_is_signed_and_if_changed_adds_nothing_twice(record, signing_key):
    record()
    call_command("audit_checkpoint", stdout=StringIO())
    call_command("audit_checkpoint", if_changed=True, stdout=StringIO())
    assert AuditCheckpoint.objects.count() == 1
    record()
    call_command("audit_checkpoint", if_changed=True, stdout=StringIO())
    assert AuditCheckpoint.objects.count() == 2
