"""The statistics page's figures, read from the stored figures (tolerance.statistics.rollup) of the
institutions the viewer may see: a GXNU officer's figures can never contain a GUET case, whatever the
filters say."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance import roles
from tolerance.case_types import case_type_spec, case_type_specs
from tolerance.models import Institution
from tolerance.selectors.cases import user_institution_id
from tolerance.statistics.figures import Figures
from tolerance.statistics.masking import tables_for
from tolerance.statistics.models import StatisticsCell
from tolerance.statistics.registry import Period, StatisticsTable, case_statistics, percentile

MEDIAN = Decimal("0.5")
P90 = Decimal("0.9")
STATISTICS_ROLES = (roles.OFFICER, roles.COMMITTEE_CHAIR, roles.SUPERVISOR)


def user_may_see_statistics(user) -> bool:
    """Officers and leaders (the committee chair) of an institution, and supervisors across them."""
    return user.is_authenticated and (user.is_superuser or roles.has_role(user, *STATISTICS_ROLES))


def user_sees_all_institutions(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.SUPERVISOR)


class StatisticsFilterForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Institution.objects.order_by("code"), required=False
    )
    case_type = forms.ChoiceField(label=gettext_lazy("Case type"), required=False)
    year_from = forms.IntegerField(label=gettext_lazy("From year"), min_value=2000, max_value=2100, required=False)
    year_to = forms.IntegerField(label=gettext_lazy("To year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [("", _("All case types"))] + [
            (spec.code, spec.label) for spec in case_type_specs()
        ]
        if not user_sees_all_institutions(user):
            # Officers see their own institution only: the filter would offer nothing to choose.
            del self.fields["institution"]

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to and year_from > year_to:
            raise forms.ValidationError(_("The first year must not be after the last year."))
        return cleaned


@dataclass(frozen=True)
class StatisticsScope:
    institution: Institution | None = None
    case_type: str = ""


def statistics_cells(user, scope: StatisticsScope, period: Period):
    """The stored figures the page sums: of the institutions whose cases `user` may see (as
    cases_visible_to gives the statistics roles: staff their own institution, supervisors all), narrowed
    by institution, type and filing years."""
    cells = StatisticsCell.objects.all()
    if not user_sees_all_institutions(user):
        cells = cells.filter(institution_id=user_institution_id(user))
    if scope.institution is not None:
        cells = cells.filter(institution=scope.institution)
    if scope.case_type:
        cells = cells.filter(case_type=scope.case_type)
    if period.year_from:
        cells = cells.filter(year__gte=period.year_from)
    if period.year_to:
        cells = cells.filter(year__lte=period.year_to)
    return cells.order_by()


def _type_label(code):
    spec = case_type_spec(code)
    return spec.label if spec else code


def _stage_label(code, stage):
    spec = case_type_spec(code)
    return spec.stage_label(stage) if spec else stage


def cases_by_type_and_year(figures: Figures) -> tuple[StatisticsTable, StatisticsTable, StatisticsTable]:
    """Cases by type, by year, and by type and stage."""
    by_type = figures.counts("cases", "case_type")
    by_year = figures.counts("cases", "year")
    by_stage = figures.counts("cases", "case_type", "key")
    return (
        StatisticsTable(
            key="by_type",
            title=_("Cases by type"),
            columns=[_("Case type"), _("Cases")],
            rows=[[_type_label(code), by_type[code]] for code in sorted(by_type)],
            counts=(1,),
        ),
        StatisticsTable(
            key="by_year",
            title=_("Cases by filing year"),
            columns=[_("Year"), _("Cases")],
            rows=[[str(year), by_year[year]] for year in sorted(by_year)],
            counts=(1,),
        ),
        StatisticsTable(
            key="by_stage",
            title=_("Cases by current stage"),
            columns=[_("Case type"), _("Current stage"), _("Cases")],
            rows=[
                [_type_label(code), _stage_label(code, stage), by_stage[code, stage]]
                for code, stage in sorted(by_stage)
            ],
            chart=(1, 2),
            counts=(2,),
            group=0,
        ),
    )


def outcomes_table(counts: dict) -> StatisticsTable:
    """Cases by the outcome of their decision in force, from {(decision kind, outcome): cases}."""
    kinds = {spec.decision_kind: spec for spec in case_type_specs()}
    rows = sorted(
        [kinds[kind].label, kinds[kind].outcome_label(outcome), n]
        for (kind, outcome), n in counts.items()
        if kind in kinds
    )
    return StatisticsTable(
        key="by_outcome",
        title=_("Cases by decided outcome"),
        columns=[_("Case type"), _("Outcome"), _("Cases")],
        rows=rows,
        chart=(1, 2),
        counts=(2,),
        group=0,
    )


def durations_table(histograms: dict) -> StatisticsTable:
    """Working days spent per stage, from {(case type, stage): {working days: stays}}: the number of
    finished stays, their median and 90th percentile (nearest rank, exact from the histogram)."""
    rows = []
    for (case_type, stage), histogram in sorted(histograms.items()):
        rows.append(
            [
                _type_label(case_type),
                _stage_label(case_type, stage),
                sum(histogram.values()),
                percentile(histogram, MEDIAN),
                percentile(histogram, P90),
            ]
        )
    return StatisticsTable(
        key="stage_durations",
        title=_("Time per stage (working days)"),
        columns=[_("Case type"), _("Stage"), _("Stays"), _("Median"), _("90th percentile")],
        rows=rows,
        chart=(1, 3),
        counts=(2,),
        group=0,
        derived=((3, 2), (4, 2)),
    )


def stage_durations(cases, *, left_in: int) -> StatisticsTable:
    """Time per stage over the stays of `cases` that ended in the year `left_in` (the annual report's,
    read from the spells themselves: a past year's report never depends on when the job last ran)."""
    # From the cases, joined to their spells once; one filter() call, so both conditions apply to the
    # same spell.
    counts = (
        cases.filter(stage_spells__left_on__isnull=False, stage_spells__left_on__year=left_in)
        .values_list("case_type", "stage_spells__stage", "stage_spells__working_days")
        .annotate(n=Count("stage_spells__id"))
        .order_by()
    )
    histograms = defaultdict(dict)
    for case_type, stage, days, n in counts:
        histograms[case_type, stage][days] = n
    return durations_table(histograms)


def _stays(figures: Figures) -> StatisticsTable:
    histograms = defaultdict(lambda: defaultdict(int))
    for row in figures.rows("stay"):
        histograms[row.case_type, row.key][row.number] += row.count
    return durations_table(histograms)


def _overdue(figures: Figures, today) -> StatisticsTable:
    """Open cases past their deadline on `today` (the build's day), by type and stage."""
    counts = figures.counts("overdue", "case_type", "key")
    return StatisticsTable(
        key="overdue",
        title=_("Overdue cases on %(date)s") % {"date": today.isoformat()},
        columns=[_("Case type"), _("Current stage"), _("Cases")],
        rows=sorted([_type_label(code), _stage_label(code, stage), n] for (code, stage), n in counts.items()),
        chart=(1, 2),
        counts=(2,),
        group=0,
    )


def _table_groups(figures: Figures, scope: StatisticsScope, period: Period):
    """The page's tables in groups: the core's first, then each case type's own."""
    yield lambda: cases_by_type_and_year(figures)
    yield lambda: [outcomes_table(figures.counts("outcome", "key", "detail"))]
    yield lambda: [_stays(figures)]
    yield lambda: [_overdue(figures, period.today)]
    for spec in case_type_specs():
        if scope.case_type and spec.code != scope.case_type:
            continue
        contribution = case_statistics(spec.code)
        if contribution is not None and contribution.page is not None:
            yield lambda contribution=contribution, code=spec.code: contribution.page(figures.of_type(code), period)


def statistics_tables(user, scope: StatisticsScope, period: Period) -> list[StatisticsTable]:
    """Every table of the statistics page, masked for a supervisor (tolerance.statistics.masking)."""
    figures = Figures.from_cells(statistics_cells(user, scope, period))
    tables = [table for group in _table_groups(figures, scope, period) for table in group()]
    return tables_for(user, tables)


def statistics_table(user, scope: StatisticsScope, period: Period, key: str) -> StatisticsTable | None:
    """The one table `key` of the page (None if there is none), as the page shows it to `user`."""
    return next((table for table in statistics_tables(user, scope, period) if table.key == key), None)
