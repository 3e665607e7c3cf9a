"""容错免责认定 as the shared steps and the core see it: its stages, outcomes, decision kind and texts."""

from django.utils.translation import gettext_lazy as _

from tolerance.case_types import CaseTypeSpec, StepStages, register_case_type
from tolerance.decisions.kinds import DecisionKindSpec, register_decision_kind
from tolerance.models import CaseType
from workflows.exemption.documents import (
    exemption_decision_content,
    exemption_decision_notice,
    exemption_determination_of,
    exemption_determinations,
    exemption_publicity_notice,
)
from workflows.exemption.models import (
    EXEMPTION_NEXT_STEPS,
    PER_SUBJECT_OUTCOME,
    ExemptionOutcome,
    ExemptionStage,
)
from workflows.exemption.panel import exemption_panel_context
from workflows.exemption.routes import publicity_scope

DECISION_KIND = "exemption"

EXEMPTION = CaseTypeSpec(
    code=CaseType.EXEMPTION,
    label=CaseType.EXEMPTION.label,
    stages=ExemptionStage,
    next_steps=EXEMPTION_NEXT_STEPS,
    outcomes=ExemptionOutcome,
    decision_kind=DECISION_KIND,
    step_stages=StepStages(
        committee_review=ExemptionStage.COMMITTEE_REVIEW,
        publicity=ExemptionStage.PUBLICITY,
        objection_review=ExemptionStage.OBJECTION_REVIEW,
        decision=ExemptionStage.DECISION,
        objection_upheld=ExemptionStage.INVESTIGATION,
        appeal_window=ExemptionStage.APPEAL_WINDOW,
        appeal_review=ExemptionStage.APPEAL_REVIEW,
        closed=ExemptionStage.CLOSED,
    ),
    publicity_notice=exemption_publicity_notice,
    decision_content=exemption_decision_content,
    decision_notice=exemption_decision_notice,
    task_summary_template="workflows/exemption/task_summary.html",
    panel_template="workflows/exemption/case_panel.html",
    panel_context=exemption_panel_context,
    progress_stages=(
        ExemptionStage.COMPLETENESS_CHECK,
        ExemptionStage.INVESTIGATION,
        ExemptionStage.RULE_EVALUATION,
        ExemptionStage.COMMITTEE_REVIEW,
        ExemptionStage.PUBLICITY,
        ExemptionStage.DECISION,
        ExemptionStage.APPEAL_WINDOW,
        ExemptionStage.CLOSED,
    ),
    search_terms=lambda case: [case.exemption.counterparty, case.exemption.result_title],
    determinations=exemption_determinations,
    determination_of=exemption_determination_of,
    mixed_outcome=PER_SUBJECT_OUTCOME,
    mixed_outcome_label=_("a determination per person"),
    publicity_scope=publicity_scope,
)

EXEMPTION_DECISION = DecisionKindSpec(
    kind=DECISION_KIND,
    label=_("Liability exemption decision"),
    outcomes={
        ExemptionOutcome.EXEMPT.value: _("Exempt from liability"),
        ExemptionOutcome.REDUCED.value: _("Reduced liability"),
        ExemptionOutcome.NOT_EXEMPT.value: _("Not exempt"),
        PER_SUBJECT_OUTCOME: _("A determination per person"),
    },
    titles={"zh-hans": "容错免责认定决定书", "en": "Decision on Liability Exemption"},
    templates={"zh-hans": "decisions/exemption.html", "en": "decisions/en/exemption.html"},
)


# The 移送函 sent with a person not exempted: sealed and verifiable like a decision.
REFERRAL_LETTER = DecisionKindSpec(
    kind="exemption_referral",
    label=_("Referral letter"),
    outcomes={"referred": _("Referred")},
    titles={"zh-hans": "容错认定案件移送函", "en": "Letter of Referral"},
    templates={"zh-hans": "decisions/exemption_referral.html", "en": "decisions/en/exemption_referral.html"},
)


def register() -> None:
    register_case_type(EXEMPTION)
    register_decision_kind(EXEMPTION_DECISION)
    register_decision_kind(REFERRAL_LETTER)
