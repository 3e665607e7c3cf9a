"""The exemption's registers (台账): the determinations made (容错免责认定台账) and the cases the
committee is reviewing or has in publicity, each a filtered view of the desk with its export."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.models import CaseType
from tolerance.registers import RegisterSpec, register_register
from workflows.exemption.models import ExemptionOutcome, ExemptionStage


def _determined(cases):
    latest = Decision.objects.filter(case=OuterRef("pk"), status=DecisionStatus.IN_FORCE).order_by("-id")
    return cases.annotate(
        decision_number=Subquery(latest.values("document_number")[:1]),
        decision_outcome=Subquery(latest.values("outcome")[:1]),
        decision_date=Subquery(latest.values("issue_date")[:1]),
    ).filter(decision_number__isnull=False)


def _outcome_label(case):
    try:
        return ExemptionOutcome(case.decision_outcome).label
    except ValueError:
        return case.decision_outcome


DETERMINATIONS = RegisterSpec(
    code="exemption-determinations",
    label=_("Register of exemption determinations"),
    case_type=CaseType.EXEMPTION,
    description=_("Every exemption case with a decision in force: its document number, outcome and date."),
    rows=_determined,
    columns=[
        (_("Document number"), lambda case: case.decision_number),
        (_("Outcome"), _outcome_label),
        (_("Issue date"), lambda case: case.decision_date.isoformat() if case.decision_date else ""),
    ],
)

UNDER_REVIEW = RegisterSpec(
    code="exemption-under-review",
    label=_("Register of exemption cases before the committee or in publicity"),
    case_type=CaseType.EXEMPTION,
    description=_("Cases in committee review, publicity, objection review or appeal review."),
    rows=lambda cases: cases.filter(
        stage__in=[
            ExemptionStage.COMMITTEE_REVIEW,
            ExemptionStage.PUBLICITY,
            ExemptionStage.OBJECTION_REVIEW,
            ExemptionStage.APPEAL_REVIEW,
        ]
    ),
)


def register() -> None:
    register_register(DETERMINATIONS)
    register_register(UNDER_REVIEW)
