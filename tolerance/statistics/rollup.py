"""The statistics job: every figure of the statistics page, pre-aggregated per institution, case type and
filing year (StatisticsCell), so the page sums a few thousand rows instead of scanning every case.

A full rebuild, not an incremental one: the figures read facts that change without any change marker
(an instalment waived, a receipt corrected, a spell closed) and figures that change with the date alone
(overdue on today), so an incremental build would need a marker written by every transition and ledger
service. A rebuild is every figure's GROUP BY once (about the cost of one statistics page before the
rollup: 1–2 s at 100,000 cases a type) and replaces the rows in one transaction, so a page reads the
old figures or the new ones, never a mix. The page states the time of the build ("统计截至 …").
"""

import time
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tolerance.case_types import case_type_specs
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.models import Case, CaseStageSpell
from tolerance.scheduling import register_job
from tolerance.statistics.figures import grouped
from tolerance.statistics.models import StatisticsCell, StatisticsRollup
from tolerance.statistics.registry import case_statistics

JOB_NAME = "statistics.rollup"
# How stale the page may be: it says "统计截至 <time>"; a build costs about one pre-rollup page.
REBUILD_EVERY = timedelta(minutes=5)


def core_cells(cases, today) -> list[dict]:
    """Cases by stage; decisions in force by kind and outcome; finished stays by stage and working days
    (a histogram, so the median and 90th percentile stay exact); open cases overdue on `today`."""
    kinds = [spec.decision_kind for spec in case_type_specs()]
    open_cases = Q(process__isnull=True) | Q(process__finished__isnull=True)
    return [
        *grouped(cases, "cases", case_path="", key="stage"),
        *grouped(
            Decision.objects.filter(case__in=cases, status=DecisionStatus.IN_FORCE, kind__in=kinds),
            "outcome",
            key="kind",
            detail="outcome",
        ),
        *grouped(
            CaseStageSpell.objects.filter(case__in=cases, left_on__isnull=False),
            "stay",
            key="stage",
            number="working_days",
        ),
        *grouped(cases.filter(open_cases, next_due__lt=today), "overdue", case_path="", key="stage"),
    ]


def rollup_cells(today) -> list[dict]:
    cases = Case.objects.order_by()
    cells = core_cells(cases, today)
    for spec in case_type_specs():
        contribution = case_statistics(spec.code)
        if contribution is not None and contribution.cells is not None:
            cells.extend(contribution.cells(cases.filter(case_type=spec.code), today))
    return cells


def statistics_rollup_build(now=None) -> StatisticsRollup:
    """Rebuild every stored figure as of `now` (the job's run; tests call it before reading the page)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    started = time.perf_counter()
    with transaction.atomic():
        # The rows are computed inside the transaction that replaces them: on PostgreSQL each statement
        # sees the data as it stands then; a concurrent build waits on the rollup row's lock.
        rollup = StatisticsRollup.objects.select_for_update().filter(pk=1).first()
        cells = rollup_cells(today)
        StatisticsCell.objects.all().delete()
        StatisticsCell.objects.bulk_create([StatisticsCell(**cell) for cell in cells], batch_size=2000)
        seconds = Decimal(f"{time.perf_counter() - started:.2f}")
        values = {"built_at": now, "as_of": today, "cells": len(cells), "seconds": seconds}
        if rollup is None:
            rollup = StatisticsRollup.objects.create(pk=1, **values)
        else:
            StatisticsRollup.objects.filter(pk=1).update(**values)
            rollup.refresh_from_db()
    return rollup


def statistics_rollup_current() -> StatisticsRollup:
    """The last build; built now if there was none yet (a fresh deployment before its first job run)."""
    return StatisticsRollup.objects.filter(pk=1).first() or statistics_rollup_build()


def register() -> None:
    register_job(JOB_NAME, every=REBUILD_EVERY, run=statistics_rollup_build)
