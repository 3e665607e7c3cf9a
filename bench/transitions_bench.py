"""Our transitions against the same steps in bare Viewflow 2.4, interleaved in one run.

Usage (PostgreSQL on 127.0.0.1, user postgres; `make bench-transitions` runs it):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tol_perf_bench .venv/bin/python bench/transitions_bench.py

Two worker processes, each with its own settings and scratch database (`<database>` for Tolerance with
production settings, DEBUG off; `<database>_peer` for the bare Viewflow project in bench/peer), drive
one flow each through the Django test client: file (Viewflow: start), claim + execute the completeness
check (Viewflow: assign + execute), claim + execute the investigation. The parent asks them for one
round each in turn, alternating who goes first, so load from elsewhere on the machine hits both alike.
Times are taken without query capture; one extra round counts the SQL statements. Writes the
"Transitions against bare Viewflow" section of docs/benchmarks.md.
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_ROUNDS = 3
ROUNDS = int(os.environ.get("TRANSITIONS_BENCH_ROUNDS", "25"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tol_perf_bench"
SECTION_TITLE = "## Transitions against bare Viewflow (bench/transitions_bench.py)"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"
# (our measure, the peer's measure, what it is)
MEASURES = (
    ("filing", "filing", "filing (Viewflow: start)"),
    ("claim_execute", "claim_execute", "claim + execute, completeness check (Viewflow: assign + execute)"),
    ("investigation_claim_execute", "investigation_claim_execute", "claim + execute, investigation"),
    ("investigation_submit", "investigation_submit", "… the investigation submit alone"),
)


def _database_create(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


class _Timed:
    """Each step's wall time, and (when counting) its SQL statements."""

    def __init__(self, counting: bool):
        self.counting = counting
        self.results = {}

    def post(self, name, client, url, data=None, expect=302):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if self.counting:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url, data or {})
            count = len(captured)
        else:
            started = time.perf_counter()
            response = client.post(url, data or {})
            count = (time.perf_counter() - started) * 1000
        if response.status_code != expect:
            raise RuntimeError(f"{name}: {url} answered {response.status_code}: {response.content[:2000]!r}")
        self.results[name] = self.results.get(name, 0) + count
        return response


class _Ours:
    """Tolerance with production settings: the exemption flow, pages as the officers use them."""

    def __init__(self):
        from django.core.management import call_command
        from django.test import Client

        from tests.workflows.conftest import Driver
        from tolerance import demo
        from workflows.exemption.demo import seed_case_type_policies
        from workflows.exemption.policy import policy_version_current

        call_command("migrate", verbosity=0)
        institutions = demo.seed_institutions()
        seed_case_type_policies(institutions)
        self.users = demo.seed_users(institutions)
        call_command("load_policy", verbosity=0)
        policy = {code: policy_version_current(institution) for code, institution in institutions.items()}
        self.clients = {}
        for username in ("officer_guet", "reviewer_guet"):
            self.clients[username] = Client()
            self.clients[username].force_login(self.users[username])
        self.driver = Driver(lambda username: self.clients[username], self.users, policy)

    def round(self, counting: bool) -> dict:
        from tests.workflows.conftest import investigation_data
        from tolerance.models import Case
        from workflows.flows import ExemptionFlow

        timed = _Timed(counting)
        officer, reviewer = self.clients["officer_guet"], self.clients["reviewer_guet"]
        newest = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        timed.post("filing", officer, ExemptionFlow.start.reverse("execute"), self.driver.filing_data())
        case = Case.objects.filter(pk__gt=newest).get()
        self._claim_execute(timed, "claim_execute", reviewer, case, "check_completeness", {"result": "accepted"})
        findings = investigation_data(case)
        self._claim_execute(timed, "investigation", officer, case, "investigate", findings)
        return timed.results

    def _claim_execute(self, timed, name, client, case, node_name, data):
        from workflows.flows import ExemptionFlow

        node = getattr(ExemptionFlow, node_name)
        task = self.driver.task(case, node_name)
        claim_name = name if name == "claim_execute" else f"{name}_claim_execute"
        timed.post(claim_name, client, node.reverse("assign", args=[case.process_id, task.pk]))
        before = timed.results.get(claim_name, 0)
        timed.post(claim_name, client, node.reverse("execute", args=[case.process_id, task.pk]), data)
        if name != "claim_execute":
            timed.results[f"{name}_submit"] = timed.results[claim_name] - before


class _Peer:
    """The bare Viewflow project of bench/peer: the same steps, Viewflow's generic views."""

    def __init__(self):
        from django.contrib.auth.models import Group, Permission, User
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        group, _created = Group.objects.get_or_create(name="officers")
        group.permissions.set(Permission.objects.filter(content_type__app_label="peer"))
        user, _created = User.objects.get_or_create(username="officer")
        user.groups.add(group)
        self.client = Client()
        self.client.force_login(user)

    def round(self, counting: bool) -> dict:
        from viewflow.workflow.models import Task

        from bench.peer.flows import PeerFlow
        from bench.peer.models import PeerProcess

        timed = _Timed(counting)
        newest = PeerProcess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        filing = {
            "title": "某型号雷达信号处理专利转让失败",
            "counterparty": "桂林某电子科技有限公司",
            "contract_amount": "800000.00",
            "failure_description": "受让方因下游市场需求骤降停止产业化，转让款尾款未能收回。",
        }
        timed.post("filing", self.client, PeerFlow.start.reverse("execute"), filing)
        process = PeerProcess.objects.filter(pk__gt=newest).get()
        for name, node, data in (
            ("claim_execute", PeerFlow.check_completeness, {"accepted": "on"}),
            ("investigation", PeerFlow.investigate, {"findings": "经核查属实。"}),
        ):
            task = Task.objects.get(process=process, flow_task=node)
            claim_name = name if name == "claim_execute" else f"{name}_claim_execute"
            timed.post(claim_name, self.client, node.reverse("assign", args=[process.pk, task.pk]))
            before = timed.results.get(claim_name, 0)
            timed.post(claim_name, self.client, node.reverse("execute", args=[process.pk, task.pk]), data)
            if name != "claim_execute":
                timed.results[f"{name}_submit"] = timed.results[claim_name] - before
        return timed.results


def _worker(side: str) -> None:
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — viewflow nodes reverse() only once the URLconf is loaded
    driver = _Ours() if side == "ours" else _Peer()
    print("ready", flush=True)
    for line in sys.stdin:
        print(json.dumps(driver.round(counting=line.strip() == "count")), flush=True)


def _spawn(side: str, url: str, scratch: str) -> subprocess.Popen:
    env = dict(os.environ)
    if side == "ours":
        env.update(
            DJANGO_SETTINGS_MODULE="tolerance.settings",
            DATABASE_URL=url,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="transitions-benchmark-only-" + "x" * 40,
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_COOKIES="false",
            TOLERANCE_VAR_DIR=scratch,
        )
    else:
        env.update(DJANGO_SETTINGS_MODULE="bench.peer.settings", DATABASE_URL=f"{url}_peer")
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", side], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the {side} worker did not start")
    return process


def _ask(process: subprocess.Popen, command: str) -> dict:
    process.stdin.write(command + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def _measure(url: str) -> tuple[dict, dict, list]:
    _database_create(url)
    _database_create(f"{url}_peer")
    with tempfile.TemporaryDirectory(prefix="transitions-bench-") as scratch:
        workers = {side: _spawn(side, url, scratch) for side in ("ours", "peer")}
        try:
            samples = {side: [] for side in workers}
            loads = [os.getloadavg()[0]]
            for number in range(WARM_ROUNDS + ROUNDS):
                order = ("ours", "peer") if number % 2 == 0 else ("peer", "ours")
                for side in order:
                    result = _ask(workers[side], "time")
                    if number >= WARM_ROUNDS:
                        samples[side].append(result)
            loads.append(os.getloadavg()[0])
            counts = {side: _ask(process, "count") for side, process in workers.items()}
        finally:
            for process in workers.values():
                process.stdin.close()
                process.wait()
    medians = {
        side: {name: statistics.median(sample[name] for sample in values) for name in values[0]}
        for side, values in samples.items()
    }
    return medians, counts, loads


def _write_section(medians, counts, loads) -> None:
    lines = [
        SECTION_TITLE,
        "",
        f"{MACHINE}; {ROUNDS} rounds after {WARM_ROUNDS} warm-up rounds, medians. Two worker processes, one",
        "Tolerance with production settings (DEBUG off, PostgreSQL, the whole middleware stack, audit,",
        "visibility) and one bare Viewflow 2.4 project (bench/peer: Django's default middleware, Viewflow's",
        "generic views, a proxy process with the filing's fields in its JSON column), each on its own scratch",
        "database, driven through the Django test client; rounds alternate between them (who goes first",
        "alternates too). Times without query capture; statements counted in one extra round. Our filing",
        "uploads three PDFs and creates the case, its subjects and cited entries; the peer's start saves",
        f"four fields. Load average (1 min) at the start and the end of the run: {loads[0]:.1f}, {loads[1]:.1f}",
        "(the machine is shared with other work; the interleaving spreads it over both sides).",
        "",
        "| step | ours: ms | peer: ms | time ratio | ours: statements | peer: statements | statement ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    ours, peer = medians["ours"], medians["peer"]
    for our_name, peer_name, label in MEASURES:
        lines.append(
            f"| {label} | {ours[our_name]:.1f} | {peer[peer_name]:.1f} | {ours[our_name] / peer[peer_name]:.2f} "
            f"| {counts['ours'][our_name]} | {counts['peer'][peer_name]} "
            f"| {counts['ours'][our_name] / counts['peer'][peer_name]:.2f} |"
        )
    lines.append("")
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    start = text.find(SECTION_TITLE)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    else:
        end = text.find("\n## ", start + len(SECTION_TITLE))
        text = text[:start] + "\n".join(lines) + (text[end:] if end != -1 else "")
    path.write_text(text if text.endswith("\n") else text + "\n")
    print("\n".join(lines))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
        return
    medians, counts, loads = _measure(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    _write_section(medians, counts, loads)


if __name__ == "__main__":
    main()
