"""The annual conversion report (科技成果转化年度报告, 转化法 art. 21) for an institution or the deployment.

Reproducible: every figure of year Y is computed from dated facts up to 31 December Y (filing year,
decision issue dates, stage spells' end dates, and the case types' own dates), never from today, so the
same year gives the same figures whenever it is asked for.
"""

import datetime
import io

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tolerance.case_types import case_type_specs
from tolerance.decisions.kinds import DecisionKindSpec, register_decision_kind
from tolerance.decisions.models import Decision
from tolerance.decisions.reports import report_issue
from tolerance.selectors.cases import cases_visible_to
from tolerance.spreadsheets import safe_cell
from tolerance.statistics.masking import tables_for
from tolerance.statistics.registry import StatisticsTable, case_statistics
from tolerance.statistics.selectors import _type_label, stage_durations

ANNUAL_REPORT_KIND = "annual"
ANNUAL_REPORT_OUTCOME = "report"


def register_annual_report_kind() -> None:
    register_decision_kind(
        DecisionKindSpec(
            kind=ANNUAL_REPORT_KIND,
            label=_("Annual conversion report"),
            outcomes={ANNUAL_REPORT_OUTCOME: _("annual figures")},
            titles={"zh-hans": "科技成果转化容错改革年度报告", "en": "Annual conversion report"},
            templates={"zh-hans": "decisions/annual_report.html", "en": "decisions/annual_report.html"},
        )
    )


def annual_cases(user, *, institution, year: int):
    """The visible cases the report counts (every year up to `year`: a case filed earlier may be decided,
    paid or rectified in `year`); each table narrows them by its own dated fact."""
    cases = cases_visible_to(user).filter(year__lte=year)
    if institution is not None:
        cases = cases.filter(institution=institution)
    return cases.order_by()


def _filed(cases, year) -> StatisticsTable:
    counts = dict(cases.filter(year=year).values_list("case_type").annotate(n=Count("id")).order_by())
    return StatisticsTable(
        key="by_type",
        title=_("Cases filed in the year"),
        columns=[_("Case type"), _("Cases")],
        rows=[[spec.label, counts.get(spec.code, 0)] for spec in sorted(case_type_specs(), key=lambda s: s.code)],
        counts=(1,),
    )


def _decided(cases, year) -> StatisticsTable:
    kinds = {spec.decision_kind: spec for spec in case_type_specs()}
    counts = (
        Decision.objects.filter(case__in=cases, kind__in=kinds, issue_date__year=year)
        .values_list("kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return StatisticsTable(
        key="decided",
        title=_("Decisions issued in the year, by outcome"),
        columns=[_("Case type"), _("Outcome"), _("Decisions")],
        rows=sorted([kinds[kind].label, kinds[kind].outcome_label(outcome), n] for kind, outcome, n in counts),
        chart=(1, 2),
        counts=(2,),
        group=0,
    )


def annual_tables(user, *, institution, year: int) -> list[StatisticsTable]:
    """The report's tables from the dated facts (never the stored figures: a past year's report must not
    depend on when the statistics job last ran), masked for a supervisor as the page is."""
    cases = annual_cases(user, institution=institution, year=year)
    tables = [_filed(cases, year), _decided(cases, year), stage_durations(cases, left_in=year)]
    for spec in sorted(case_type_specs(), key=lambda s: s.code):
        contribution = case_statistics(spec.code)
        if contribution is not None and contribution.annual is not None:
            tables.extend(contribution.annual(cases.filter(case_type=spec.code), year))
    return tables_for(user, tables)


def annual_report_xlsx(tables: list[StatisticsTable], *, heading: str) -> bytes:
    """One sheet, every table under its title, in the order the PDF prints them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Annual report"))[:31])
    sheet.append([safe_cell(heading)])
    for table in tables:
        sheet.append([])
        sheet.append([safe_cell(table.title)])
        sheet.append([safe_cell(column) for column in table.columns])
        for row in table.rows:
            sheet.append([value if isinstance(value, int) else safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annual_report_issue(*, user, institution, year: int) -> Decision:
    """The sealed Chinese PDF of `year`'s figures, recorded as a report decision (verifiable on /verify/)."""
    with translation.override("zh-hans"):
        tables = annual_tables(user, institution=institution, year=year)
        records = [table.as_record() for table in tables]
        return report_issue(
            institution=institution,
            kind=ANNUAL_REPORT_KIND,
            year=year,
            outcome=ANNUAL_REPORT_OUTCOME,
            context={
                "year": year,
                "scope_name": institution.name_zh if institution is not None else _("All institutions"),
                "records": records,
                "period_end": datetime.date(year, 12, 31),
            },
            issued_by=user,
        )


def type_label(code: str) -> str:
    return _type_label(code)
