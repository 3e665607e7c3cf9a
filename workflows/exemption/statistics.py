"""What 容错免责认定 adds to the statistics and the annual report: the exemption, reduction and refusal rates."""

from django.db.models import Count
from django.utils.translation import gettext as _

from tolerance.decisions.models import Decision
from tolerance.models import CaseType
from tolerance.statistics.registry import CaseStatistics, StatisticsTable, percent, register_case_statistics
from workflows.exemption.case_type import DECISION_KIND
from workflows.exemption.models import CASE_OUTCOME_CHOICES, ExemptionStage, IntakeResult, IntakeReview


def _rates(outcomes: dict, refused: int) -> StatisticsTable:
    """Each decided outcome and the intake refusals as a share of every case concluded either way."""
    concluded = sum(outcomes.values()) + refused
    rows = [
        [str(label), outcomes.get(value, 0), percent(outcomes.get(value, 0), concluded)]
        for value, label in CASE_OUTCOME_CHOICES
    ]
    rows.append([_("not accepted at the completeness check"), refused, percent(refused, concluded)])
    return StatisticsTable(
        key="exemption_rates",
        title=_("Exemption, reduction and refusal rates"),
        columns=[_("Outcome"), _("Cases"), _("Share (%)")],
        rows=rows,
        counts=(1,),
        derived=((2, 1),),
    )


def page(figures, period) -> list[StatisticsTable]:
    """From the core's figures: decisions in force of this type's kind, and the cases refused at intake."""
    outcomes = figures.counts("outcome", "detail", where=lambda row: row.key == DECISION_KIND)
    refused = figures.count("cases", where=lambda row: row.key == ExemptionStage.REFUSED)
    return [_rates(outcomes, refused)]


def annual(cases, year) -> list[StatisticsTable]:
    """Decisions issued in `year` and intake refusals made in `year` (dated facts only)."""
    outcomes = dict(
        Decision.objects.filter(case__in=cases, kind=DECISION_KIND, issue_date__year=year)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    refused = (
        IntakeReview.objects.filter(case__in=cases, result=IntakeResult.REFUSED, reviewed_at__year=year)
        .values("case_id")
        .distinct()
        .count()
    )
    return [_rates(outcomes, refused)]


def register() -> None:
    register_case_statistics(CaseStatistics(case_type=CaseType.EXEMPTION, page=page, annual=annual))
