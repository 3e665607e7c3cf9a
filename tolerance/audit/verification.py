"""Recomputing the audit chains and checking them against the signed checkpoints.

The walk streams rows in chain order through a server-side cursor (PostgreSQL), hashing each event's
stored canonical bytes in Python (never trusting the database to hash) and following the previous-hash
links. A second pass checks that the columns the application reads (payload, actor, time…) still say
what the hashed bytes say; on PostgreSQL one query does that comparison in the database.
"""

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.audit.hashing import GENESIS_HASH, digest
from tolerance.audit.models import AuditEvent

_FETCH_SIZE = 20_000
# How far ahead a broken link looks for the event that belongs at its position (reordering).
_LOOKAHEAD = 1_000


class Tamper:
    MODIFIED = "modified"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    TAIL_REMOVED = "tail_removed"
    BAD_CHECKPOINT = "bad_checkpoint"

    LABELS = {
        MODIFIED: gettext_lazy("modified event"),
        DELETED: gettext_lazy("deleted event"),
        INSERTED: gettext_lazy("inserted event"),
        REORDERED: gettext_lazy("reordered events"),
        TAIL_REMOVED: gettext_lazy("tail removed after the last checkpoint"),
        BAD_CHECKPOINT: gettext_lazy("checkpoint signature invalid"),
    }


@dataclass(frozen=True)
class Problem:
    kind: str
    sequence: int
    detail: str

    @property
    def label(self) -> str:
        return str(Tamper.LABELS[self.kind])


@dataclass
class Anchors:
    """What signed checkpoints say the chain contained: position → hash, and the highest position."""

    hashes: dict[int, str] = field(default_factory=dict)
    highest: int = 0

    def add(self, position: int, event_hash: str) -> None:
        self.hashes[position] = event_hash
        self.highest = max(self.highest, position)


@dataclass(frozen=True)
class Chain:
    """Which columns give an event's position and link in the chain being verified."""

    position_column: str
    previous_column: str
    position_index: int
    previous_index: int


GLOBAL_CHAIN = Chain("sequence", "previous_hash", 0, 2)
CASE_CHAIN = Chain("case_sequence", "case_previous_hash", 4, 5)

_WALK_COLUMNS = (
    "sequence",
    "event_hash",
    "previous_hash",
    "case_id",
    "case_sequence",
    "case_previous_hash",
    "hash_algorithm",
    "canonical",
)
# Columns compared with the hashed bytes (the chain position of the walked chain is the walk's job).
_CHECKED_COLUMNS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_name",
    "actor_role",
    "actor_institution",
    "case_id",
    "case_sequence",
    "action",
    "target_type",
    "target_id",
    "payload",
    "ip_address",
    "user_agent",
    "request_id",
    "hash_algorithm",
    "previous_hash",
    "case_previous_hash",
)


@dataclass(frozen=True)
class VerificationResult:
    count: int
    head_position: int
    head_hash: str
    problem: Problem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _table():
    return connection.ops.quote_name(AuditEvent._meta.db_table)


def _stream(chain: Chain, case_id: int | None):
    where = "WHERE case_id = %s" if case_id is not None else ""
    sql = f"SELECT {', '.join(_WALK_COLUMNS)} FROM {_table()} {where} ORDER BY {chain.position_column}"
    params = [case_id] if case_id is not None else []
    if connection.vendor == "postgresql":
        # A named (server-side) cursor in binary mode: the hashed bytes arrive without hex encoding,
        # about a third faster than Django's chunked_cursor over a million events.
        connection.ensure_connection()
        cursor = connection.connection.cursor(name="audit_verify", binary=True)
    else:
        cursor = connection.chunked_cursor()
    with cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_FETCH_SIZE):
            yield from rows


def _canonical(row) -> dict | None:
    try:
        return json.loads(bytes(row[7]))
    except ValueError:
        return None


def _classify_break(row, rest, chain: Chain, position: int, previous: str) -> Problem:
    """Name what happened where an event does not link to the one before it."""
    canonical = _canonical(row)
    if canonical is None:
        return Problem(Tamper.MODIFIED, position, _("its stored bytes are not an audit event"))
    claimed = canonical.get(chain.position_column)
    if claimed != position:
        if claimed is not None and claimed > position:
            for later in itertools.islice(rest, _LOOKAHEAD):
                later_canonical = _canonical(later)
                if later_canonical and later_canonical.get(chain.position_column) == position:
                    return Problem(
                        Tamper.REORDERED,
                        position,
                        _("event #%(claimed)s stands where #%(position)s belongs")
                        % {"claimed": claimed, "position": position},
                    )
            return Problem(
                Tamper.DELETED,
                position,
                _("events renumbered: #%(claimed)s now stands at #%(position)s")
                % {"claimed": claimed, "position": position},
            )
        return Problem(
            Tamper.INSERTED,
            claimed,
            _("event #%(claimed)s was pushed to #%(position)s by events inserted before it")
            % {"claimed": claimed, "position": position},
        )
    if canonical.get(chain.previous_column) == previous:
        return Problem(Tamper.MODIFIED, position, _("its previous-hash column was changed"))
    following = next(rest, None)
    if following is not None and following[chain.previous_index] == previous:
        return Problem(Tamper.INSERTED, position, _("it does not belong to the chain; the next event links past it"))
    if position > 1:
        return Problem(
            Tamper.MODIFIED,
            position - 1,
            _("its content was rewritten: event #%(next)s does not link to it") % {"next": position},
        )
    return Problem(Tamper.MODIFIED, position, _("the first event does not start the chain"))


@dataclass
class _Head:
    """The last event the walk accepted."""

    position: int = 0
    event_hash: str = GENESIS_HASH


def _walk(rows, chain: Chain, anchors: Anchors, head: _Head, *, track_cases: bool) -> Problem | None:
    position_index, previous_index = chain.position_index, chain.previous_index
    rows = iter(rows)
    case_heads: dict[int, tuple[int, str]] = {}
    anchor_hashes = anchors.hashes
    for row in rows:
        position = row[position_index]
        event_hash = row[1]
        if digest(row[7], row[6]) != event_hash:
            return Problem(Tamper.MODIFIED, position, _("its hash does not match its stored bytes"))
        if position != head.position + 1:
            detail = _("the chain jumps from #%(last)s to #%(next)s") % {"last": head.position, "next": position}
            return Problem(Tamper.DELETED, head.position + 1, detail)
        if row[previous_index] != head.event_hash:
            return _classify_break(row, rows, chain, position, head.event_hash)
        anchored = anchor_hashes.get(position)
        if anchored is not None and anchored != event_hash:
            detail = _("its hash differs from the signed checkpoint: the chain was rewritten up to here")
            return Problem(Tamper.MODIFIED, position, detail)
        if track_cases and row[3] is not None:
            last_position, last_hash = case_heads.get(row[3], (0, GENESIS_HASH))
            if row[4] != last_position + 1 or row[5] != last_hash:
                return Problem(Tamper.MODIFIED, position, _("it breaks the chain of case %(case)s") % {"case": row[3]})
            case_heads[row[3]] = (row[4], event_hash)
        head.position = position
        head.event_hash = event_hash
    return None


def _first_mismatch_sql(chain: Chain, case_id: int | None, before: int | None) -> int | None:
    """PostgreSQL compares every column with the hashed bytes itself; returns the first mismatch."""
    text = {
        "actor_username",
        "actor_name",
        "actor_role",
        "actor_institution",
        "action",
        "target_type",
        "target_id",
        "user_agent",
        "request_id",
        "hash_algorithm",
        "previous_hash",
        "case_previous_hash",
    }
    casts = {
        "sequence": "bigint",
        "case_sequence": "bigint",
        "actor_id": "bigint",
        "case_id": "bigint",
        "occurred_at": "timestamptz",
        "ip_address": "inet",
    }
    checks = []
    for column in _CHECKED_COLUMNS:
        if column == chain.position_column:
            continue
        if column in text:
            checks.append(f"c->>'{column}' = e.{column}")
        elif column == "payload":
            checks.append("c->'payload' = e.payload")
        else:
            checks.append(f"(c->>'{column}')::{casts[column]} IS NOT DISTINCT FROM e.{column}")
    conditions = [f"({' AND '.join(checks)}) IS NOT TRUE"]
    params = []
    if case_id is not None:
        conditions.append("e.case_id = %s")
        params.append(case_id)
    if before is not None:
        conditions.append(f"e.{chain.position_column} < %s")
        params.append(before)
    sql = (
        f"SELECT min(e.{chain.position_column}) FROM {_table()} e "
        f"CROSS JOIN LATERAL (SELECT convert_from(e.canonical, 'UTF8')::jsonb AS c OFFSET 0) j WHERE {' AND '.join(conditions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _column_matches(name, value, canonical) -> bool:
    stored = canonical.get(name)
    if name == "occurred_at":
        return stored is not None and datetime.fromisoformat(stored) == value
    return stored == value


def _first_mismatch_python(chain: Chain, case_id: int | None, before: int | None) -> int | None:
    events = AuditEvent.objects.order_by(chain.position_column)
    if case_id is not None:
        events = events.filter(case_id=case_id)
    if before is not None:
        events = events.filter(**{f"{chain.position_column}__lt": before})
    columns = [column for column in _CHECKED_COLUMNS if column != chain.position_column]
    for values in events.values(chain.position_column, "canonical", *columns).iterator(chunk_size=_FETCH_SIZE):
        try:
            canonical = json.loads(bytes(values["canonical"]))
        except ValueError:
            return values[chain.position_column]
        if not all(_column_matches(column, values[column], canonical) for column in columns):
            return values[chain.position_column]
    return None


def _first_mismatch(chain: Chain, case_id: int | None, before: int | None) -> int | None:
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                return _first_mismatch_sql(chain, case_id, before)
        except DatabaseError:
            # Stored bytes that are not JSON at all cannot be cast; compare row by row instead.
            return _first_mismatch_python(chain, case_id, before)
    return _first_mismatch_python(chain, case_id, before)


def chain_verify(*, case=None, anchors: Anchors | None = None) -> VerificationResult:
    """Verify the global chain, or one case's chain; return the first problem found, if any."""
    anchors = anchors or Anchors()
    chain = CASE_CHAIN if case is not None else GLOBAL_CHAIN
    case_id = case.pk if case is not None else None
    head = _Head()
    # One transaction: the server-side cursor lives in it without being materialised (WITH HOLD).
    with transaction.atomic():
        rows = _stream(chain, case_id)
        problem = _walk(rows, chain, anchors, head, track_cases=case is None)
        rows.close()
        mismatch = _first_mismatch(chain, case_id, problem.sequence + 1 if problem else None)
    if mismatch is not None and (problem is None or mismatch < problem.sequence):
        problem = Problem(Tamper.MODIFIED, mismatch, _("its columns no longer match its hashed bytes"))
    if problem is None and head.position < anchors.highest:
        detail = _("a signed checkpoint saw #%(anchored)s but the chain ends at #%(head)s") % {
            "anchored": anchors.highest,
            "head": head.position,
        }
        problem = Problem(Tamper.TAIL_REMOVED, head.position + 1, detail)
    count = head.position if problem is None else problem.sequence - 1
    return VerificationResult(count=count, head_position=head.position, head_hash=head.event_hash, problem=problem)
