import pytest
from django.core.management import call_command
from django.db import transaction

from tolerance.audit.actions import AuditAction
from tolerance.audit.hashing import GENESIS_HASH, digest
from tolerance.audit.models import AppendOnlyError, AuditEvent
from tolerance.audit.selectors import case_chain_head
from tolerance.audit.services import audit_record
from tolerance.audit.verification import chain_verify
from tolerance.models import Case


def _verify(*args):
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_events_form_one_global_chain_and_one_chain_per_case(file_case, record, users):
    first = file_case()
    second = file_case(title="另一案件")
    record(actor=users["officer_guet"], case=first, payload={"field": "title"})
    record(actor=users["admin"])

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [event.sequence for event in events] == list(range(1, len(events) + 1))
    assert events[0].previous_hash == GENESIS_HASH
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.event_hash
    for event in events:
        assert digest(bytes(event.canonical)) == event.event_hash

    first_chain = list(AuditEvent.objects.filter(case_id=first.pk).order_by("case_sequence"))
    assert [event.case_sequence for event in first_chain] == [1, 2]
    assert first_chain[0].case_previous_hash == GENESIS_HASH
    assert first_chain[1].case_previous_hash == first_chain[0].event_hash
    assert case_chain_head(first) == (2, first_chain[1].event_hash)
    assert AuditEvent.objects.get(case_id=second.pk).case_sequence == 1


def test_event_keeps_actor_snapshot_and_origin(file_case, users):
    case = file_case()
    event = AuditEvent.objects.get(case_id=case.pk, action=AuditAction.CASE_FILED)
    assert (event.actor_username, event.actor_name, event.actor_institution) == ("officer_guet", "王科", "GUET")
    assert event.actor_role == "officer"


def test_verify_audit_reports_count_and_head(file_case, record):
    file_case()
    record()
    head = AuditEvent.objects.order_by("-sequence").first()
    output = _verify()
    assert str(head.sequence) in output and head.event_hash in output

    case = Case.objects.get()
    assert case_chain_head(case)[1] in _verify("--case", case.number)


def test_events_refuse_update_and_delete_through_the_model(record):
    event = record()
    event.payload = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.LOGIN)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).payload == {}


def test_secrets_never_reach_a_payload(record):
    event = record(payload={"username": "wang", "password": "hunter2", "nested": {"passphrase": "x"}})
    assert event.payload == {"username": "wang", "password": "[removed]", "nested": {"passphrase": "[removed]"}}
    assert b"hunter2" not in bytes(event.canonical)


def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(action=AuditAction.CASE_UPDATED)


def test_a_failed_service_leaves_neither_its_change_nor_its_event(file_case, monkeypatch, record):
    from tolerance.services import cases

    before = AuditEvent.objects.count()
    real_record = cases.audit_record

    def record_then_fail(**kwargs):
        real_record(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(cases, "audit_record", record_then_fail)
    with pytest.raises(RuntimeError):
        file_case()
    assert not Case.objects.exists()
    assert AuditEvent.objects.count() == before

    monkeypatch.setattr(cases, "audit_record", real_record)
    file_case()
    # The failed attempt left no gap or stray link: the chain verifies and the command reports its head.
    result = chain_verify()
    assert result.intact, result.problem
    head = AuditEvent.objects.order_by("-sequence").first()
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, result.count + 1)
    )
    assert (result.count, result.head_position, result.head_hash) == (
        AuditEvent.objects.count(),
        head.sequence,
        head.event_hash,
    )
    assert f"#{head.sequence} {head.event_hash}" in _verify()  # a tampered chain raises CommandError (exit 1)


def test_an_outer_rollback_takes_the_event_with_it(record):
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(action=AuditAction.POLICY_CHANGED, payload={"quorum": 60})
        raise ValueError
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_CHANGED).exists()
    event = record()
    assert event.sequence == AuditEvent.objects.count()
