"""A case's audit trail as CSV or JSON, with the hashed bytes, so an auditor can verify it elsewhere.

docs/audit-verification.md shows how. The canonical bytes are authoritative; the other columns are
there to read.
"""

import base64
import csv
import io
import json

from django.db import transaction
from django.utils import timezone

from tolerance.audit.actions import AuditAction
from tolerance.audit.hashing import GENESIS_HASH
from tolerance.audit.selectors import case_trail
from tolerance.audit.services import audit_record
from tolerance.spreadsheets import safe_cell as _safe_cell

EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
_CSV_COLUMNS = (
    "sequence",
    "case_sequence",
    "occurred_at",
    "action",
    "actor_username",
    "actor_name",
    "actor_role",
    "actor_institution",
    "target_type",
    "target_id",
    "hash_algorithm",
    "previous_hash",
    "case_previous_hash",
    "event_hash",
    "canonical_base64",
)


def _event_row(event) -> dict:
    return {
        "sequence": event.sequence,
        "case_sequence": event.case_sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "action": event.action,
        "actor_username": event.actor_username,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "actor_institution": event.actor_institution,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "hash_algorithm": event.hash_algorithm,
        "previous_hash": event.previous_hash,
        "case_previous_hash": event.case_previous_hash,
        "event_hash": event.event_hash,
    }


def _as_csv(events) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_CSV_COLUMNS)
    for event in events:
        row = _event_row(event)
        row["canonical_base64"] = base64.b64encode(bytes(event.canonical)).decode()
        writer.writerow([_safe_cell(row[column]) for column in _CSV_COLUMNS])
    # The BOM makes spreadsheet programs read the Chinese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


def _as_json(case, user, events, exported_at) -> bytes:
    document = {
        "format": "tolerance-audit-export/1",
        "case": case.number,
        "exported_at": exported_at.isoformat(),
        "exported_by": user.get_username(),
        "genesis_hash": GENESIS_HASH,
        "events": [{**_event_row(event), "canonical": bytes(event.canonical).decode()} for event in events],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def case_trail_export(*, case, user, export_format: str) -> bytes:
    """The case's whole chain in `export_format`; the export is itself recorded on the case."""
    if export_format not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format: {export_format}")
    with transaction.atomic():
        events = list(case_trail(case))
        exported_at = timezone.now()
        content = _as_csv(events) if export_format == "csv" else _as_json(case, user, events, exported_at)
        audit_record(
            action=AuditAction.EXPORT_MADE,
            actor=user,
            case=case,
            target=case,
            payload={
                "format": export_format,
                "events": len(events),
                "head_case_sequence": events[-1].case_sequence if events else 0,
                "head_hash": events[-1].event_hash if events else GENESIS_HASH,
            },
        )
    return content
