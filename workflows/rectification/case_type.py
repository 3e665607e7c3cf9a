"""离岗创业合规整改 as the shared steps and the core see it: its stages, outcomes, decision kinds and texts."""

from django.utils.translation import gettext_lazy as _

from tolerance.case_types import CaseTypeSpec, StepStages, register_case_type
from tolerance.decisions.kinds import DecisionKindSpec, register_decision_kind
from tolerance.models import CaseType
from workflows.rectification import documents, letters
from workflows.rectification.items import NOTICE_ISSUED, NOTICE_KIND
from workflows.rectification.models import (
    RECTIFICATION_NEXT_STEPS,
    FinalRoundOutcome,
    PlanRoundOutcome,
    RectificationOutcome,
    RectificationStage,
)
from workflows.rectification.panel import rectification_panel_context

DECISION_KIND = "rectification"


def round_outcomes(case):
    """The first round approves the plan (or finds the case not rectifiable); once a plan was approved, a
    round decides whether the rectification passed. An appeal against a refusal reopens the plan round."""
    if case.committee_reviews.filter(outcome=RectificationOutcome.PLAN_APPROVED).exists():
        return FinalRoundOutcome
    return PlanRoundOutcome


RECTIFICATION = CaseTypeSpec(
    code=CaseType.RECTIFICATION,
    label=CaseType.RECTIFICATION.label,
    stages=RectificationStage,
    next_steps=RECTIFICATION_NEXT_STEPS,
    outcomes=RectificationOutcome,
    round_outcomes=round_outcomes,
    decision_kind=DECISION_KIND,
    # No publicity in this flow (domain-rectification.md §6): its stages are never reached.
    step_stages=StepStages(
        committee_review=RectificationStage.COMMITTEE_REVIEW,
        publicity=RectificationStage.DECISION,
        objection_review=RectificationStage.DECISION,
        decision=RectificationStage.DECISION,
        objection_upheld=RectificationStage.CLASSIFICATION,
        appeal_window=RectificationStage.APPEAL_WINDOW,
        appeal_review=RectificationStage.APPEAL_REVIEW,
        closed=RectificationStage.CLOSED,
    ),
    publicity_notice=documents.rectification_publicity_notice,
    decision_content=documents.rectification_decision_content,
    decision_notice=documents.rectification_decision_notice,
    task_summary_template="workflows/rectification/task_summary.html",
    panel_template="workflows/rectification/case_panel.html",
    panel_context=rectification_panel_context,
)

RECTIFICATION_DECISION = DecisionKindSpec(
    kind=DECISION_KIND,
    label=_("Compliance rectification decision"),
    outcomes={
        RectificationOutcome.PASSED.value: _("Rectification passed"),
        RectificationOutcome.FAILED.value: _("Rectification failed"),
    },
    titles={"zh-hans": "离岗创业合规整改认定书", "en": "Decision on Compliance Rectification"},
    templates={"zh-hans": "decisions/rectification.html", "en": "decisions/en/rectification.html"},
)

RECTIFICATION_NOTICE = DecisionKindSpec(
    kind=NOTICE_KIND,
    label=_("Compliance rectification notice"),
    outcomes={NOTICE_ISSUED: _("Rectification notified")},
    titles={"zh-hans": "合规整改通知书", "en": "Compliance Rectification Notice"},
    templates={"zh-hans": "decisions/rectification_notice.html", "en": "decisions/en/rectification_notice.html"},
)


def register() -> None:
    register_case_type(RECTIFICATION)
    register_decision_kind(RECTIFICATION_DECISION)
    register_decision_kind(RECTIFICATION_NOTICE)
    for spec in letters.KINDS:
        register_decision_kind(spec)
