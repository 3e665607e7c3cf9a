"""What 离岗创业合规整改 adds to the statistics and the annual report: items by gap code, overdue items,
origins (self-declared or found), and the 离岗创业 register by kind."""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from tolerance.models import CaseType
from tolerance.statistics.figures import grouped
from tolerance.statistics.registry import CaseStatistics, StatisticsTable, register_case_statistics
from workflows.rectification.catalogue import CatalogueItem
from workflows.rectification.models import Origin, RectificationDetails, RectificationItem
from workflows.rectification.register import RegisterEntry, RegisterKind


def _gaps_table(counts: dict) -> StatisticsTable:
    """Items by gap code, from {(gap code, item status): items}: all of them, accepted and not accepted."""
    by_code = defaultdict(lambda: [0, 0, 0])
    for (code, status), n in counts.items():
        row = by_code[code]
        row[0] += n
        row[1] += n if status == "passed" else 0
        row[2] += n if status == "failed" else 0
    titles = dict(CatalogueItem.objects.filter(code__in=by_code).values_list("code", "title"))
    return StatisticsTable(
        key="rectification_gaps",
        title=_("Rectification items by gap code"),
        columns=[_("Gap code"), _("Gap"), _("Items"), _("Accepted"), _("Not accepted")],
        rows=[[code, titles.get(code, ""), *by_code[code]] for code in sorted(by_code)],
        chart=(0, 2),
        counts=(2, 3, 4),
    )


def _items_by_gap(items) -> StatisticsTable:
    # Grouped by the gap's id, then named: no join to the catalogue over every item.
    counts = list(items.values_list("gap_id", "status").annotate(n=Count("id")).order_by())
    codes = dict(CatalogueItem.objects.filter(pk__in={row[0] for row in counts}).values_list("pk", "code"))
    by_code = defaultdict(int)
    for gap_id, status, n in counts:
        by_code[codes[gap_id], status] += n
    return _gaps_table(by_code)


def _origins_table(counts: dict) -> StatisticsTable:
    return StatisticsTable(
        key="rectification_origins",
        title=_("Rectification cases: self-declared or found"),
        columns=[_("Origin"), _("Cases")],
        rows=[[str(label), counts.get(value, 0)] for value, label in Origin.choices],
        counts=(1,),
    )


def cells(cases, today: datetime.date) -> list[dict]:
    """Items by gap code and status, cases by origin, and open items past their deadline on `today`."""
    items = RectificationItem.objects.filter(case__in=cases)
    return [
        *grouped(items, "gap_item", key="gap__code", detail="status"),
        *grouped(RectificationDetails.objects.filter(case__in=cases), "origin", key="origin"),
        *grouped(items.filter(due_on__lt=today).exclude(status__in=("passed", "failed")), "item_overdue"),
    ]


def page(figures, period) -> list[StatisticsTable]:
    return [
        _gaps_table(figures.counts("gap_item", "key", "detail")),
        _origins_table(figures.counts("origin", "key")),
        StatisticsTable(
            key="rectification_overdue",
            title=_("Rectification items overdue on %(date)s") % {"date": period.today.isoformat()},
            columns=[_("Items"), _("Overdue")],
            rows=[[_("open items past their deadline"), figures.count("item_overdue")]],
            chart=None,
            counts=(1,),
        ),
    ]


def _register(cases, year) -> StatisticsTable:
    """People on each mode at any time in `year` (the national report's 兼职 / 离岗创业 counts)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    institutions = cases.values("institution_id")
    entries = RegisterEntry.objects.filter(
        institution_id__in=institutions, approved_on__lte=last, start_on__lte=last, end_on__gte=first
    )
    counts = dict(entries.values_list("kind").annotate(n=Count("person_id", distinct=True)).order_by())
    returned = dict(entries.filter(returned_on__year=year).values_list("kind").annotate(n=Count("id")).order_by())
    return StatisticsTable(
        key="rectification_register",
        title=_("Register: people on each mode during the year"),
        columns=[_("Mode"), _("People"), _("Returned in the year")],
        rows=[[str(label), counts.get(value, 0), returned.get(value, 0)] for value, label in RegisterKind.choices],
        counts=(1, 2),
    )


def annual(cases, year) -> list[StatisticsTable]:
    return [_items_by_gap(RectificationItem.objects.filter(case__in=cases, case__year=year)), _register(cases, year)]


def register() -> None:
    register_case_statistics(CaseStatistics(case_type=CaseType.RECTIFICATION, cells=cells, page=page, annual=annual))
