"""Aggregate figures for supervisors and home pages: the stored figures (tolerance.statistics.rollup) of
the institutions the viewer may see, small counts masked for supervisors as on the statistics page."""

from tolerance.models import CaseType, Institution
from tolerance.statistics.masking import WITHHELD, small_cell_threshold, user_sees_masked_figures
from tolerance.statistics.registry import Period
from tolerance.statistics.selectors import StatisticsScope, statistics_cells


def case_counts_by_institution(user):
    """Rows of (institution, {case type label: count}, total), over what `user` may see, as of the
    statistics job's last build (none before its first)."""
    cells = statistics_cells(user, StatisticsScope(), Period(year_from=None, year_to=None, today=None))
    by_institution: dict[int, dict[str, int]] = {}
    for institution_id, case_type, count in cells.filter(figure="cases").values_list(
        "institution_id", "case_type", "count"
    ):
        per_type = by_institution.setdefault(institution_id, {})
        per_type[case_type] = per_type.get(case_type, 0) + count
    threshold = small_cell_threshold() if user_sees_masked_figures(user) else None
    rows = []
    for institution in Institution.objects.filter(pk__in=by_institution.keys()).order_by("code"):
        per_type = by_institution[institution.pk]
        counts = [(label, per_type.get(value, 0)) for value, label in CaseType.choices]
        total = sum(per_type.values())
        if threshold is not None:
            small = [label for label, n in counts if 0 < n < threshold]
            counts = [(label, f"<{threshold}" if label in small else n) for label, n in counts]
            # One masked count in a row would be its total less the others: the total is withheld then.
            if 0 < total < threshold:
                total = f"<{threshold}"
            elif len(small) == 1:
                total = WITHHELD
        rows.append({"institution": institution, "by_type": counts, "total": total})
    return rows
