"""Recording audit events. Call `audit_record` inside the transaction of the change it describes."""

from django.db import transaction
from django.utils import timezone

from tolerance import request_context
from tolerance.audit import pending
from tolerance.audit.hashing import CURRENT_ALGORITHM, GENESIS_HASH, canonical_bytes, digest
from tolerance.audit.models import AuditChainHead, AuditEvent
from tolerance.audit.selectors import case_chain_head_of
from tolerance.roles import user_roles
from tolerance.text import text_strip_controls

# Keys that must never reach a payload, whatever a caller passes.
_SECRET_KEYS = {
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "csrfmiddlewaretoken",
    "sessionid",
    "private_key",
    "passphrase",
    "secret",
}


def _scrub(value):
    # Control characters go too: PostgreSQL refuses a NUL in JSON text, and the event would be lost.
    if isinstance(value, dict):
        return {
            text_strip_controls(str(k)): ("[removed]" if str(k).lower() in _SECRET_KEYS else _scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return text_strip_controls(str(value))


def _actor_snapshot(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_name": "", "actor_institution": "", "actor_role": ""}
    # Read once per request (the request's identities cache): a transition records several events, and
    # re-reading the actor's profile, institution and groups for each was a quarter of its cost.
    cached = request_context.identity_cached(actor.pk)
    if cached is not None:
        return dict(cached)
    profile = getattr(actor, "profile", None)
    snapshot = {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_name": getattr(profile, "real_name", "") or actor.get_full_name(),
        "actor_institution": profile.institution.code if profile and profile.institution_id else "",
        # The role names the request's permission checks already read (tolerance.roles caches them).
        "actor_role": ",".join(sorted(user_roles(actor))),
    }
    request_context.identity_remember(actor.pk, snapshot)
    return dict(snapshot)


def chain_head_lock() -> AuditChainHead:
    """Lock the global head row until the caller's transaction ends; every append queues on it."""
    head = AuditChainHead.objects.select_for_update().filter(singleton=True).first()
    if head is None:
        AuditChainHead.objects.get_or_create(singleton=True)
        head = AuditChainHead.objects.select_for_update().get(singleton=True)
    return head


def audit_record(*, action, actor=None, case=None, target=None, payload=None, actor_role=None) -> AuditEvent:
    """Record one event for the global chain and, if it concerns a case, for that case's chain.

    Must run inside the caller's transaction: the event exists exactly when the change it describes does.
    It is held on the connection and chained with the transaction's other events when the transaction
    commits (tolerance.audit.pending); the returned event has its sequence and hash from then on.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic with the change it records.")
    origin = request_context.current_origin()
    snapshot = _actor_snapshot(actor)
    if actor_role is not None:
        snapshot["actor_role"] = actor_role
    event = AuditEvent()
    # Everything but the links, which only the head (locked at the end) can give.
    event.unlinked_fields = {
        "occurred_at": timezone.now().isoformat(),
        **snapshot,
        "case_id": case.pk if case is not None else None,
        "case_number": case.number if case is not None else "",
        "action": str(action),
        "target_type": target._meta.label if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "payload": _scrub(payload or {}),
        "ip_address": origin.ip_address if origin else None,
        "user_agent": origin.user_agent if origin else "",
        "request_id": origin.request_id if origin else "",
        "hash_algorithm": CURRENT_ALGORITHM,
    }
    if pending.defers(connection):
        pending.hold(connection, event, case)
    else:
        append_events([(event, case)])
    return event


def _case_heads(case_ids) -> dict:
    heads = {}
    for case_id in case_ids:
        # Safe without a lock of their own: every append holds the global head lock.
        head = case_chain_head_of(case_id)
        heads[case_id] = (head[0], head[1]) if head else (0, GENESIS_HASH)
    return heads


def append_events(held) -> None:
    """Chain `held` [(event, case)] onto the global and case chains, in order, and insert them at once."""
    head = chain_head_lock()
    sequence, previous = head.sequence, head.event_hash or GENESIS_HASH
    case_heads = _case_heads({case.pk for _event, case in held if case is not None})
    for event, case in held:
        sequence += 1
        fields = {**event.unlinked_fields, "sequence": sequence, "previous_hash": previous}
        if case is not None:
            case_sequence, case_previous = case_heads[case.pk]
            fields.update(case_sequence=case_sequence + 1, case_previous_hash=case_previous)
        else:
            fields.update(case_sequence=None, case_previous_hash="")
        data = canonical_bytes(fields)
        # The other columns are generated by the database from these bytes (tolerance.audit.columns).
        event.canonical, event.event_hash = data, digest(data)
        previous = event.event_hash
        if case is not None:
            case_heads[case.pk] = (case_sequence + 1, event.event_hash)
    AuditEvent.objects.bulk_create([event for event, _case in held])
    AuditChainHead.objects.filter(singleton=True).update(sequence=sequence, event_hash=previous)
