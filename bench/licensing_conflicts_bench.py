"""The licence conflict check at 1,000 and 100,000 licences of one institution: median time per check.

Usage (PostgreSQL on 127.0.0.1; creates and keeps the scratch database test_<name of DATABASE_URL>):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tol_lic DJANGO_DEBUG=true \\
        TOLERANCE_VAR_DIR=/tmp/lic-bench-var .venv/bin/python bench/licensing_conflicts_bench.py

Seeds with bulk inserts: licences spread over 20,000 results (five per result on average at 100,000),
the requested result among them with its share; then times `licence_conflicts_find` for one request,
first at 1,000 licences, then after topping up to 100,000, and prints the medians. Target: ≤ 50 ms at
100,000 (issue 12).
"""

import datetime
import os
import pathlib
import statistics
import sys
import time
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolerance.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = 31
RESULTS = 20_000


def _seed(institution, users, results, start, count):
    from tolerance.models import Case, CaseType
    from workflows.licensing.models import LicenceGrant, LicensingStage

    today = datetime.date.today()
    cases = Case.objects.bulk_create(
        [
            Case(
                institution=institution,
                case_type=CaseType.PAY_AFTER_USE,
                year=2000,
                sequence=start + index,
                number=f"BENCH-XK-{start + index:07d}",
                title="bench",
                filed_by=users["officer_guet"],
                stage=LicensingStage.PAYING if index % 2 else LicensingStage.FREE_USE,
            )
            for index in range(count)
        ],
        batch_size=5000,
    )
    LicenceGrant.objects.bulk_create(
        [
            LicenceGrant(
                institution=institution,
                result_id=results[(start + index) % len(results)],
                case=case,
                licence_type=("ordinary", "sole", "exclusive")[index % 3],
                fields_of_use=["G01S"] if index % 2 else ["H04B"],
                territories=["450000"],
                start_on=today - datetime.timedelta(days=index % 900),
                end_on=today + datetime.timedelta(days=index % 1500),
            )
            for index, case in enumerate(cases)
        ],
        batch_size=5000,
    )


def _time(case):
    from workflows.licensing.conflict_service import licence_conflicts_find

    for _ in range(3):
        licence_conflicts_find(case)
    samples = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        found = licence_conflicts_find(case)
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), len(found)


def _analyse():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    from tolerance import demo
    from workflows.driver import flow_start
    from workflows.exemption.demo import seed_case_type_policies
    from workflows.licensing import demo_data, services
    from workflows.licensing.flow import LicensingFlow
    from workflows.licensing.models import Result

    institutions = demo.seed_institutions()
    seed_case_type_policies(institutions)
    users = demo.seed_users(institutions)
    demo_data.seed_policies(institutions)
    companies = demo_data.seed_companies(users)
    guet = institutions["GUET"]
    today = datetime.date.today()
    Result.objects.bulk_create(
        [
            Result(
                institution=guet,
                number=f"ZLBENCH{index:06d}",
                title="bench",
                maturity="pilot",
                expires_on=today + datetime.timedelta(days=6000),
                annuity_paid_until=today + datetime.timedelta(days=365),
            )
            for index in range(RESULTS)
        ],
        batch_size=5000,
    )
    results = list(Result.objects.filter(institution=guet).order_by("pk").values_list("pk", flat=True))
    officer = users["officer_guet"]
    request = services.LicenceRequest(
        title="bench request",
        company=companies["licensee_demo"],
        results=[Result.objects.get(pk=results[7])],
        intended_use="bench",
        licence_type="exclusive",
        fields_of_use=["G01S"],
        territories=["450300"],
        start_on=today,
        end_on=today + datetime.timedelta(days=1000),
        free_use_months=12,
        trigger_mode="any_of",
        trigger_date=today + datetime.timedelta(days=365),
        trigger_milestone="",
        trigger_revenue=None,
        payment_mode="lump",
        fee_total=Decimal("1000.00"),
        valuation_reference="bench",
    )
    case = flow_start(
        LicensingFlow,
        officer,
        lambda process: services.licensing_file(process=process, institution=guet, filed_by=officer, request=request),
    )
    _seed(guet, users, results, 0, 1_000)
    _analyse()
    small = _time(case)
    _seed(guet, users, results, 1_000, 99_000)
    _analyse()
    large = _time(case)
    print(f"{connection.vendor}: 1,000 licences: {small[0]:.2f} ms median ({small[1]} conflicts)")
    print(f"{connection.vendor}: 100,000 licences: {large[0]:.2f} ms median ({large[1]} conflicts)")


if __name__ == "__main__":
    main()
