"""Statistics pages and the annual report at 1,000 and 100,000 cases of each type: median time per page.

Usage (PostgreSQL on 127.0.0.1, user postgres; one scratch database per size, `<name>_<size>`, reused):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tol_bench_stats DJANGO_DEBUG=true \\
        TOLERANCE_VAR_DIR=/tmp/stats-bench-var .venv/bin/python bench/statistics_bench.py

Seeds with bulk inserts (bench/statistics_seed.py), analyses, then requests each statistics page (an
officer's, the supervisor's across institutions and filtered) and the annual report (its tables as
XLSX, and the sealed PDF) through the Django test client, the sizes alternating round by round, and
writes the "Statistics and annual report" section of docs/benchmarks.md with the machine's load.
"""

import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolerance.settings")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ.pop("BENCH_DATABASE_URL")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.statistics_seed import seed_statistics_cases  # noqa: E402
from tolerance import demo  # noqa: E402
from tolerance.decisions import pki  # noqa: E402
from tolerance.models import Case  # noqa: E402
from tolerance.statistics.rollup import statistics_rollup_build  # noqa: E402

SIZES = tuple(int(size) for size in os.environ.get("STATS_BENCH_SIZES", "1000,100000").split(","))
ROUNDS = int(os.environ.get("STATS_BENCH_ROUNDS", "9"))
PDF_ROUNDS = int(os.environ.get("STATS_BENCH_PDF_ROUNDS", "3"))
PAGES = {
    ("statistics", "officer_guet"): "/statistics/",
    ("statistics", "supervisor_city"): "/statistics/",
    ("statistics, one type and year", "supervisor_city"): "/statistics/?case_type=XK&year_from=2024&year_to=2024",
    ("statistics, one institution", "supervisor_city"): "/statistics/?institution={guet}",
    ("table export (XLSX)", "supervisor_city"): "/statistics/export/stage_durations.xlsx",
    ("annual report XLSX, deployment", "supervisor_city"): "/statistics/annual-report.xlsx?year=2024",
    ("annual report XLSX, GUET", "officer_guet"): "/statistics/annual-report.xlsx?year=2024&institution=GUET",
}
PDF_KEY = ("annual report PDF, deployment", "supervisor_city")
JOB_KEY = ("statistics job: full rebuild of the stored figures", "scheduler")
SECTION_TITLE = "## Statistics and annual report (tolerance.statistics)"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"


def _use_database(name):
    connection.close()
    connection.settings_dict["NAME"] = name


def _create_database(name):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


def _prepare(size):
    call_command("migrate", verbosity=0)
    institutions = demo.seed_institutions()
    users = demo.seed_users(institutions)
    if not Case.objects.filter(case_type="XK").exists():
        chosen = [institutions[code] for code in ("GUET", "GXNU", "GLUT") if code in institutions]
        filers = {institution.code: users["officer_guet"] for institution in chosen}
        seed_statistics_cases(count_per_type=size, institutions=chosen, filers=filers)
    with connection.cursor() as cursor:
        # VACUUM too: freshly bulk-loaded tables have no visibility map yet (autovacuum sets it in
        # production), and without it every statistics query paid heap visits (2.4 s rather than 4.4 s a page).
        cursor.execute("VACUUM ANALYZE")
    # The pages read the stored figures: the scheduler's job builds them (timed below, round by round).
    statistics_rollup_build()
    clients = {}
    for viewer in {viewer for _page, viewer in PAGES}:
        clients[viewer] = Client()
        clients[viewer].force_login(users[viewer])
    return clients, institutions["GUET"].pk


def _timed(call):
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    return elapsed


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f}"


def main():
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL: set BENCH_DATABASE_URL=postgres://… (see the module docstring)")
    setup_test_environment()
    paths = pki.configured_paths()
    if not paths.root_cert.exists():
        call_command("init_pki", verbosity=0)
    base_name = connection.settings_dict["NAME"]
    databases = {size: f"{base_name}_{size}" for size in SIZES}
    prepared = {}
    for size, name in databases.items():
        _use_database("postgres")  # the maintenance database: the scratch ones may not exist yet
        _create_database(name)
        _use_database(name)
        prepared[size] = _prepare(size)
    loads = [_load()]
    timings = {(size, key): [] for size in SIZES for key in [*PAGES, PDF_KEY, JOB_KEY]}
    for round_number in range(ROUNDS + 1):
        for size in SIZES:
            _use_database(databases[size])
            clients, guet = prepared[size]
            for (page, viewer), url in PAGES.items():
                url = url.format(guet=guet)
                clients[viewer].get(url)
                elapsed = _timed(lambda: clients[viewer].get(url))  # noqa: B023
                if round_number:
                    timings[(size, (page, viewer))].append(elapsed)
            if round_number and round_number <= PDF_ROUNDS:
                client = clients["supervisor_city"]
                elapsed = _timed(lambda: client.post("/statistics/annual-report/", {"year": "2024"}))  # noqa: B023
                timings[(size, PDF_KEY)].append(elapsed)
                started = time.perf_counter()
                statistics_rollup_build()
                timings[(size, JOB_KEY)].append(time.perf_counter() - started)
        loads.append(_load())
    results = {key: statistics.median(values) * 1000 for key, values in timings.items() if values}
    for key, value in sorted(results.items()):
        print(key, f"{value:.1f} ms", flush=True)
    _write_section(results, loads)


def _write_section(results, loads):
    small, large = SIZES[0], SIZES[-1]
    lines = [
        SECTION_TITLE,
        "",
        f"`bench/statistics_bench.py`, {MACHINE}. Bulk-seeded cases of each of the three types (over GUET,",
        "GXNU, GLUT and the years 2023–2025): three stage spells per case, a decision for every third,",
        "two rectification items per rectification case, and per licence case its terms, a grant, one",
        "instalment and for every other one a receipt and a trigger. Each page through the Django test",
        f"client, logged in, warm; median of {ROUNDS} requests (the PDF: {PDF_ROUNDS}), the sizes alternating",
        f"round by round. Load average (1 / 5 min) at the start and the end of the run (2 cores): "
        f"{', '.join(loads[:1] + loads[-1:])}.",
        "",
        f"| page | viewer | {small:,} a type: ms | {large:,} a type: ms | ratio | target |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (size, (page, viewer)), value in sorted(results.items(), key=lambda item: list(results).index(item[0])):
        if size != small:
            continue
        big = results[(large, (page, viewer))]
        target = (
            "≤ 5 s" if page.startswith("annual") else "every 5 min" if page.startswith("statistics job") else "≤ 300 ms"
        )
        lines.append(f"| {page} | {viewer} | {value:.1f} | {big:.1f} | {big / value:.2f} | {target} |")
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION_TITLE in text:
        before, _, rest = text.partition(SECTION_TITLE)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":
    main()
