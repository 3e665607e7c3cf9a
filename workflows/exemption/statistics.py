"""What 容错免责认定 adds to the statistics and the annual report (X4): the exemption, reduction and refusal
rates; the people's outcomes by audience; appeals; referrals (移送) by body; 纠错 orders done on time."""

import datetime

from django.db.models import Case as Condition
from django.db.models import Count, Exists, F, OuterRef, Value, When
from django.utils.translation import gettext as _

from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.models import CaseType, Department, Institution, SubjectAudience
from tolerance.statistics.figures import grouped
from tolerance.statistics.registry import CaseStatistics, StatisticsTable, percent, register_case_statistics
from workflows.exemption.case_type import DECISION_KIND
from workflows.exemption.models import (
    CASE_OUTCOME_CHOICES,
    CorrectionOrder,
    ExemptionDetails,
    ExemptionOutcome,
    ExemptionStage,
    IntakeResult,
    IntakeReview,
    RuleEvaluation,
    SubjectDetermination,
)
from workflows.exemption.policy import policy_version_current
from workflows.steps.models import Appeal, CommitteeReview
from workflows.steps.referrals import Referral

# A 纠错 order's state for the figures: done by its deadline, done after it, open past it, open in time.
ON_TIME, LATE, OVERDUE, OPEN = "on_time", "late", "overdue", "open"
MOST_CITED = 10


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


def people_decided(cases, decisions):
    """Each person's confirmed determination, from the latest evaluation of a case with one of `decisions`
    (the evaluation a decision was issued on; an earlier one was superseded by a re-review)."""
    later = RuleEvaluation.objects.filter(case=OuterRef("evaluation__case"), pk__gt=OuterRef("evaluation_id"))
    return SubjectDetermination.objects.filter(
        evaluation__case__in=cases, evaluation__case_id__in=decisions.values("case_id")
    ).filter(~Exists(later))


def decisions_in_force(cases):
    return Decision.objects.filter(case__in=cases, kind=DECISION_KIND, status=DecisionStatus.IN_FORCE)


def _correction_state(today: datetime.date):
    return Condition(
        When(done_on__isnull=False, done_on__lte=F("due"), then=Value(ON_TIME)),
        When(done_on__isnull=False, then=Value(LATE)),
        When(due__lt=today, then=Value(OVERDUE)),
        default=Value(OPEN),
    )


def _referral_state():
    return Condition(When(received_at__isnull=False, then=Value("received")), default=Value("pending"))


def _audience_table(counts: dict) -> StatisticsTable:
    """People by audience and confirmed outcome, from {(audience, outcome): people}."""
    audiences = [*SubjectAudience.choices, ("", _("audience not stated"))]
    rows = []
    for value, label in audiences:
        figures = [counts.get((value, outcome), 0) for outcome, _label in ExemptionOutcome.choices]
        rows.append([str(label), *figures, sum(figures)])
    width = len(ExemptionOutcome.choices)
    return StatisticsTable(
        key="exemption_audiences",
        title=_("Outcomes by audience (people)"),
        columns=[_("Audience"), *(str(label) for _value, label in ExemptionOutcome.choices), _("People")],
        rows=rows,
        chart=(0, width + 1),
        counts=tuple(range(1, width + 2)),
    )


def _appeal_state():
    """Reviewed once the case's appeal review (复核) has resolved: one round reviews every appeal of a case."""
    reviewed = CommitteeReview.objects.filter(case=OuterRef("case"), is_appeal=True, resolved_at__isnull=False)
    return Condition(When(Exists(reviewed), then=Value("reviewed")), default=Value("pending"))


def _appeals_table(counts: dict) -> StatisticsTable:
    """Appeals (one per person) from {"reviewed" or "pending": appeals}."""
    return StatisticsTable(
        key="exemption_appeals",
        title=_("Appeals (复核)"),
        columns=[_("Appeals"), _("Number")],
        rows=[
            [_("decided on review"), counts.get("reviewed", 0)],
            [_("awaiting the review"), counts.get("pending", 0)],
        ],
        counts=(1,),
    )


def _referrals_table(counts: dict) -> StatisticsTable:
    """Referrals by body, from {(body, "received" or "pending"): referrals}."""
    bodies = sorted({body for body, _state in counts})
    labels = dict(Department.choices)
    rows = []
    for body in bodies:
        received, pending = counts.get((body, "received"), 0), counts.get((body, "pending"), 0)
        rows.append([str(labels.get(body, body)), received + pending, received])
    return StatisticsTable(
        key="exemption_referrals",
        title=_("Referrals (移送) by body"),
        columns=[_("Referred to"), _("Referrals"), _("Receipt acknowledged")],
        rows=rows,
        counts=(1, 2),
    )


def _corrections_table(counts: dict) -> StatisticsTable:
    labels = {
        ON_TIME: _("corrected by the deadline"),
        LATE: _("corrected after the deadline"),
        OVERDUE: _("not corrected, past the deadline"),
        OPEN: _("not corrected, deadline not reached"),
    }
    done = counts.get(ON_TIME, 0) + counts.get(LATE, 0)
    return StatisticsTable(
        key="exemption_corrections",
        title=_("Correction orders (纠错)"),
        columns=[_("State"), _("Orders"), _("Share of the corrected (%)")],
        rows=[
            [
                str(label),
                counts.get(state, 0),
                percent(counts.get(state, 0), done) if state in (ON_TIME, LATE) else None,
            ]
            for state, label in labels.items()
        ],
        counts=(1,),
        derived=((2, 1),),
    )


def _cited(cases):
    """The tolerance-list entries the cases rely on, one row per case and entry."""
    return ExemptionDetails.cited_entries.through.objects.filter(exemptiondetails__case__in=cases)


def _cited_table(counts: dict) -> StatisticsTable:
    """The most-cited entries, from {(code, title): cases}; equal counts in code order."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MOST_CITED]
    return StatisticsTable(
        key="exemption_cited",
        title=_("The most-cited tolerance-list entries"),
        columns=[_("Entry"), _("Cases")],
        rows=[[f"{code} {title}", n] for (code, title), n in ranked],
        counts=(1,),
        # Ten of many entries do not add up to a known total: no group to protect by withholding.
        group=0,
    )


def _organisation_table(cases, year: int) -> StatisticsTable:
    """The Guangxi evaluation's 组织机构和制度建设 dimension, per institution of the cases: the tolerance list
    in force at the year's end with its approval document number, and the committee's meetings in the
    year — the days on which it resolved a round (one sitting may resolve several cases)."""
    last_day = datetime.date(year, 12, 31)
    meetings = dict(
        CommitteeReview.objects.filter(case__in=cases, resolved_at__year=year)
        .values_list("case__institution_id")
        .annotate(n=Count("resolved_at__date", distinct=True))
        .order_by()
    )
    rows = []
    for institution in Institution.objects.filter(pk__in=cases.values("institution_id")).order_by("code"):
        version = policy_version_current(institution, on=last_day)
        rows.append(
            [
                institution.name_zh,
                f"{version.title} v{version.number}" if version else _("no tolerance list in force"),
                # None, not "": a blank cell, the same in the sealed record and the XLSX.
                (version.approval_doc_no if version else "") or None,
                version.approved_on if version else None,
                meetings.get(institution.pk, 0),
            ]
        )
    # Not declared as counts: meetings and versions point at no person, so nothing is masked.
    return StatisticsTable(
        key="exemption_organisation",
        title=_("Organisation and rules (组织机构和制度建设)"),
        columns=[
            _("Institution"),
            _("Tolerance list in force at the year's end"),
            _("Approval document number"),
            _("Approved on"),
            _("Committee meetings in the year"),
        ],
        rows=rows,
        chart=(0, 4),
    )


def cells(cases, today: datetime.date) -> list[dict]:
    """People by audience and outcome (decisions in force), appeals, referrals by body and receipt, and
    纠错 orders by their state on `today`."""
    return [
        *grouped(
            people_decided(cases, decisions_in_force(cases)),
            "audience_outcome",
            case_path="evaluation__case__",
            key="subject__audience",
            detail="outcome",
        ),
        *grouped(
            _cited(cases),
            "cited",
            case_path="exemptiondetails__case__",
            key="policyitem__code",
            detail="policyitem__title",
        ),
        *grouped(Appeal.objects.filter(case__in=cases), "appeal", key=_appeal_state()),
        *grouped(Referral.objects.filter(case__in=cases), "referral", key="to_department", detail=_referral_state()),
        *grouped(CorrectionOrder.objects.filter(case__in=cases), "correction", key=_correction_state(today)),
    ]


def page(figures, period) -> list[StatisticsTable]:
    """From the core's figures: decisions in force of this type's kind, and the cases refused at intake;
    from this type's own cells the people's figures."""
    outcomes = figures.counts("outcome", "detail", where=lambda row: row.key == DECISION_KIND)
    refused = figures.count("cases", where=lambda row: row.key == ExemptionStage.REFUSED)
    return [
        _rates(outcomes, refused),
        _audience_table(figures.counts("audience_outcome", "key", "detail")),
        _cited_table(figures.counts("cited", "key", "detail")),
        _appeals_table(figures.counts("appeal", "key")),
        _referrals_table(figures.counts("referral", "key", "detail")),
        _corrections_table(figures.counts("correction", "key")),
    ]


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
    issued = decisions_in_force(cases).filter(issue_date__year=year)
    audiences = people_decided(cases, issued).values_list("subject__audience", "outcome").annotate(n=Count("id"))
    referrals = Referral.objects.filter(case__in=cases, decision__issue_date__year=year)
    corrections = CorrectionOrder.objects.filter(case__in=cases, due__year=year)
    last_day = datetime.date(year, 12, 31)
    return [
        _rates(outcomes, refused),
        _audience_table({(audience, outcome): n for audience, outcome, n in audiences.order_by()}),
        _cited_table(
            {
                (code, title): n
                for code, title, n in _cited(issued.values("case_id"))
                .values_list("policyitem__code", "policyitem__title")
                .annotate(n=Count("id"))
                .order_by()
            }
        ),
        _appeals_table(
            dict(
                Appeal.objects.filter(case__in=cases, lodged_at__year=year)
                .annotate(state=_appeal_state())
                .values_list("state")
                .annotate(n=Count("id"))
                .order_by()
            )
        ),
        _organisation_table(cases, year),
        _referrals_table(
            {
                (body, state): n
                for body, state, n in referrals.annotate(state=_referral_state())
                .values_list("to_department", "state")
                .annotate(n=Count("id"))
                .order_by()
            }
        ),
        # Orders due in the year; one not corrected is counted past its deadline against the year's end.
        _corrections_table(
            dict(
                corrections.annotate(state=_correction_state(last_day))
                .values_list("state")
                .annotate(n=Count("id"))
                .order_by()
            )
        ),
    ]


def register() -> None:
    register_case_statistics(CaseStatistics(case_type=CaseType.EXEMPTION, cells=cells, page=page, annual=annual))
