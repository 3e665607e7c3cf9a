"""Recording audit events. Call `audit_record` inside the transaction of the change it describes."""

from django.db import connection
from django.utils import timezone

from tolerance import request_context
from tolerance.audit.hashing import CURRENT_ALGORITHM, GENESIS_HASH, canonical_bytes, digest
from tolerance.audit.models import AuditChainHead, AuditEvent

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
    if isinstance(value, dict):
        return {str(k): ("[removed]" if str(k).lower() in _SECRET_KEYS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _actor_snapshot(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_name": "", "actor_institution": "", "actor_role": ""}
    profile = getattr(actor, "profile", None)
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_name": getattr(profile, "real_name", "") or actor.get_full_name(),
        "actor_institution": profile.institution.code if profile and profile.institution_id else "",
        "actor_role": ",".join(sorted(actor.groups.values_list("name", flat=True))),
    }


def chain_head_lock() -> AuditChainHead:
    """Lock the global head row until the caller's transaction ends; every append queues on it."""
    head = AuditChainHead.objects.select_for_update().filter(singleton=True).first()
    if head is None:
        AuditChainHead.objects.get_or_create(singleton=True)
        head = AuditChainHead.objects.select_for_update().get(singleton=True)
    return head


def audit_record(*, action, actor=None, case=None, target=None, payload=None, actor_role=None) -> AuditEvent:
    """Append one event to the global chain and, if it concerns a case, to that case's chain.

    Must run inside the caller's transaction: the event exists exactly when the change it describes does.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic with the change it records.")
    head = chain_head_lock()
    origin = request_context.current_origin()
    snapshot = _actor_snapshot(actor)
    if actor_role is not None:
        snapshot["actor_role"] = actor_role
    occurred_at = timezone.now()
    case_sequence = None
    case_previous_hash = ""
    if case is not None:
        # Safe without its own lock: every append holds the global head lock taken above.
        last_case_event = (
            AuditEvent.objects.filter(case_id=case.pk)
            .order_by("-case_sequence")
            .values("case_sequence", "event_hash")
            .first()
        )
        case_sequence = (last_case_event["case_sequence"] if last_case_event else 0) + 1
        case_previous_hash = last_case_event["event_hash"] if last_case_event else GENESIS_HASH
    fields = {
        "sequence": head.sequence + 1,
        "occurred_at": occurred_at.isoformat(),
        **snapshot,
        "case_id": case.pk if case is not None else None,
        "case_number": case.number if case is not None else "",
        "case_sequence": case_sequence,
        "action": str(action),
        "target_type": target._meta.label if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "payload": _scrub(payload or {}),
        "ip_address": origin.ip_address if origin else None,
        "user_agent": origin.user_agent if origin else "",
        "request_id": origin.request_id if origin else "",
        "hash_algorithm": CURRENT_ALGORITHM,
        "previous_hash": head.event_hash or GENESIS_HASH,
        "case_previous_hash": case_previous_hash,
    }
    data = canonical_bytes(fields)
    event = AuditEvent.objects.create(
        canonical=data,
        event_hash=digest(data),
        **{name: value for name, value in fields.items() if name not in {"case_number", "occurred_at"}},
        occurred_at=occurred_at,
    )
    AuditChainHead.objects.filter(singleton=True).update(sequence=event.sequence, event_hash=event.event_hash)
    return event
