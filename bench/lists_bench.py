"""List pages at 1,000 and 100,000 cases: median time and query count per page and viewer.

`LISTS_BENCH_KIND` picks the cases and pages: `MZ` (default) exemption cases and the exemption flow's lists,
`ZG` rectification cases, the rectification flow's lists and the department desk, `XK` licensing cases and
the licence portal. Each kind has its own databases (`<name>_<kind>_<size>`, the exemption's `<name>_<size>`)
and its own section of docs/benchmarks.md; every kind measures all eight kinds of viewer, and a page a
viewer may not open (a researcher has no flow pages) is left out.

Usage (PostgreSQL on 127.0.0.1, user postgres; creates one scratch database per size next to DATABASE_URL's,
and reuses them on later runs):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tol_lists_bench DJANGO_DEBUG=true \\
        TOLERANCE_VAR_DIR=/tmp/lists-bench-var .venv/bin/python bench/lists_bench.py

Seeds with bulk inserts (bench/lists_seed.py, bench/licensing_seed.py), analyses, then requests every page
through the Django test client (warm, logged in), alternating between the databases round by round so that
load from elsewhere on the machine hits both sizes alike, and writes the kind's section of docs/benchmarks.md.
"""

import os
import pathlib
import statistics
import sys
import time
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolerance.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.lists_seed import seed_exemption_cases, seed_rectification_cases  # noqa: E402
from tolerance import demo  # noqa: E402
from tolerance.models import Case  # noqa: E402
from workflows.viewsets import ToleranceFlowAppViewset  # noqa: E402

SIZES = tuple(int(size) for size in os.environ.get("LISTS_BENCH_SIZES", "1000,100000").split(","))
WARM_RUNS = 3
ROUNDS = int(os.environ.get("LISTS_BENCH_ROUNDS", "31"))
FLOW_PAGES = ("index", "inbox", "queue", "archive", "process_list", "task_list")
# Officer, second officer, chair, member, researcher, licensee, supervisor, department verifier.
VIEWERS = "officer_guet,reviewer_guet,chair_guet,member1_guet,researcher_zhang,licensee_demo,supervisor_city,hr_guet"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"
BY_INSTITUTION = ("GUET", "GXNU")


@dataclass(frozen=True)
class Kind:
    """What one run measures: its cases (`seed(count, institutions, users)`), its pages and its section."""

    code: str
    section: str
    description: str
    seed: object
    site_pages: dict
    flow: str = ""  # the flow class whose lists are measured, by name in workflows.flows


def _by_institution(users, guet, gxnu):
    return {"GUET": users[guet], "GXNU": users[gxnu]}


def _seed_exemption(count, institutions, users):
    seed_exemption_cases(
        flow_class=_flow_app("ExemptionFlow")._flow_class,
        count=count,
        institutions={code: institutions[code] for code in BY_INSTITUTION},
        filer=_by_institution(users, "officer_guet", "officer_gxnu"),
        reviewer=_by_institution(users, "reviewer_guet", "officer_gxnu"),
        investigator=_by_institution(users, "officer_guet", "officer_gxnu"),
        subject=_by_institution(users, "researcher_zhang", "researcher_gxnu"),
    )


def _seed_rectification(count, institutions, users):
    from workflows.rectification.demo import seed_case_type_policies
    from workflows.rectification.policy import catalogue_load_all

    seed_case_type_policies(institutions)
    for code in BY_INSTITUTION:
        catalogue_load_all(institutions[code])
    seed_rectification_cases(
        flow_class=_flow_app("RectificationFlow")._flow_class,
        count=count,
        institutions={code: institutions[code] for code in BY_INSTITUTION},
        filer=_by_institution(users, "officer_guet", "officer_gxnu"),
        reviewer=_by_institution(users, "reviewer_guet", "reviewer_gxnu"),
        subject=_by_institution(users, "researcher_zhang", "researcher_gxnu"),
    )


def _seed_licensing(count, institutions, users):
    from bench.licensing_seed import seed_licensing_cases
    from workflows.licensing import demo_data

    seed_licensing_cases(
        count=count,
        start=Case.objects.filter(case_type="XK").count(),
        institutions=institutions,
        companies=demo_data.seed_companies(users),
        filer=_by_institution(users, "officer_guet", "officer_gxnu"),
    )


SITE_PAGES = {"home": "/", "cases": "/cases/"}
KINDS = {
    "MZ": Kind(
        code="MZ",
        section="## Flow list pages (workflows.lists)",
        description="Bulk-seeded exemption cases (half GUET, half GXNU; about 3.3 task rows per case: a third "
        "queued, a third claimed, a third one step further)",
        seed=_seed_exemption,
        site_pages=SITE_PAGES,
        flow="ExemptionFlow",
    ),
    "ZG": Kind(
        code="ZG",
        section="## Rectification list pages (workflows.lists, department desk)",
        description="Bulk-seeded rectification cases under way (half GUET, half GXNU; 4 task rows, one G01 item "
        "verified by 人事处 per case: a third awaiting evidence, a third awaiting acceptance, a third returned)",
        seed=_seed_rectification,
        site_pages={**SITE_PAGES, "desk": "/rectification/desk/"},
        flow="RectificationFlow",
    ),
    "XK": Kind(
        code="XK",
        section="## Licensing lists (workflows.licensing)",
        description="Bulk-seeded licensing cases (bench/licensing_seed.py: half GUET, half GXNU, alternating "
        "between the two demo companies, half paying with an open instalment, one portal application per ten "
        "cases; the portal pages on the case id, 50 a page, no count, and reads the dues of the shown page only)",
        seed=_seed_licensing,
        site_pages={"portal": "/licences/", "applications": "/licences/applications/"},
    ),
}
KIND = KINDS[os.environ.get("LISTS_BENCH_KIND", "MZ")]


def _flow_app(flow_name):
    from composition.site import site

    return next(
        app
        for app in site.viewsets
        if isinstance(app, ToleranceFlowAppViewset) and app._flow_class.__name__ == flow_name
    )


def _use_database(name):
    """Point the default connection at another database of the same server."""
    connection.close()
    connection.settings_dict["NAME"] = name


def _create_database(name):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


def _prepare(size, viewers):
    """Migrate, seed the demo users and `size` cases of the kind; return a logged-in client per viewer."""
    call_command("migrate", verbosity=0)
    institutions = demo.seed_institutions()
    users = demo.seed_users(institutions)
    missing = size - Case.objects.filter(case_type=KIND.code).count()
    if missing > 0:
        KIND.seed(missing, institutions, users)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clients = {}
    for viewer in viewers:
        clients[viewer] = Client()
        clients[viewer].force_login(users[viewer])
    return clients


def _open_pages(databases, clients, urls, viewers):
    """(page, viewer) pairs the viewer may open (200 at the first size)."""
    _use_database(databases[SIZES[0]])
    return [
        (page, viewer)
        for page, url in urls.items()
        for viewer in viewers
        if clients[SIZES[0]][viewer].get(url).status_code == 200
    ]


def _measure(databases, clients, urls, viewers):
    """{(size, page, viewer): (median ms, queries, bytes)}, sizes interleaved round by round."""
    pairs = _open_pages(databases, clients, urls, viewers)
    timings = {(size, page, viewer): [] for size in SIZES for page, viewer in pairs}
    facts = {}
    for round_number in range(WARM_RUNS + ROUNDS):
        for size in SIZES:
            _use_database(databases[size])
            for page, viewer in pairs:
                client = clients[size][viewer]
                client.get(urls[page])  # the first request on a fresh connection warms its caches
                started = time.perf_counter()
                response = client.get(urls[page])
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, urls[page]
                if round_number >= WARM_RUNS:
                    timings[(size, page, viewer)].append(elapsed)
                if (size, page, viewer) not in facts:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(urls[page])
                    facts[(size, page, viewer)] = (len(captured), len(response.content))
    return {key: (statistics.median(values) * 1000, *facts[key]) for key, values in timings.items()}


def _write_section(rows, loads):
    small_size, large_size = SIZES[0], SIZES[-1]
    lines = [
        KIND.section,
        "",
        f"`LISTS_BENCH_KIND={KIND.code} bench/lists_bench.py`, {MACHINE}. {KIND.description}; each page requested",
        f"through the Django test client, logged in, warm; median of {ROUNDS} requests, the two sizes' databases",
        "alternating round by round (the machine is shared, so load hits both alike). `index` is the dashboard",
        "(one query per step), the flow's other pages the keyset-paged lists; the page size is constant.",
        "",
        f"| page | viewer | {small_size:,}: ms | queries | {large_size:,}: ms | queries | time ratio "
        f"| page KB ({large_size:,}) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page, viewer, small, large in rows:
        lines.append(
            f"| {page} | {viewer} | {small[0]:.1f} | {small[1]} | {large[0]:.1f} | {large[1]} "
            f"| {large[0] / small[0]:.2f} | {large[2] / 1024:.0f} |"
        )
    ratios = [large[0] / small[0] for _page, _viewer, small, large in rows]
    same_queries = all(small[1] == large[1] for _page, _viewer, small, large in rows)
    lines += [
        "",
        f"Time ratio {large_size:,} / {small_size:,}: {min(ratios):.2f}–{max(ratios):.2f} (target ≤ 1.3); query "
        + ("counts identical at both sizes." if same_queries else "counts DIFFER between the sizes."),
        f"Load average (1 min) at the start and the end of the measured rounds: {loads[0]:.1f}, {loads[1]:.1f}.",
    ]
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if KIND.section in text:
        before, _, rest = text.partition(KIND.section)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def main():
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL: set DATABASE_URL=postgres://… (see the module docstring)")
    setup_test_environment()
    viewers = tuple(os.environ.get("LISTS_BENCH_VIEWERS", VIEWERS).split(","))
    base_name = connection.settings_dict["NAME"]
    suffix = "" if KIND.code == "MZ" else f"_{KIND.code.lower()}"
    databases = {size: f"{base_name}{suffix}_{size}" for size in SIZES}
    clients = {}
    for size, name in databases.items():
        _create_database(name)
        _use_database(name)
        clients[size] = _prepare(size, viewers)
    urls = dict(KIND.site_pages)
    if KIND.flow:
        urls.update({page: _flow_app(KIND.flow).reverse(page) for page in FLOW_PAGES})
    load_before = os.getloadavg()[0]
    results = _measure(databases, clients, urls, viewers)
    for key, value in sorted(results.items()):
        print(key, value, flush=True)
    small, large = SIZES[0], SIZES[-1]
    rows = [
        (page, viewer, results[(small, page, viewer)], results[(large, page, viewer)])
        for page in urls
        for viewer in viewers
        if (small, page, viewer) in results
    ]
    _write_section(rows, (load_before, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
