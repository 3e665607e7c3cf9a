"""The statistics page's figures. Every count starts from cases_visible_to: a GXNU officer's figures can
never contain a GUET case, whatever the filters say."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance import roles
from tolerance.case_types import case_type_spec, case_type_specs
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.models import Institution
from tolerance.selectors.cases import cases_visible_to
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


def statistics_cases(user, scope: StatisticsScope, period: Period):
    """The visible cases the page counts: filtered by institution, type and filing years."""
    cases = cases_visible_to(user)
    if scope.institution is not None:
        cases = cases.filter(institution=scope.institution)
    if scope.case_type:
        cases = cases.filter(case_type=scope.case_type)
    if period.year_from:
        cases = cases.filter(year__gte=period.year_from)
    if period.year_to:
        cases = cases.filter(year__lte=period.year_to)
    return cases.order_by()


def _type_label(code):
    spec = case_type_spec(code)
    return spec.label if spec else code


def _stage_label(code, stage):
    spec = case_type_spec(code)
    return spec.stage_label(stage) if spec else stage


def cases_by_type_and_year(cases) -> tuple[StatisticsTable, StatisticsTable, StatisticsTable]:
    """Cases by type, by year, and by type and stage, from one grouped query."""
    rows = list(cases.values_list("case_type", "year", "stage").annotate(n=Count("id")).order_by())
    by_type, by_year, by_stage = defaultdict(int), defaultdict(int), defaultdict(int)
    for case_type, year, stage, n in rows:
        by_type[case_type] += n
        by_year[year] += n
        by_stage[case_type, stage] += n
    return (
        StatisticsTable(
            key="by_type",
            title=_("Cases by type"),
            columns=[_("Case type"), _("Cases")],
            rows=[[_type_label(code), by_type[code]] for code in sorted(by_type)],
        ),
        StatisticsTable(
            key="by_year",
            title=_("Cases by filing year"),
            columns=[_("Year"), _("Cases")],
            rows=[[str(year), by_year[year]] for year in sorted(by_year)],
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
        ),
    )


def cases_by_outcome(cases, *, issued_in: int | None = None) -> StatisticsTable:
    """Cases by the outcome of their decision in force (each type's own decision kind)."""
    kinds = {spec.decision_kind: spec for spec in case_type_specs()}
    decisions = Decision.objects.filter(case__in=cases, status=DecisionStatus.IN_FORCE, kind__in=kinds)
    if issued_in is not None:
        decisions = decisions.filter(issue_date__year=issued_in)
    # One decision of a kind is in force per case (issuing supersedes the one before), so rows are cases.
    counts = decisions.values_list("kind", "outcome").annotate(n=Count("id")).order_by()
    rows = sorted([kinds[kind].label, kinds[kind].outcome_label(outcome), n] for kind, outcome, n in counts)
    return StatisticsTable(
        key="by_outcome",
        title=_("Cases by decided outcome"),
        columns=[_("Case type"), _("Outcome"), _("Cases")],
        rows=rows,
        chart=(1, 2),
    )


def stage_durations(cases, *, left_in: int | None = None) -> StatisticsTable:
    """Working days spent per stage: median and 90th percentile over every finished stay in a stage."""
    # From the cases, joined to their spells once: `spells.filter(case__in=cases)` joined the cases
    # twice (once for the IN, once for the type), 1.5 times slower at 100,000 cases a type. One
    # filter() call, so both conditions apply to the same spell.
    closed = {"stage_spells__left_on__isnull": False}
    if left_in is not None:
        closed["stage_spells__left_on__year"] = left_in
    counts = (
        cases.filter(**closed)
        .values_list("case_type", "stage_spells__stage", "stage_spells__working_days")
        .annotate(n=Count("stage_spells__id"))
        .order_by()
    )
    histograms = defaultdict(dict)
    for case_type, stage, days, n in counts:
        histograms[case_type, stage][days] = n
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
    )


def overdue_cases(cases, today) -> StatisticsTable:
    """Open cases past their deadline on `today`, by type and stage (as the desk's overdue filter)."""
    counts = (
        cases.filter(next_due__lt=today)
        .filter(Q(process__isnull=True) | Q(process__finished__isnull=True))
        .values_list("case_type", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return StatisticsTable(
        key="overdue",
        title=_("Overdue cases on %(date)s") % {"date": today.isoformat()},
        columns=[_("Case type"), _("Current stage"), _("Cases")],
        rows=sorted([_type_label(code), _stage_label(code, stage), n] for code, stage, n in counts),
        chart=(1, 2),
    )


def _table_groups(user, scope: StatisticsScope, period: Period):
    """The page's tables in groups, each computed only when reached: the core's first, then each case
    type's own. An export of one table stops at its group (the time per stage is the fourth)."""
    cases = statistics_cases(user, scope, period)
    yield lambda: cases_by_type_and_year(cases)
    yield lambda: [cases_by_outcome(cases)]
    yield lambda: [stage_durations(cases)]
    yield lambda: [overdue_cases(cases, period.today)]
    for spec in case_type_specs():
        if scope.case_type and spec.code != scope.case_type:
            continue
        contribution = case_statistics(spec.code)
        if contribution is not None and contribution.page is not None:
            yield lambda contribution=contribution, code=spec.code: contribution.page(
                cases.filter(case_type=code), period
            )


def statistics_tables(user, scope: StatisticsScope, period: Period) -> list[StatisticsTable]:
    """Every table of the statistics page."""
    return [table for group in _table_groups(user, scope, period) for table in group()]


def statistics_table(user, scope: StatisticsScope, period: Period, key: str) -> StatisticsTable | None:
    """The one table `key` of the page (None if there is none), computing no group after its own."""
    for group in _table_groups(user, scope, period):
        for table in group():
            if table.key == key:
                return table
    return None
