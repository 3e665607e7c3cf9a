"""Pre-aggregated figures: how a contribution states them (`grouped`) and how the page reads them back
(`Figures`, the stored rows its filters select, summed over institutions).

A figure row is (institution, case type, filing year, figure, key, detail, number) → count and amount.
`grouped` runs one GROUP BY over a queryset whose rows belong to a case (`case_path` leads to it), so the
job states each figure with one query whatever the number of cases.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Sum, Value

CELL_DIMENSIONS = ("key", "detail", "number")


def _expression(value):
    return F(value) if isinstance(value, str) else value


def grouped(queryset, figure: str, *, case_path: str = "case__", count=None, amount=None, **dimensions) -> list[dict]:
    """Rows of figure `figure` over `queryset`: one per institution, case type, filing year and the given
    dimensions (`key`, `detail`, `number`: a field name or an expression), with `count` (default: rows)
    and `amount` (an aggregate of money, or none)."""
    unknown = set(dimensions) - set(CELL_DIMENSIONS)
    if unknown:
        raise ValueError(f"Unknown figure dimensions: {sorted(unknown)}")
    # Aliased (cell_…): an annotation may not take the name of a model field such as `year`.
    fields = {
        "cell_institution_id": F(f"{case_path}institution_id"),
        "cell_case_type": F(f"{case_path}case_type"),
        "cell_year": F(f"{case_path}year"),
    }
    fields.update({f"cell_{name}": _expression(value) for name, value in dimensions.items()})
    aggregates = {"cell_count": count if count is not None else Count("pk")}
    aggregates["cell_amount"] = amount if amount is not None else Value(None, output_field=DecimalField())
    rows = []
    for row in queryset.order_by().values(**fields).annotate(**aggregates).order_by():
        cell = {"figure": figure, "key": "", "detail": "", "number": None}
        cell.update({name.removeprefix("cell_"): value for name, value in row.items()})
        for name in ("key", "detail"):
            cell[name] = "" if cell[name] is None else str(cell[name])
        rows.append(cell)
    return rows


@dataclass(frozen=True)
class FigureRow:
    case_type: str
    year: int
    figure: str
    key: str
    detail: str
    number: int | None
    count: int
    amount: Decimal | None


class Figures:
    """The stored figures a page's filters select, summed over institutions (a few thousand rows at most)."""

    def __init__(self, rows: list[FigureRow]):
        self._by_figure = defaultdict(list)
        for row in rows:
            self._by_figure[row.figure].append(row)

    @classmethod
    def from_cells(cls, cells) -> "Figures":
        summed = (
            cells.values_list("case_type", "year", "figure", "key", "detail", "number")
            .annotate(total=Sum("count"), money=Sum("amount"))
            .order_by()
        )
        return cls([FigureRow(*row) for row in summed])

    def of_type(self, case_type: str) -> "Figures":
        return Figures([row for rows in self._by_figure.values() for row in rows if row.case_type == case_type])

    def rows(self, figure: str, where=None) -> list[FigureRow]:
        return [row for row in self._by_figure.get(figure, ()) if where is None or where(row)]

    def counts(self, figure: str, *by: str, where=None) -> dict:
        """{category: count} of `figure`, the category being the row's `by` attributes (one: its value)."""
        totals = defaultdict(int)
        for row in self.rows(figure, where):
            category = tuple(getattr(row, name) for name in by)
            totals[category[0] if len(by) == 1 else category] += row.count
        return dict(totals)

    def count(self, figure: str, where=None) -> int:
        return sum(row.count for row in self.rows(figure, where))

    def amount(self, figure: str, where=None) -> Decimal | None:
        amounts = [row.amount for row in self.rows(figure, where) if row.amount is not None]
        return sum(amounts, Decimal("0")) if amounts else None
