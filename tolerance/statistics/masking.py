"""Small-cell suppression of the figures shown to supervisors (data minimisation: a count of one or two
cases can point at a person). The institution's own staff see exact numbers.

The rule, for every table a supervisor sees (page, CSV/XLSX export and annual report alike):
1. A count from 1 to the threshold less one (StatisticsPolicy, 3 by default) is shown as "<3". Zero is
   shown: no one is behind it.
2. What is computed from a masked count is withheld ("×"): its share in per cent, the median and 90th
   percentile of so few stays (they would be the stays themselves).
3. So that no masked count can be worked out as a known total less the others: where, in a group of
   rows adding up to a total (the whole column; in two-level tables the rows of one case type), exactly
   one count is masked, the smallest other non-zero count of the group is withheld too ("×"), with what
   is computed from it (a shown count and its share give the whole, so shares make a total known too).
4. Amounts of money behind fewer cases than the threshold are withheld ("×").
This protects each table against its own totals and shares. Differencing across tables or across
filters (all years less the other years) is not prevented: that needs complementary suppression over
every table and filter at once, which no statistics page here attempts.
"""

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext as _

from tolerance.selectors.cases import user_is_supervisor_only
from tolerance.statistics.models import StatisticsPolicy
from tolerance.statistics.registry import StatisticsTable

WITHHELD = "×"
DEFAULT_THRESHOLD = 3


def small_cell_threshold() -> int:
    policy = StatisticsPolicy.objects.filter(pk=1).first()
    return policy.small_cell_threshold if policy is not None else DEFAULT_THRESHOLD


def user_sees_masked_figures(user) -> bool:
    """Supervisors (not the operator, not anyone who is also an institution's staff)."""
    return user_is_supervisor_only(user)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def table_masked(table: StatisticsTable, threshold: int) -> StatisticsTable:
    """`table` with its small counts masked and what would reveal them withheld (the module's rule)."""
    rows = [list(row) for row in table.rows]
    small = {(r, c) for c in table.counts for r, row in enumerate(rows) if _is_count(row[c]) and 0 < row[c] < threshold}
    withheld = set()
    for c in table.counts:
        groups = defaultdict(list)
        for r, row in enumerate(rows):
            groups[row[table.group] if table.group is not None else None].append(r)
        for members in groups.values():
            if sum((r, c) in small for r in members) != 1:
                continue
            others = [r for r in members if (r, c) not in small and _is_count(rows[r][c]) and rows[r][c] > 0]
            if others:
                withheld.add((min(others, key=lambda r: rows[r][c]), c))
    hidden = small | withheld
    for column, source in table.derived:
        withheld |= {(r, column) for r, c in hidden if c == source}
    if table.support is not None and 0 < table.support < threshold:
        withheld |= {(r, c) for r, row in enumerate(rows) for c, value in enumerate(row) if isinstance(value, Decimal)}
    if not (small or withheld):
        return table
    for r, c in small:
        rows[r][c] = f"<{threshold}"
    for r, c in withheld - small:
        rows[r][c] = WITHHELD
    note = _("“<%(n)s”: fewer than %(n)s cases; “×”: withheld so that such a figure cannot be worked out.") % {
        "n": threshold
    }
    return replace(table, rows=rows, note=" ".join(part for part in (table.note, note) if part))


def tables_for(user, tables: list[StatisticsTable]) -> list[StatisticsTable]:
    """The tables as `user` may see them: exact for staff and the operator, masked for supervisors."""
    if not user_sees_masked_figures(user):
        return tables
    threshold = small_cell_threshold()
    return [table_masked(table, threshold) for table in tables]
