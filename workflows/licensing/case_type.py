"""先使用后付费 licensing as the shared steps and the core see it."""

from django.utils.translation import gettext_lazy as _

from tolerance.case_types import CaseTypeSpec, StepStages, register_case_type
from tolerance.decisions.kinds import DecisionKindSpec, register_decision_kind
from tolerance.models import CaseType
from workflows.licensing.documents import (
    licensing_decision_content,
    licensing_decision_notice,
    licensing_publicity_notice,
)
from workflows.licensing.letters import KINDS as LETTER_KINDS
from workflows.licensing.models import LICENSING_NEXT_STEPS, LicensingOutcome, LicensingStage
from workflows.licensing.panel import licensing_panel_context

DECISION_KIND = "licence"

LICENSING = CaseTypeSpec(
    code=CaseType.PAY_AFTER_USE,
    label=CaseType.PAY_AFTER_USE.label,
    stages=LicensingStage,
    next_steps=LICENSING_NEXT_STEPS,
    outcomes=LicensingOutcome,
    decision_kind=DECISION_KIND,
    step_stages=StepStages(
        committee_review=LicensingStage.COMMITTEE_REVIEW,
        publicity=LicensingStage.PUBLICITY,
        objection_review=LicensingStage.OBJECTION_REVIEW,
        decision=LicensingStage.DECISION,
        # A substantive objection sends the case back to the review, and publicity then runs again.
        objection_upheld=LicensingStage.REVIEW,
        # After the decision the contract is signed; the licence has no appeal of its own in this flow.
        appeal_window=LicensingStage.SIGNING,
        appeal_review=LicensingStage.COMMITTEE_REVIEW,
        closed=LicensingStage.CLOSED,
    ),
    publicity_notice=licensing_publicity_notice,
    decision_content=licensing_decision_content,
    decision_notice=licensing_decision_notice,
    task_summary_template="workflows/licensing/task_summary.html",
    panel_template="workflows/licensing/case_panel.html",
    panel_context=licensing_panel_context,
)

LICENSING_DECISION = DecisionKindSpec(
    kind=DECISION_KIND,
    label=_("Pay-after-use licence decision"),
    outcomes={LicensingOutcome.GRANTED.value: _("Licence granted")},
    titles={"zh-hans": "先使用后付费许可决定书", "en": "Decision on a Pay-after-use Licence"},
    templates={"zh-hans": "decisions/licence.html", "en": "decisions/en/licence.html"},
    requires_licence_terms=True,
)


def register() -> None:
    register_case_type(LICENSING)
    register_decision_kind(LICENSING_DECISION)
    for spec in LETTER_KINDS:
        register_decision_kind(spec)
