"""Every kind of tampering, done with raw SQL behind the model's back, is found at the right sequence number."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tolerance.audit.checkpoints import checkpoint_anchors, checkpoint_make
from tolerance.audit.hashing import canonical_bytes, digest
from tolerance.audit.models import AuditEvent
from tolerance.audit.verification import Tamper, chain_verify


@pytest.fixture
def ten_events(record, users):
    for number in range(1, 11):
        record(actor=users["admin"], payload={"n": number})


def _problem(case=None):
    anchors, _count = checkpoint_anchors(case=case)
    result = chain_verify(case=case, anchors=anchors)
    assert result.problem is not None, "tampering went unnoticed"
    return result.problem.kind, result.problem.sequence


def _shift_up_from(tamperable, sequence):
    """Make room at `sequence` (the sequence column must have been made plain first)."""
    tamperable("UPDATE audit_auditevent SET sequence = sequence + 1000000 WHERE sequence >= %s", [sequence])
    tamperable("UPDATE audit_auditevent SET sequence = sequence - 999999 WHERE sequence >= 1000000")


def _rewritten(original, **changes):
    """The canonical text and hash an attacker would compute for event `original` with `changes`."""
    fields = json.loads(AuditEvent.objects.get(sequence=original).canonical)
    fields.update(changes)
    data = canonical_bytes(fields)
    return data.decode(), digest(data)


def test_intact_chain_has_no_problem(ten_events):
    result = chain_verify()
    assert result.intact and result.count == AuditEvent.objects.count()


@pytest.mark.parametrize("column", ["payload", "actor_name", "sequence", "occurred_at", "case_id"])
def test_the_database_refuses_to_write_a_readable_column(ten_events, tamperable, column):
    with pytest.raises(DatabaseError), transaction.atomic():
        tamperable(f"UPDATE audit_auditevent SET {column} = NULL WHERE sequence = 5")
    assert chain_verify().intact


@pytest.mark.parametrize(
    ("column", "value"), [("payload", '{"n": 999}'), ("actor_name", "他人"), ("action", "policy.changed")]
)
def test_column_changed_after_altering_the_table_is_a_modified_event(
    ten_events, tamperable, columns_made_plain, column, value
):
    columns_made_plain(column)
    tamperable(f"UPDATE audit_auditevent SET {column} = %s WHERE sequence = 7", [value])
    assert _problem() == (Tamper.MODIFIED, 7)


def test_altered_table_is_reported_even_before_any_column_is_changed(ten_events, columns_made_plain):
    columns_made_plain("actor_name")
    result = chain_verify()
    assert result.problem.kind == Tamper.TABLE_ALTERED and "actor_name" in result.problem.detail
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    assert failure.value.returncode == 1 and "actor_name" in str(failure.value)


def test_a_column_generated_from_another_expression_is_found(ten_events, column_regenerated):
    """Lower-case keywords and a CASE that lies for one event: still not the definition the code declares."""
    extract = (
        "(canonical::json ->> 'actor_name')"
        if connection.vendor == "postgresql"
        else "json_extract(canonical, '$.actor_name')"
    )
    sequence = (
        "((canonical::json ->> 'sequence')::bigint)"
        if connection.vendor == "postgresql"
        else "json_extract(canonical, '$.sequence')"
    )
    column_regenerated(
        "actor_name",
        f"varchar(100) generated always as (case when {sequence} = 6 then '他人' else {extract} end) stored",
    )
    assert AuditEvent.objects.get(sequence=6).actor_name == "他人"
    assert _problem() == (Tamper.MODIFIED, 6)


def test_a_dropped_column_is_reported_not_a_crash(ten_events, tamperable):
    tamperable("ALTER TABLE audit_auditevent DROP COLUMN user_agent")
    result = chain_verify()
    assert result.problem.kind == Tamper.TABLE_ALTERED and "user_agent" in result.problem.detail
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    assert failure.value.returncode == 1


def test_changed_bytes_are_a_modified_event(ten_events, tamperable):
    data, _hash = _rewritten(5, payload={"n": 999})
    tamperable("UPDATE audit_auditevent SET canonical = %s WHERE sequence = 5", [data])
    assert _problem() == (Tamper.MODIFIED, 5)


def test_rewritten_event_with_recomputed_hash_is_a_modified_event(ten_events, tamperable):
    data, new_hash = _rewritten(5, payload={"n": 999})
    tamperable(
        "UPDATE audit_auditevent SET canonical = %s, event_hash = %s WHERE sequence = 5",
        [data, new_hash],
    )
    assert _problem() == (Tamper.MODIFIED, 5)


def test_deleted_event_is_found(ten_events, tamperable):
    tamperable("DELETE FROM audit_auditevent WHERE sequence = 5")
    assert _problem() == (Tamper.DELETED, 5)


def test_deleted_event_with_renumbered_successors_is_found(ten_events, tamperable, columns_made_plain):
    columns_made_plain("sequence")
    tamperable("DELETE FROM audit_auditevent WHERE sequence = 5")
    tamperable("UPDATE audit_auditevent SET sequence = sequence + 1000000 WHERE sequence > 5")
    tamperable("UPDATE audit_auditevent SET sequence = sequence - 1000001 WHERE sequence > 1000000")
    assert _problem() == (Tamper.DELETED, 5)


def test_the_database_refuses_a_second_event_at_a_taken_position(ten_events, tamperable):
    previous_hash = AuditEvent.objects.get(sequence=4).event_hash
    data, forged_hash = _rewritten(4, sequence=5, previous_hash=previous_hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        tamperable("INSERT INTO audit_auditevent (canonical, event_hash) VALUES (%s, %s)", [data, forged_hash])
    assert chain_verify().intact


def test_inserted_event_is_found(ten_events, tamperable, columns_made_plain):
    """With the position column made plain, a forged, correctly linked #5 pushes the real events back."""
    columns_made_plain("sequence")
    previous_hash = AuditEvent.objects.get(sequence=4).event_hash
    data, forged_hash = _rewritten(4, sequence=5, previous_hash=previous_hash)
    _shift_up_from(tamperable, 5)
    tamperable("INSERT INTO audit_auditevent (canonical, event_hash, sequence) VALUES (%s, %s, 5)", [data, forged_hash])
    assert _problem() == (Tamper.INSERTED, 5)


def test_reordered_events_are_found(ten_events, tamperable, columns_made_plain):
    columns_made_plain("sequence")
    tamperable("UPDATE audit_auditevent SET sequence = 1000000 WHERE sequence = 5")
    tamperable("UPDATE audit_auditevent SET sequence = 5 WHERE sequence = 6")
    tamperable("UPDATE audit_auditevent SET sequence = 6 WHERE sequence = 1000000")
    assert _problem() == (Tamper.REORDERED, 5)


def test_tail_removed_after_a_checkpoint_is_found(ten_events, tamperable, signing_key):
    checkpoint_make()
    assert chain_verify(anchors=checkpoint_anchors()[0]).intact
    tamperable("DELETE FROM audit_auditevent WHERE sequence >= 8")
    assert _problem() == (Tamper.TAIL_REMOVED, 8)


def test_forged_checkpoint_file_is_refused(ten_events, signing_key, settings):
    checkpoint = checkpoint_make()
    path = next(settings.AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))
    document = json.loads(path.read_text())
    document["checkpoint"] = document["checkpoint"].replace(f'"sequence":{checkpoint.sequence}', '"sequence":99')
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    assert failure.value.returncode == 1 and "#99" in str(failure.value)


def test_verify_audit_exits_1_naming_the_first_bad_sequence(ten_events, tamperable):
    tamperable("DELETE FROM audit_auditevent WHERE sequence IN (4, 9)")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    assert failure.value.returncode == 1
    assert "#4" in str(failure.value) and "#9" not in str(failure.value)


def test_tampering_inside_one_case_is_found_in_that_case_chain(file_case, record, users, tamperable):
    case = file_case()
    for number in range(3):
        record(actor=users["officer_guet"], case=case, payload={"step": number})
    other = file_case(title="其他案件")
    data = AuditEvent.objects.get(case_id=case.pk, case_sequence=3).canonical.replace(b'"step":1', b'"step":9')
    tamperable(
        "UPDATE audit_auditevent SET canonical = %s WHERE case_id = %s AND case_sequence = 3", [data.decode(), case.pk]
    )
    assert _problem(case=case) == (Tamper.MODIFIED, 3)
    assert chain_verify(case=other).intact
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", "--case", case.number, stdout=StringIO())
    assert "#3" in str(failure.value)


def test_case_chain_tail_removed_after_a_checkpoint(file_case, record, users, tamperable, signing_key):
    case = file_case()
    for number in range(4):
        record(actor=users["officer_guet"], case=case, payload={"step": number})
    checkpoint_make()
    tamperable("DELETE FROM audit_auditevent WHERE case_id = %s AND case_sequence >= 4", [case.pk])
    assert _problem(case=case) == (Tamper.TAIL_REMOVED, 4)


AWKWARD = 'quote " backslash \\ newline \n tab \t controls \x01\x1f del \x7f sep \u2028 中文 😀 </script>'


def test_awkward_text_verifies_and_a_change_to_it_is_found(record, users, tamperable):
    """Escaping and number forms must read back the same from the hashed bytes on every database."""
    record(actor=users["admin"], payload={"n": 1})
    record(
        actor=users["admin"],
        actor_role=AWKWARD,
        payload={AWKWARD: [AWKWARD, 1.5, -3, 2**62, 1e100, 0.0, None, True, {"b": {}, "a": []}]},
    )
    record(actor=users["admin"], payload={"n": 3})
    assert chain_verify().intact
    data, new_hash = _rewritten(2, actor_role=AWKWARD.replace("\n", "\r"))
    tamperable("UPDATE audit_auditevent SET canonical = %s, event_hash = %s WHERE sequence = 2", [data, new_hash])
    assert _problem() == (Tamper.MODIFIED, 2)
