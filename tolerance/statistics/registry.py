"""What each case type contributes to the statistics and the annual report, so the core imports none.

A case type registers, when its app is ready, three functions:
- `cells(cases, today)`: its pre-aggregated figures over a queryset of cases (rows of `grouped`), which
  the statistics job (tolerance.statistics.rollup) stores per institution, type and filing year;
- `page(figures, period)`: the statistics page's tables from those figures, summed over the page's filters;
- `annual(cases, year)`: the annual report's tables, computed from the dated facts of the visible cases.
Each of `page` and `annual` returns a list of StatisticsTable.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Period:
    """The years a statistics page covers (filing years of the cases) and the day its 'now' figures use."""

    year_from: int | None
    year_to: int | None
    today: datetime.date


@dataclass(frozen=True)
class StatisticsTable:
    """One table of figures; `chart` names the (label column, value column) a bar chart is drawn from."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: tuple[int, int] | None = (0, 1)
    note: str = ""
    # For the small-cell suppression shown to supervisors (tolerance.statistics.masking): the columns
    # holding counts of cases or people; the column whose value groups rows adding up to a known total
    # (None: the whole column is one group); (column, count column) pairs of figures computed from a count
    # (a share, a median), hidden with it; and the number of cases behind the table's amounts of money.
    counts: tuple[int, ...] = ()
    group: int | None = None
    derived: tuple[tuple[int, int], ...] = ()
    support: int | None = None

    def as_record(self) -> dict:
        """Plain JSON (Decimals as strings), for a sealed report's recorded content."""
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [str(column) for column in self.columns],
            "rows": [[_plain(value) for value in row] for row in self.rows],
        }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float)):
        return value
    return str(value)


@dataclass(frozen=True)
class CaseStatistics:
    case_type: str
    cells: Callable | None = None
    page: Callable | None = None
    annual: Callable | None = None
    extra: dict = field(default_factory=dict)


_contributions: dict[str, CaseStatistics] = {}


def register_case_statistics(contribution: CaseStatistics) -> None:
    _contributions[contribution.case_type] = contribution


def case_statistics(case_type: str) -> CaseStatistics | None:
    return _contributions.get(case_type)


def case_statistics_all() -> list[CaseStatistics]:
    return [_contributions[code] for code in sorted(_contributions)]


def percent(part: int, whole: int) -> Decimal | None:
    """A share in per cent, one decimal; None for an empty whole (shown as a dash, never 0 %)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def percentile(histogram: dict[int, int], fraction: Decimal) -> int | None:
    """The nearest-rank percentile of values given as {value: count}: the smallest value with at least
    `fraction` of all counts at or below it (the median of 1, 2, 3, 4 is 2)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)
