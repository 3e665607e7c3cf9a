"""Flow list pages at 1,000 and 100,000 cases: median time and query count per page.

`LISTS_BENCH_CASE_TYPE=ZG` measures the rectification flow instead of the exemption's (its own databases,
`<name>_zg_<size>`, its lists, the department desk, and its own section of docs/benchmarks.md).

Usage (PostgreSQL on 127.0.0.1, user postgres; creates one scratch database per size, named
`<DATABASE_URL's database>_<size>`, and reuses them on later runs):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tol_lists_bench DJANGO_DEBUG=true \\
        TOLERANCE_VAR_DIR=/tmp/lists-bench-var .venv/bin/python bench/lists_bench.py

Seeds with bulk inserts (bench/lists_seed.py), analyses (the step indexes come from migration
workflows 0002), then requests every
list page through the Django test client (warm, logged in), alternating between the databases
round by round so that load from elsewhere on the machine hits both sizes alike, and writes the
"Flow list pages" section of docs/benchmarks.md.
"""

import os
import pathlib
import statistics
import sys
import time

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
from workflows.rectification.demo import seed_case_type_policies  # noqa: E402
from workflows.rectification.policy import catalogue_load_all  # noqa: E402
from workflows.viewsets import ToleranceFlowAppViewset  # noqa: E402

CASE_TYPE = os.environ.get("LISTS_BENCH_CASE_TYPE", "MZ")
SIZES = tuple(int(size) for size in os.environ.get("LISTS_BENCH_SIZES", "1000,100000").split(","))
WARM_RUNS = 3
ROUNDS = int(os.environ.get("LISTS_BENCH_ROUNDS", "31"))
PAGES = ("index", "inbox", "queue", "archive", "process_list", "task_list")
# Every kind of viewer: officer, second officer, chair, member, researcher, licensee, supervisor, department
# verifier. A page a viewer may not open (researchers and licensees have no flow pages) is left out.
DEFAULT_VIEWERS = {
    "MZ": "officer_guet,reviewer_guet,chair_guet,member1_guet,researcher_zhang,licensee_demo,supervisor_city,hr_guet",
    # The rectification's: the officer, a committee member, the researcher and a department verifier.
    "ZG": "officer_guet,member1_guet,researcher_zhang,hr_guet",
}
VIEWERS = tuple(os.environ.get("LISTS_BENCH_VIEWERS", DEFAULT_VIEWERS[CASE_TYPE]).split(","))
# The pages every viewer has besides the flow's: the home page and the case list (and the rectification's
# department desk).
SITE_PAGES = {"home": "/", "cases": "/cases/"}
if CASE_TYPE == "ZG":
    SITE_PAGES["desk"] = "/rectification/desk/"
SECTION_TITLE = {
    "MZ": "## Flow list pages (workflows.lists)",
    "ZG": "## Rectification list pages (workflows.lists, department desk)",
}[CASE_TYPE]
DESCRIPTION = {
    "MZ": "Bulk-seeded exemption cases (half GUET, half GXNU; about 3.3 task rows per case: a third queued, a "
    "third claimed, a third one step further), each page",
    "ZG": "Bulk-seeded rectification cases under way (half GUET, half GXNU; 4 task rows, one G01 item "
    "verified by 人事处 per case: a third awaiting evidence, a third awaiting acceptance, a third returned), each page",
}
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"


def _flow_app():
    from composition.site import site
    from workflows.rectification.flow import RectificationFlow

    apps = [app for app in site.viewsets if isinstance(app, ToleranceFlowAppViewset)]
    if CASE_TYPE == "ZG":
        return next(app for app in apps if app._flow_class is RectificationFlow)
    return apps[0]


def _use_database(name):
    """Point the default connection at another database of the same server."""
    connection.close()
    connection.settings_dict["NAME"] = name


def _create_database(name):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


def _prepare(size):
    """Migrate, seed the demo users and `size` cases, add the proposed indexes; return logged-in clients."""
    call_command("migrate", verbosity=0)
    institutions = demo.seed_institutions()
    users = demo.seed_users(institutions)
    missing = size - Case.objects.filter(case_type=CASE_TYPE).count()
    if CASE_TYPE == "ZG":
        seed_case_type_policies(institutions)
        for code in ("GUET", "GXNU"):
            catalogue_load_all(institutions[code])
        if missing > 0:
            seed_rectification_cases(
                flow_class=_flow_app()._flow_class,
                count=missing,
                institutions={"GUET": institutions["GUET"], "GXNU": institutions["GXNU"]},
                filer={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
                reviewer={"GUET": users["reviewer_guet"], "GXNU": users["reviewer_gxnu"]},
                subject={"GUET": users["researcher_zhang"], "GXNU": users["researcher_gxnu"]},
            )
    elif missing > 0:
        seed_exemption_cases(
            flow_class=_flow_app()._flow_class,
            count=missing,
            institutions={"GUET": institutions["GUET"], "GXNU": institutions["GXNU"]},
            filer={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
            reviewer={"GUET": users["reviewer_guet"], "GXNU": users["officer_gxnu"]},
            investigator={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
            subject={"GUET": users["researcher_zhang"], "GXNU": users["researcher_gxnu"]},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clients = {}
    for viewer in VIEWERS:
        clients[viewer] = Client()
        clients[viewer].force_login(users[viewer])
    return clients


def _timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, url
    return elapsed, response


def _open_pages(databases, clients, urls):
    """(page, viewer) pairs the viewer may open (200 at the first size)."""
    _use_database(databases[SIZES[0]])
    return [
        (page, viewer)
        for page, url in urls.items()
        for viewer in VIEWERS
        if clients[SIZES[0]][viewer].get(url).status_code == 200
    ]


def _measure(databases, clients, urls):
    """{(size, page, viewer): (median ms, queries, bytes)}, sizes interleaved round by round."""
    pairs = _open_pages(databases, clients, urls)
    timings = {(size, page, viewer): [] for size in SIZES for page, viewer in pairs}
    facts = {}
    for round_number in range(WARM_RUNS + ROUNDS):
        for size in SIZES:
            _use_database(databases[size])
            for page, viewer in pairs:
                url = urls[page]
                client = clients[size][viewer]
                client.get(url)  # the first request on a fresh connection warms its caches
                elapsed, response = _timed_get(client, url)
                if round_number >= WARM_RUNS:
                    timings[(size, page, viewer)].append(elapsed)
                if (size, page, viewer) not in facts:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(url)
                    facts[(size, page, viewer)] = (len(captured), len(response.content))
    return {key: (statistics.median(values) * 1000, *facts[key]) for key, values in timings.items()}


def _write_section(rows):
    lines = [
        SECTION_TITLE,
        "",
        f"`bench/lists_bench.py`{' with LISTS_BENCH_CASE_TYPE=ZG' if CASE_TYPE == 'ZG' else ''}, {MACHINE}. "
        + DESCRIPTION[CASE_TYPE],
        f"requested through the Django test client, logged in, warm; median of {ROUNDS} requests, the",
        "two sizes' databases alternating round by round (the machine is shared, so load hits both alike).",
        "`index` is the dashboard (one query per step), the others the keyset-paged lists; the page size",
        "is constant (no per-case choices). Migration workflows 0002 adds step indexes: viewflow declares no index",
        "on the task's step, so without it a dashboard column or a step filter for a step with no open",
        "tasks reads the whole task table.",
        "",
        f"| page | viewer | {SIZES[0]:,}: ms | queries | {SIZES[-1]:,}: ms | queries | time ratio | page KB ({SIZES[-1]:,}) |",
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
        f"Time ratio {SIZES[-1]:,} / {SIZES[0]:,}: {min(ratios):.2f}–{max(ratios):.2f} (target ≤ 1.3); query counts "
        + ("identical at both sizes." if same_queries else "DIFFER between the sizes."),
        "Most of each page's time is Python (template rendering), not SQL; absolute times are inflated",
        "by other work on the shared machine, which the alternating rounds spread over both sizes.",
    ]
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION_TITLE in text:
        before, _, rest = text.partition(SECTION_TITLE)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def main():
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL: set DATABASE_URL=postgres://… (see the module docstring)")
    if os.environ.get("LISTS_BENCH_KIND") == "licensing":
        return licensing_main()
    setup_test_environment()
    base_name = connection.settings_dict["NAME"]
    suffix = "_zg" if CASE_TYPE == "ZG" else ""
    databases = {size: f"{base_name}{suffix}_{size}" for size in SIZES}
    clients = {}
    for size, name in databases.items():
        _create_database(name)
        _use_database(name)
        clients[size] = _prepare(size)
    flow_app = _flow_app()
    urls = {**SITE_PAGES, **{page: flow_app.reverse(page) for page in PAGES}}
    results = _measure(databases, clients, urls)
    for key, value in sorted(results.items()):
        print(key, value, flush=True)
    small, large = SIZES[0], SIZES[-1]
    rows = [
        (page, viewer, results[(small, page, viewer)], results[(large, page, viewer)])
        for page in urls
        for viewer in VIEWERS
        if (small, page, viewer) in results
    ]
    _write_section(rows)


# Licensing lists (LISTS_BENCH_KIND=licensing): the portal and the applications list, for the officer and
# the licensee contact, at the same sizes, written to their own section.

LICENSING_SECTION = "## Licensing lists (workflows.licensing)"
LICENSING_VIEWERS = ("officer_guet", "licensee_demo")
LICENSING_PAGES = {"portal": "/licences/", "applications": "/licences/applications/"}


def _prepare_licensing(size):
    from bench.licensing_seed import seed_licensing_cases
    from workflows.licensing import demo_data

    call_command("migrate", verbosity=0)
    institutions = demo.seed_institutions()
    users = demo.seed_users(institutions)
    companies = demo_data.seed_companies(users)
    missing = size - Case.objects.filter(case_type="XK").count()
    if missing > 0:
        seed_licensing_cases(
            count=missing,
            start=size - missing,
            institutions=institutions,
            companies=companies,
            filer={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clients = {}
    for viewer in LICENSING_VIEWERS:
        clients[viewer] = Client()
        clients[viewer].force_login(users[viewer])
    return clients


def _licensing_section(rows):
    lines = [
        LICENSING_SECTION,
        "",
        f"`LISTS_BENCH_KIND=licensing bench/lists_bench.py`, {MACHINE}. Bulk-seeded licensing cases",
        "(bench/licensing_seed.py: half GUET, half GXNU, alternating between the two demo companies, half paying",
        "with an open instalment, one portal application per ten cases); each page through the Django test",
        f"client, logged in, warm; median of {ROUNDS} requests, the sizes alternating round by round. The portal",
        "pages on the case id (50 a page, no count) and reads the dues of the shown page only.",
        "",
        f"| page | viewer | {SIZES[0]:,}: ms | queries | {SIZES[-1]:,}: ms | queries | time ratio | page KB ({SIZES[-1]:,}) |",
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
        f"Time ratio {SIZES[-1]:,} / {SIZES[0]:,}: {min(ratios):.2f}–{max(ratios):.2f} (target ≤ 1.3); query counts "
        + ("identical at both sizes." if same_queries else "DIFFER between the sizes."),
        f"Load average (1 min) at the end of the run: {os.getloadavg()[0]:.1f}.",
    ]
    section = "\n".join(lines) + "\n"
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    if LICENSING_SECTION in text:
        before, _, rest = text.partition(LICENSING_SECTION)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def licensing_main():
    global VIEWERS
    setup_test_environment()
    base_name = connection.settings_dict["NAME"]
    databases = {size: f"{base_name}_lic_{size}" for size in SIZES}
    clients = {}
    for size, name in databases.items():
        _create_database(name)
        _use_database(name)
        clients[size] = _prepare_licensing(size)
    VIEWERS = LICENSING_VIEWERS  # _open_pages and _measure read the viewers from here
    results = _measure(databases, clients, LICENSING_PAGES)
    for key, value in sorted(results.items()):
        print(key, value, flush=True)
    small, large = SIZES[0], SIZES[-1]
    rows = [
        (page, viewer, results[(small, page, viewer)], results[(large, page, viewer)])
        for page in LICENSING_PAGES
        for viewer in LICENSING_VIEWERS
        if (small, page, viewer) in results
    ]
    _licensing_section(rows)


if __name__ == "__main__":
    main()
