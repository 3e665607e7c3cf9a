"""What 离岗创业合规整改 adds to the statistics and the annual report: items by gap code, overdue items,
origins (self-declared or found), and the 离岗创业 register by kind."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tolerance.models import CaseType
from tolerance.statistics.registry import CaseStatistics, StatisticsTable, register_case_statistics
from workflows.rectification.catalogue import CatalogueItem
from workflows.rectification.models import Origin, RectificationDetails, RectificationItem
from workflows.rectification.register import RegisterEntry, RegisterKind


def _items_by_gap(items) -> StatisticsTable:
    # Grouped by the gap's id, then named: no join to the catalogue over every item.
    counts = (
        items.values_list("gap_id")
        .annotate(
            total=Count("id"),
            passed=Count("id", filter=Q(status="passed")),
            failed=Count("id", filter=Q(status="failed")),
        )
        .order_by()
    )
    by_code = {}
    names = dict(CatalogueItem.objects.filter(pk__in=[row[0] for row in counts]).values_list("pk", "code"))
    titles = dict(CatalogueItem.objects.filter(pk__in=names).values_list("code", "title"))
    for gap_id, total, passed, failed in counts:
        row = by_code.setdefault(names[gap_id], [0, 0, 0])
        row[0], row[1], row[2] = row[0] + total, row[1] + passed, row[2] + failed
    return StatisticsTable(
        key="rectification_gaps",
        title=_("Rectification items by gap code"),
        columns=[_("Gap code"), _("Gap"), _("Items"), _("Accepted"), _("Not accepted")],
        rows=[[code, titles[code], *by_code[code]] for code in sorted(by_code)],
        chart=(0, 2),
    )


def _origins(cases) -> StatisticsTable:
    counts = dict(
        RectificationDetails.objects.filter(case__in=cases).values_list("origin").annotate(n=Count("id")).order_by()
    )
    return StatisticsTable(
        key="rectification_origins",
        title=_("Rectification cases: self-declared or found"),
        columns=[_("Origin"), _("Cases")],
        rows=[[str(label), counts.get(value, 0)] for value, label in Origin.choices],
    )


def page(cases, period) -> list[StatisticsTable]:
    items = RectificationItem.objects.filter(case__in=cases)
    overdue = items.filter(due_on__lt=period.today).exclude(status__in=("passed", "failed")).count()
    return [
        _items_by_gap(items),
        _origins(cases),
        StatisticsTable(
            key="rectification_overdue",
            title=_("Rectification items overdue on %(date)s") % {"date": period.today.isoformat()},
            columns=[_("Items"), _("Overdue")],
            rows=[[_("open items past their deadline"), overdue]],
            chart=None,
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
    )


def annual(cases, year) -> list[StatisticsTable]:
    return [_items_by_gap(RectificationItem.objects.filter(case__in=cases, case__year=year)), _register(cases, year)]


def register() -> None:
    register_case_statistics(CaseStatistics(case_type=CaseType.RECTIFICATION, page=page, annual=annual))
