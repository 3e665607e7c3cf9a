"""Audit trail: append rate, and `verify_audit` over 1,000,000 events on PostgreSQL (target: < 5 s).

Usage (creates and drops its own scratch database, tol_audit_bench, on the local PostgreSQL 15):

    .venv/bin/python bench/audit_verify.py

Seeds with COPY of precomputed, correctly chained canonical bytes and hashes (1M events over 20,000
cases; PostgreSQL generates the readable columns from the bytes), measures the append rate of the real
`audit_record` (one transaction per event, one writer and four concurrent writers), the table-definition
check alone, the median of three in-process verifications, `manage.py verify_audit` end to end with its
peak memory, one case's verification and one checkpoint, and writes its section of docs/benchmarks.md.
AUDIT_BENCH_EVENTS=100000 shrinks the run for quick experiments.
"""

import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "tol_audit_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolerance.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("TOLERANCE_VAR_DIR", "/tmp/audit-bench-var")

EVENTS = int(os.environ.get("AUDIT_BENCH_EVENTS", "1000000"))
CASES = 20_000
APPENDS = 2_000
WRITERS = 4
ACTIVITY_EVENTS = 500
ACTIVITY_CASES = 100
SECTION_TITLE = "## Audit trail (tolerance.audit)"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"


def _recreate_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")


def _bench_key():
    """A throwaway checkpoint key, so the bench never needs (or touches) a deployment's key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path = pathlib.Path(os.environ["TOLERANCE_VAR_DIR"]) / "bench-audit.key.pem"
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    os.environ["TOLERANCE_AUDIT_KEY"] = str(path)
    checkpoints = path.parent / "checkpoints"
    # Checkpoints of an earlier run are signed by an earlier throwaway key and would (rightly) fail.
    shutil.rmtree(checkpoints, ignore_errors=True)
    os.environ["TOLERANCE_CHECKPOINT_DIR"] = str(checkpoints)


_recreate_database()
_bench_key()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from tolerance.audit import verification  # noqa: E402
from tolerance.audit.actions import AuditAction  # noqa: E402
from tolerance.audit.checkpoints import checkpoint_make  # noqa: E402
from tolerance.audit.columns import generated_columns_altered  # noqa: E402
from tolerance.audit.hashing import CURRENT_ALGORITHM, GENESIS_HASH, canonical_bytes, digest  # noqa: E402
from tolerance.audit.models import AuditChainHead, AuditEvent  # noqa: E402
from tolerance.audit.services import audit_record  # noqa: E402
from tolerance.audit.verification import chain_verify  # noqa: E402


def _seed(count):
    """Insert `count` chained events with COPY; returns the seconds taken."""
    started = time.perf_counter()
    moment = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    previous = GENESIS_HASH
    case_heads = {}
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY audit_auditevent (canonical, event_hash) FROM STDIN") as copy,
    ):
        for sequence in range(1, count + 1):
            case_id = sequence % CASES + 1
            case_sequence, case_previous = case_heads.get(case_id, (0, GENESIS_HASH))
            moment += timedelta(milliseconds=250)
            fields = {
                "sequence": sequence,
                "occurred_at": moment.isoformat(),
                "actor_id": 7,
                "actor_username": "officer_guet",
                "actor_name": "王科",
                "actor_institution": "GUET",
                "actor_role": "officer",
                "case_id": case_id,
                "case_number": f"GUET-MZ-2026-{case_id:05d}",
                "case_sequence": case_sequence + 1,
                "action": AuditAction.FORM_SUBMITTED.value,
                "target_type": "tolerance.Case",
                "target_id": str(case_id),
                "payload": {"title": "调查核实", "findings": {"C1": "yes", "C2": "yes"}, "note": "经核查属实。"},
                "ip_address": "10.0.0.8",
                "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                "request_id": f"{sequence:032x}",
                "hash_algorithm": CURRENT_ALGORITHM,
                "previous_hash": previous,
                "case_previous_hash": case_previous,
            }
            data = canonical_bytes(fields)
            event_hash = digest(data)
            copy.write_row([data.decode(), event_hash])
            previous = event_hash
            case_heads[case_id] = (case_sequence + 1, event_hash)
    AuditChainHead.objects.update_or_create(singleton=True, defaults={"sequence": count, "event_hash": previous})
    with connection.cursor() as cursor:
        # As autovacuum would soon do: set hint bits and statistics now, not during the measurements.
        cursor.execute("VACUUM (ANALYZE) audit_auditevent")
    return time.perf_counter() - started


def _walk_only():
    """The streamed rehash-and-link pass alone."""
    with transaction.atomic():
        rows = verification._stream(verification.GLOBAL_CHAIN, None)
        problem = verification._walk(
            rows, verification.GLOBAL_CHAIN, verification.Anchors(), verification._Head(), track_cases=True
        )
        rows.close()
    assert problem is None, problem


def _definition_check():
    assert generated_columns_altered(connection, AuditEvent) == []


def _case_activity(events, cases):
    """`events` real appends spread over the first `cases` cases, as between two checkpoints."""
    for number in range(events):
        with transaction.atomic():
            audit_record(action=AuditAction.CASE_UPDATED, case=_CaseRef(number % cases + 1), payload={"n": number})


class _CaseRef:
    """Enough of a Case for audit_record: the bench's cases exist only as ids in the events."""

    def __init__(self, pk):
        self.pk = pk
        self.number = f"GUET-MZ-2026-{pk:05d}"


def _append_rate(writers):
    per_writer = APPENDS // writers
    barrier = threading.Barrier(writers)

    def write():
        barrier.wait()
        for number in range(per_writer):
            with transaction.atomic():
                audit_record(action=AuditAction.CASE_UPDATED, payload={"n": number})
        connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_writer * writers / (time.perf_counter() - started)


def _timed(function, runs=3):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _command_run():
    """`manage.py verify_audit` in its own process: wall time and peak resident memory."""
    started = time.perf_counter()
    completed = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, str(ROOT / "manage.py"), "verify_audit"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    peak_kib = int(completed.stderr.strip().splitlines()[-1])
    output = completed.stdout.strip() or completed.stderr.strip()
    return elapsed, peak_kib / 1024, completed.returncode, output


def _write_section(figures, load, verify_seconds, walk_seconds, walk_cpu, definition_seconds):
    verify = dict(figures)[f"verify global chain, {EVENTS:,} events (in process)"]
    lines = [
        SECTION_TITLE,
        "",
        f"`bench/audit_verify.py`, {MACHINE}. {EVENTS:,} events over {CASES:,} cases, seeded with COPY of",
        "precomputed chained canonical bytes and hashes; PostgreSQL generates every readable column",
        "(time, actor, case, action, payload, links) from those bytes as it stores them. Verification checks",
        "that the table's generated-column definitions are still ours, then walks the chain: one query",
        "streaming positions, hashes, links and the canonical text in binary chunks of 5,000 rows; SHA-256",
        "and links checked in Python. No column comparison is needed while the definitions are intact.",
        f"Median of 3 in-process runs. Load average (1 min) when the verifications ran: {load:.1f}.",
        "",
        "| measure | result |",
        "|---|---:|",
        *(f"| {name} | {value} |" for name, value in figures),
        "",
        f"Target: 1M events verified in under 5 s. Measured: {verify} in process,"
        f" {'met' if verify_seconds < 5 else 'NOT met'} at this load.",
        "",
        f"Where the time goes. The walk alone takes {walk_seconds:.2f} s (median of 3; {walk_cpu:.2f} s of it Python CPU:",
        "row decoding, SHA-256, links, per-case heads; PostgreSQL reads the rows in sequence order beside",
        f"it); the definition check {definition_seconds * 1000:.0f} ms. If the definitions were altered,",
        "verification would also compare every event's columns with its bytes, in Python, to name the",
        "first event that differs: slower, but only on a table someone has already tampered with.",
        "",
        "Generating the columns costs at insert time: the database parses the canonical JSON once per",
        "generated column. The bulk COPY above pays about 0.1 ms per event for it; a real append",
        "(`audit_record`, one transaction per event, about 2 ms) barely notices (rates in the table).",
        "",
        "History on the same machine: 13.8 s at first (bytea canonical, server-side cursor, a jsonb parse",
        "per row after the walk); 5.25 s with the column check in parallel SQL beside the walk (load 1.0);",
        "then the columns became generated and the column check disappeared.",
        "",
    ]
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    section = "\n".join(lines)
    if SECTION_TITLE in text:
        before, _, rest = text.partition(SECTION_TITLE)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main():
    call_command("migrate", verbosity=0)
    seconds = _seed(EVENTS)
    print(f"seeded {EVENTS} events in {seconds:.1f} s", flush=True)
    cpu_before = time.process_time()
    walk_seconds = _timed(_walk_only)[0]
    walk_cpu = (time.process_time() - cpu_before) / 3
    definition_seconds = _timed(_definition_check)[0]
    print(f"walk {walk_seconds:.2f} s, definition check {definition_seconds * 1000:.1f} ms", flush=True)
    load = os.getloadavg()[0]
    verify_seconds, result = _timed(chain_verify)
    assert result.intact, result.problem
    print(f"verify: {verify_seconds:.2f} s ({result.count} events)", flush=True)
    case_seconds, case_result = _timed(lambda: chain_verify(case=type("C", (), {"pk": 1})()))
    assert case_result.intact, case_result.problem
    command_seconds, peak_mib, returncode, output = _command_run()
    assert returncode == 0, f"verify_audit failed: {output}"
    print(f"verify_audit: {command_seconds:.2f} s, peak {peak_mib:.0f} MiB: {output}", flush=True)
    one_writer = _append_rate(1)
    many_writers = _append_rate(WRITERS)
    print(f"append: {one_writer:.0f}/s one writer, {many_writers:.0f}/s with {WRITERS}", flush=True)
    checkpoint_seconds = _timed(checkpoint_make, runs=1)[0]
    _case_activity(ACTIVITY_EVENTS, ACTIVITY_CASES)
    incremental_seconds, incremental = _timed(checkpoint_make, runs=1)
    incremental_cases = len(json.loads(bytes(incremental.canonical))["cases"])
    assert incremental_cases == ACTIVITY_CASES, incremental_cases
    figures = [
        (f"seed {EVENTS:,} events (COPY)", f"{seconds:.1f} s"),
        (f"verify global chain, {EVENTS:,} events (in process)", f"{verify_seconds:.2f} s"),
        ("… the walk alone: streamed rehash and links (Python)", f"{walk_seconds:.2f} s"),
        ("… the generated-column definition check alone", f"{definition_seconds * 1000:.1f} ms"),
        ("`manage.py verify_audit` end to end (process start included)", f"{command_seconds:.2f} s"),
        ("`manage.py verify_audit` peak resident memory", f"{peak_mib:.0f} MiB"),
        (f"verify one case chain ({case_result.count} events)", f"{case_seconds * 1000:.1f} ms"),
        ("append, 1 writer (one transaction per event)", f"{one_writer:.0f} events/s"),
        (f"append, {WRITERS} concurrent writers", f"{many_writers:.0f} events/s"),
        ("ratio measured / 5 s target", f"{verify_seconds / 5:.2f}×"),
    ]
    figures.append((f"`audit_checkpoint`, first ({CASES:,} case heads)", f"{checkpoint_seconds:.2f} s"))
    figures.append(
        (
            f"`audit_checkpoint`, next, after {ACTIVITY_EVENTS} events in {ACTIVITY_CASES} cases",
            f"{incremental_seconds * 1000:.0f} ms, {len(bytes(incremental.canonical)) / 1024:.0f} KiB",
        )
    )
    _write_section(figures, load, verify_seconds, walk_seconds, walk_cpu, definition_seconds)
    connections.close_all()
    _drop_database()


def _drop_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
