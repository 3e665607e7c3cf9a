"""Aggregate figures for supervisors and home pages, always computed over the visible cases."""

from django.db.models import Count

from tolerance.models import CaseType, Institution
from tolerance.selectors.cases import cases_visible_to


def case_counts_by_institution(user):
    """Rows of (institution, {case type label: count}, total), over what `user` may see."""
    counts = cases_visible_to(user).values("institution_id", "case_type").annotate(total=Count("id")).order_by()
    by_institution: dict[int, dict[str, int]] = {}
    for row in counts:
        by_institution.setdefault(row["institution_id"], {})[row["case_type"]] = row["total"]
    rows = []
    for institution in Institution.objects.filter(pk__in=by_institution.keys()).order_by("code"):
        per_type = by_institution[institution.pk]
        rows.append(
            {
                "institution": institution,
                "by_type": [(label, per_type.get(value, 0)) for value, label in CaseType.choices],
                "total": sum(per_type.values()),
            }
        )
    return rows
