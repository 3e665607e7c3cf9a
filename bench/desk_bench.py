"""The working desk: search at 100,000 cases (median through the case list page, PostgreSQL, pg_trgm), and
what the notification fan-out adds to a transition (ratio, the two arms interleaved).

Usage (PostgreSQL on 127.0.0.1; seeds the database of DATABASE_URL once and reuses it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tol_desk DJANGO_DEBUG=true \\
        TOLERANCE_VAR_DIR=/tmp/desk-bench-var .venv/bin/python bench/desk_bench.py

Writes the "Working desk" section of docs/benchmarks.md.
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
from django.db import connection  # noqa: E402
from django.db.models.signals import post_init, post_save, pre_save  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from viewflow.workflow.models import Task  # noqa: E402

from bench.lists_seed import seed_exemption_cases  # noqa: E402
from tolerance import demo  # noqa: E402
from tolerance.models import Case  # noqa: E402
from tolerance.notifications import handoffs  # noqa: E402

SIZE = int(os.environ.get("DESK_BENCH_SIZE", "100000"))
ROUNDS = 31
TRANSITIONS = 15
SECTION_TITLE = "## Working desk (search, notification fan-out)"
MACHINE = "2 cores, 24 GiB, Debian 12, Python 3.11, PostgreSQL 15"
# A number, a title fragment, a person, a company: one hit, a few, half the table, a few dozen.
QUERIES = {
    "no search (the plain list, for comparison)": "",
    "case number": "GUET-MZ-2001-0042",
    "title": "认定（4242）",
    "person": "张三",
    "company": "桂林企业4242",
}


def _seed(users, institutions):
    from workflows.exemption.flow import ExemptionFlow

    missing = SIZE - Case.objects.filter(case_type="MZ").count()
    if missing > 0:
        seed_exemption_cases(
            flow_class=ExemptionFlow,
            count=missing,
            institutions={"GUET": institutions["GUET"], "GXNU": institutions["GXNU"]},
            filer={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
            reviewer={"GUET": users["reviewer_guet"], "GXNU": users["officer_gxnu"]},
            investigator={"GUET": users["officer_guet"], "GXNU": users["officer_gxnu"]},
            subject={"GUET": users["researcher_zhang"], "GXNU": users["researcher_gxnu"]},
        )
    # The bulk seed writes no search text: the words filing would have put there, and a company per case.
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE tolerance_case c SET search_text = lower(c.number || ' ' || c.title || ' ' || i.name_zh
                 || ' ' || fp.real_name || ' ' || coalesce((SELECT string_agg(p.real_name, ' ')
                 FROM tolerance_casesubject s JOIN tolerance_profile p ON p.user_id = s.user_id
                 WHERE s.case_id = c.id), '') || ' 桂林企业' || (c.id % 5000))
               FROM tolerance_institution i, tolerance_profile fp
               WHERE i.id = c.institution_id AND fp.user_id = c.filed_by_id AND c.search_text = ''"""
        )
        cursor.execute("ANALYZE")


def _search(client):
    timings = {name: [] for name in QUERIES}
    for _round in range(ROUNDS + 2):
        for name, query in QUERIES.items():
            started = time.perf_counter()
            response = client.get("/cases/", {"q": query} if query else {})
            timings[name].append(time.perf_counter() - started)
            assert response.status_code == 200
    return {name: statistics.median(values[2:]) * 1000 for name, values in timings.items()}


def _notifications(on: bool):
    models = [model for model in django.apps.apps.get_models() if issubclass(model, Task)]
    for model in models:
        label = model._meta.label
        if on:
            pre_save.connect(handoffs._before_save, sender=model, dispatch_uid=f"notifications.task_before.{label}")
            post_save.connect(handoffs._after_save, sender=model, dispatch_uid=f"notifications.task_after.{label}")
            post_init.connect(handoffs._loaded, sender=model, dispatch_uid=f"notifications.task_loaded.{label}")
        else:
            pre_save.disconnect(sender=model, dispatch_uid=f"notifications.task_before.{label}")
            post_save.disconnect(sender=model, dispatch_uid=f"notifications.task_after.{label}")
            post_init.disconnect(sender=model, dispatch_uid=f"notifications.task_loaded.{label}")


def _fan_out(users):
    """The completeness check of a fresh filing, whose next task (investigation) is offered to the
    institution's officers: with the hand-off notices (and their queued e-mails: the scheduler sends them,
    not the request) and without, alternately; once
    as the reviewer does it through the pages (claim, then submit the form: the request's whole time) and
    once from code (workflows.driver: the transition alone, where the claim is a hand-over from nobody, so
    it is told too)."""
    from tests.factories import exemption_case_filed
    from workflows.driver import task_complete
    from workflows.exemption import services as exemption
    from workflows.exemption.models import IntakeResult
    from workflows.flows import ExemptionFlow

    reviewer = users["reviewer_guet"]
    client = Client()
    client.force_login(reviewer)
    node = ExemptionFlow.check_completeness

    def through_pages(case):
        task = Task.objects.get(process_id=case.process_id, flow_task=node)
        for action, data in (("assign", {}), ("execute", {"result": "accepted", "reason": ""})):
            response = client.post(node.reverse(action, args=[case.process_id, task.pk]), data)
            assert response.status_code == 302, response.content[:2000]

    def from_code(case):
        task_complete(
            case,
            "check_completeness",
            reviewer,
            lambda: exemption.intake_review_record(
                case=case, reviewed_by=reviewer, result=IntakeResult.ACCEPTED, reason=""
            ),
        )

    results = {}
    for name, transition in (("pages", through_pages), ("code", from_code)):
        arms = {True: [], False: []}
        for number in range(TRANSITIONS + 2):
            for on in (True, False) if number % 2 == 0 else (False, True):
                _notifications(on)
                case = exemption_case_filed(filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])
                started = time.perf_counter()
                transition(case)
                arms[on].append(time.perf_counter() - started)
        _notifications(True)
        results[name] = tuple(statistics.median(arms[on][2:]) * 1000 for on in (True, False))
    return results


def _write_section(search, fan_out, loads):
    lines = [
        SECTION_TITLE,
        "",
        f"`bench/desk_bench.py`, {MACHINE}. The machine is shared with other engineers' work: load average",
        f"(1 min) {loads[0]:.1f} at the start, {loads[1]:.1f} between the parts, {loads[2]:.1f} at the end (2 cores).",
        "",
        f"**Search** at {SIZE:,} bulk-seeded cases (half GUET, half GXNU): the case list page through the",
        f"Django test client as officer_guet (sees 50,000), warm, median of {ROUNDS} requests per query,",
        "queries interleaved. The pg_trgm GIN index on `Case.search_text` (migration tolerance 0007) answers",
        "the substring match; the page reads 51 rows ordered by id, with no COUNT.",
        "",
        "| query | matches | p50 ms |",
        "|---|---|---:|",
    ]
    for name, ms in search.items():
        matches = Case.objects.filter(search_text__contains=QUERIES[name].lower()).count()
        lines.append(f"| {name} (`{QUERIES[name]}`) | {matches:,} | {ms:.1f} |")
    lines += [
        "",
        "Target: p50 ≤ 100 ms. The first row is the same page without a search: the difference is what",
        "searching costs; the rest is the page itself (rendering, menus) on a loaded machine.",
        "",
        "**Notification fan-out**: the completeness check of a fresh filing, whose next task is offered to the",
        "GUET officers, with the hand-off notices (the notice and its e-mail row, written in the transition's",
        "transaction; the scheduler's `notifications.email` job sends the e-mail later, outside the request) and",
        "with the hooks disconnected, the two arms alternating (who goes first alternates too);",
        f"median of {TRANSITIONS} each. Through the pages: the reviewer claims and submits the form (two",
        "requests, the user's whole wait; one notice). From code: the transition alone (workflows.driver),",
        "where the claim counts as a hand-over from nobody, so the reviewer is told too (two notices).",
        "",
        "| transition | with notices ms | without ms | ratio |",
        "|---|---:|---:|---:|",
        *(
            f"| {label} | {fan_out[name][0]:.1f} | {fan_out[name][1]:.1f} | {fan_out[name][0] / fan_out[name][1]:.2f} |"
            for name, label in (("pages", "claim + execute through the pages"), ("code", "from code (driver)"))
        ),
        "",
        "Target: ratio ≤ 1.10.",
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
    path.write_text(text)


def main():
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL: set DATABASE_URL=postgres://… (see the module docstring)")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    institutions = demo.seed_institutions()
    users = demo.seed_users(institutions)
    call_command("load_policy", verbosity=0)
    from workflows.exemption.demo import seed_case_type_policies

    seed_case_type_policies(institutions)
    _seed(users, institutions)
    client = Client()
    client.force_login(users["officer_guet"])
    loads = [os.getloadavg()[0]]
    search = _search(client)
    print("search", search, flush=True)
    loads.append(os.getloadavg()[0])
    fan_out = _fan_out(users)
    print("fan-out", fan_out, flush=True)
    loads.append(os.getloadavg()[0])
    _write_section(search, fan_out, loads)


if __name__ == "__main__":
    main()
