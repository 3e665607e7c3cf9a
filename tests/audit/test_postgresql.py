"""PostgreSQL only: the append-only trigger, and concurrent writers that must never fork the chain."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from tolerance.audit.actions import AuditAction
from tolerance.audit.checkpoints import checkpoint_make
from tolerance.audit.models import AuditCheckpoint, AuditEvent
from tolerance.audit.services import audit_record
from tolerance.audit.verification import Tamper, chain_verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET canonical = canonical",
        "UPDATE audit_auditevent SET event_hash = event_hash",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditcheckpoint SET sequence = 0",
        "DELETE FROM audit_auditcheckpoint",
    ],
)
def test_trigger_rejects_update_and_delete(on_postgresql, record, signing_key, statement):
    record(payload={"kept": True})
    checkpoint_make()
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.get(sequence=1).payload == {"kept": True}
    assert AuditCheckpoint.objects.count() == 1


def test_trigger_rejects_truncate_without_the_test_only_opt_in(on_postgresql, record):
    record()
    with connection.cursor() as cursor:
        cursor.execute("SET tolerance.audit_allow_truncate = 'off'")
        try:
            with pytest.raises(DatabaseError, match="append-only"):
                cursor.execute("TRUNCATE audit_auditevent")
        finally:
            cursor.execute("SET tolerance.audit_allow_truncate = 'on'")
    assert AuditEvent.objects.count() == 1


def test_concurrent_writers_never_fork_the_chain_or_leave_a_gap(on_postgresql, file_case):
    cases = [file_case(title=f"并发案件{number}") for number in range(3)]
    before = AuditEvent.objects.count()
    writers, per_writer = 8, 25
    start = threading.Barrier(writers)
    errors = []

    def write(index):
        try:
            start.wait()
            for number in range(per_writer):
                with transaction.atomic():
                    audit_record(
                        action=AuditAction.CASE_UPDATED,
                        case=cases[(index + number) % len(cases)],
                        payload={"writer": index, "n": number},
                    )
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = before + writers * per_writer
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, total + 1))
    for case in cases:
        case_sequences = list(
            AuditEvent.objects.filter(case_id=case.pk).order_by("case_sequence").values_list("case_sequence", flat=True)
        )
        assert case_sequences == list(range(1, len(case_sequences) + 1))
        assert chain_verify(case=case).intact
    result = chain_verify()
    assert result.intact and result.count == total


def test_an_open_transaction_holds_the_chain_head_only_at_its_end(on_postgresql, record, file_case):
    """A transaction that has recorded an event and is still working does not make other writers wait:
    its events are chained when it commits, after theirs, and the chain still verifies."""
    case = file_case()
    recorded, release = threading.Event(), threading.Event()
    errors = []

    def slow_transition():
        try:
            with transaction.atomic():
                audit_record(action=AuditAction.CASE_UPDATED, case=case, payload={"writer": "slow"})
                recorded.set()
                release.wait(10)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_transition)
    thread.start()
    try:
        assert recorded.wait(10)
        with connection.cursor() as cursor:
            # Were the head locked by the open transaction, this append would fail after 2 s.
            cursor.execute("SET lock_timeout = '2s'")
        record(case=case, payload={"writer": "fast"})
    finally:
        release.set()
        thread.join()
    assert errors == []
    writers = [event.payload.get("writer") for event in AuditEvent.objects.filter(case_id=case.pk).order_by("sequence")]
    assert writers[-2:] == ["fast", "slow"]
    assert chain_verify().intact and chain_verify(case=case).intact


def test_a_rolled_back_inner_block_takes_its_events_and_the_outer_keeps_its_own(on_postgresql, file_case):
    case = file_case()
    with transaction.atomic():
        audit_record(action=AuditAction.CASE_UPDATED, case=case, payload={"block": "outer"})
        with pytest.raises(DatabaseError), transaction.atomic():
            audit_record(action=AuditAction.CASE_UPDATED, case=case, payload={"block": "inner"})
            raise DatabaseError("the inner step failed")
        audit_record(action=AuditAction.CASE_UPDATED, case=case, payload={"block": "after"})
    blocks = [event.payload.get("block") for event in AuditEvent.objects.filter(case_id=case.pk).order_by("sequence")]
    assert blocks[-2:] == ["outer", "after"] and "inner" not in blocks
    assert chain_verify().intact and chain_verify(case=case).intact


def _forge_bytes(tamperable):
    event = AuditEvent.objects.get(sequence=4)
    tamperable(
        "UPDATE audit_auditevent SET canonical = %s WHERE sequence = 4",
        [event.canonical.replace(b'"n":4', b'"n":5').decode()],
    )


def _delete(tamperable):
    tamperable("DELETE FROM audit_auditevent WHERE sequence = 4")


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [(_forge_bytes, Tamper.MODIFIED), (_delete, Tamper.DELETED)],
)
def test_verification_in_its_own_snapshot_finds_tampering(on_postgresql, record, tamperable, tamper, kind):
    """Outside a transaction verification opens its own REPEATABLE READ snapshot for every check."""
    for number in range(1, 8):
        record(payload={"n": number})
    assert not connection.in_atomic_block
    assert chain_verify().intact
    tamper(tamperable)
    problem = chain_verify().problem
    assert (problem.kind, problem.sequence) == (kind, 4)
