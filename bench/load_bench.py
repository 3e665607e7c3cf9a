"""The load test: gunicorn (3 workers, production settings) on PostgreSQL, driven by locust.

    make bench-load        # or: BENCH_DATABASE_URL=postgres://…/tol_load_bench .venv/bin/python bench/load_bench.py

Seeds (once; later runs reuse the database) the demo institutions and users and LOAD_BENCH_CASES bulk
exemption cases (bench/lists_seed.py), a few attachments to download, and a signed-in session per demo user;
starts gunicorn with DEBUG off, Redis as the cache (TOLERANCE_CACHE_URL, default redis://127.0.0.1:6379/15)
and persistent database connections; then runs bench/load_locustfile.py twice, headless:

1. 25 users with 1–3 s think time: the p95 and the errors a normal day's load sees;
2. saturation: LOAD_BENCH_SATURATION_USERS users (default 60) with 0–0.2 s think time: the most requests/s
   the three workers serve.

Writes the "Load test" section of docs/benchmarks.md, with the machine's load average during the run.
"""

import csv
import json
import os
import pathlib
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tol_load_bench")
CASES = int(os.environ.get("LOAD_BENCH_CASES", "100000"))
SECONDS = int(os.environ.get("LOAD_BENCH_SECONDS", "60"))
SATURATION_USERS = int(os.environ.get("LOAD_BENCH_SATURATION_USERS", "60"))
WORKERS = 3
VAR_DIR = pathlib.Path(os.environ.get("LOAD_BENCH_VAR_DIR", "/tmp/load-bench-var"))
SECRET_KEY = "load-bench-secret-key-not-for-deployment-0123456789"
SECTION_TITLE = "## Load test (bench/load_bench.py)"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15, Redis 7"

ENVIRONMENT = {
    **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "TOLERANCE_"))},
    "DJANGO_SETTINGS_MODULE": "tolerance.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    # Plain HTTP on the loopback; behind nginx a deployment keeps the Secure cookies and the HTTPS redirect.
    "DJANGO_SECURE_COOKIES": "false",
    "DATABASE_URL": DATABASE_URL,
    "TOLERANCE_VAR_DIR": str(VAR_DIR),
    "TOLERANCE_CACHE_URL": os.environ.get("LOAD_BENCH_CACHE_URL", "redis://127.0.0.1:6379/15"),
}


def _seed() -> pathlib.Path:
    """Run in a child process with the bench environment; returns the state file for the locustfile."""
    state_path = VAR_DIR / "load-state.json"
    subprocess.run([sys.executable, __file__, "--seed", str(state_path)], env=ENVIRONMENT, check=True, cwd=ROOT)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=ENVIRONMENT, check=True, cwd=ROOT
    )
    return state_path


def _seed_here(state_path: pathlib.Path) -> None:
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from bench.lists_seed import seed_exemption_cases
    from composition.site import site
    from tests.factories import PDF_BYTES
    from tolerance import demo
    from tolerance.models import Attachment, Case
    from tolerance.selectors.cases import cases_visible_to
    from tolerance.services.attachments import attachment_add
    from workflows.viewsets import ToleranceFlowAppViewset

    call_command("migrate", verbosity=0)
    institutions = demo.seed_institutions()
    users = demo.seed_users(institutions)
    missing = CASES - Case.objects.filter(case_type="MZ").count()
    if missing > 0:
        flow_app = next(app for app in site.viewsets if isinstance(app, ToleranceFlowAppViewset))
        seed_exemption_cases(
            flow_class=flow_app._flow_class,
            count=missing,
            institutions={"GUET": institutions["GUET"], "GXNU": institutions["GXNU"]},
            filer={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
            reviewer={"GUET": users["reviewer_guet"], "GXNU": users["officer_gxnu"]},
            investigator={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
            subject={"GUET": users["researcher_zhang"], "GXNU": users["researcher_gxnu"]},
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    usernames = ("officer_guet", "officer_gxnu", "reviewer_guet", "chair_guet", "member1_guet")
    usernames += ("researcher_zhang", "researcher_gxnu", "supervisor_city", "hr_guet")
    sessions, cases = {}, {}
    for username in usernames:
        user = users[username]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "tolerance.auth_backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[username] = session.session_key
        cases[username] = list(cases_visible_to(user).order_by("-id").values_list("id", flat=True)[:300])
    if not Attachment.objects.exists():
        for case in Case.objects.filter(pk__in=cases["researcher_zhang"][:20]):
            attachment_add(
                case=case,
                uploaded_by=users["officer_guet"],
                uploaded=SimpleUploadedFile(f"合同{case.pk}.pdf", PDF_BYTES + str(case.pk).encode()),
                category="contract",
            )
    downloads = {
        username: [
            [case_id, pk]
            for pk, case_id in Attachment.objects.filter(case_id__in=cases[username]).values_list("pk", "case_id")[:50]
        ]
        for username in ("researcher_zhang", "researcher_gxnu")
    }
    state = {"sessions": sessions, "cases": cases, "attachments": downloads, "pdf": PDF_BYTES.decode("latin-1")}
    state_path.write_text(json.dumps(state), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tolerance.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(WORKERS), "--log-level", "warning", "--timeout", "60"],
        env=ENVIRONMENT,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _locust(port: int, users: int, think: tuple[float, float], prefix: pathlib.Path) -> dict:
    environment = {
        **os.environ,
        "LOAD_BENCH_STATE": str(VAR_DIR / "load-state.json"),
        "LOAD_BENCH_THINK_MIN": str(think[0]),
        "LOAD_BENCH_THINK_MAX": str(think[1]),
    }
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py"), "--headless"]
        + ["-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{port}"]
        + ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        env=environment,
        cwd=ROOT,
        check=False,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "median": float(total["50%"]),
        "p95": float(total["95%"]),
        "by_name": {
            name: (int(row["Request Count"]), float(row["50%"]), float(row["95%"]), int(row["Failure Count"]))
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }


CALIBRATION_PAGES = ("/", "/cases/", "/exemption/inbox/")


def _service_times(port: int) -> dict[str, float]:
    """Median ms of single requests one after another (no concurrency): what one request costs on this
    machine at its present load, against which the throughput can be judged."""
    session = json.loads((VAR_DIR / "load-state.json").read_text(encoding="utf-8"))["sessions"]["officer_guet"]
    times = {}
    for page in CALIBRATION_PAGES:
        samples = []
        for _ in range(7):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{page}", headers={"Cookie": f"sessionid={session}"}
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            samples.append((time.perf_counter() - started) * 1000)
        times[page] = statistics.median(samples[2:])
    return times


def _worker_rss_mb(server: subprocess.Popen) -> list[float]:
    import psutil

    return [child.memory_info().rss / 2**20 for child in psutil.Process(server.pid).children()]


def _write_section(calm: dict, saturation: dict, rss: list[float], loads: list[tuple], service: dict) -> None:
    met = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    lines = [
        SECTION_TITLE,
        "",
        f"`make bench-load`, {MACHINE}. gunicorn, {WORKERS} sync workers, `DJANGO_DEBUG=false`, Redis cache,",
        f"persistent database connections (`CONN_MAX_AGE=60` with health checks); {CASES:,} bulk-seeded exemption",
        "cases. locust users by role (weights): officers 4 (home, desk, case pages, inbox, queue, archive, search,",
        "evidence upload, CSV export), reviewer 2, chair and member 2, researchers 3 (also evidence download),",
        f"supervisor 1 (also export), department verifier 1; each phase {SECONDS} s.",
        f"**Load average before / after the run: {loads[0][0]:.1f} / {loads[-1][0]:.1f} on 2 cores** — the machine is",
        "shared with other engineers' test suites, so these figures are noisy and pessimistic; locust itself runs",
        "on the same two cores.",
        "",
        "One request at a time before the run (officer, median of 5 after 2 warm-ups): "
        + ", ".join(f"`{page}` {ms:.0f} ms" for page, ms in service.items())
        + f": one stream of requests gets {1000 / statistics.mean(service.values()):.1f} requests/s at this load, which"
        " is what each of the three workers can at most add; a quiet machine is needed for the targets' figures.",
        "",
        "| phase | users | think time | requests | errors | req/s | median ms | p95 ms |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
        f"| normal day | 25 | 1–3 s | {calm['requests']} | {calm['failures']} | {calm['rps']:.1f} | {calm['median']:.0f} | {calm['p95']:.0f} |",
        f"| saturation | {SATURATION_USERS} | 0–0.2 s | {saturation['requests']} | {saturation['failures']} | "
        f"{saturation['rps']:.1f} | {saturation['median']:.0f} | {saturation['p95']:.0f} |",
        "",
        f"Worker RSS after the run: {', '.join(f'{value:.0f}' for value in rss)} MB.",
        "",
        f"Targets: saturation ≥ 85 req/s — {met(saturation['rps'] >= 85)}; p95 ≤ 300 ms at 25 users — "
        f"{met(calm['p95'] <= 300)}; 0 errors — {met(calm['failures'] == 0 and saturation['failures'] == 0)}; "
        f"RSS ≤ 150 MB — {met(max(rss) <= 150)}.",
        "",
        "Per request kind at saturation (requests, median ms, p95 ms, errors):",
        "",
        "| request | n | median | p95 | errors |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| `{name}` | {count} | {median:.0f} | {p95:.0f} | {errors} |"
            for name, (count, median, p95, errors) in sorted(saturation["by_name"].items())
        ],
    ]
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    if SECTION_TITLE in text:
        before, _, rest = text.partition(SECTION_TITLE)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _create_database()
    _seed()
    port = _free_port()
    loads = [os.getloadavg()]
    server = _start_gunicorn(port)
    try:
        scratch = VAR_DIR / "locust"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        service = _service_times(port)
        calm = _locust(port, 25, (1, 3), scratch / "calm")
        saturation = _locust(port, SATURATION_USERS, (0, 0.2), scratch / "saturation")
        rss = _worker_rss_mb(server)
        loads.append(os.getloadavg())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        json.dumps({"calm": calm, "saturation": saturation, "rss": rss, "loads": loads, "service": service}, indent=1)
    )
    _write_section(calm, saturation, rss, loads, service)


def _create_database():
    import psycopg

    base, _, name = DATABASE_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seed":
        _seed_here(pathlib.Path(sys.argv[2]))
    else:
        main()
