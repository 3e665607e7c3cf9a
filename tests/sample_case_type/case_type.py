"""The sample type as the core and the shared steps see it, registered when the test app is ready."""

from tests.sample_case_type.documents import sample_decision_content, sample_decision_notice, sample_publicity_notice
from tests.sample_case_type.models import SampleOutcome, SampleStage
from tolerance import roles
from tolerance.case_types import CaseTypeSpec, StepStages, register_case_type
from tolerance.decisions.kinds import DecisionKindSpec, register_decision_kind

CODE = "TS"
DECISION_KIND = "sample"
OFFICER_TASK = "sample_case_type.officer_task_sampleprocess"
CHAIR_TASK = "sample_case_type.chair_task_sampleprocess"
PROCESS_VIEW = "sample_case_type.view_sampleprocess"

SAMPLE = CaseTypeSpec(
    code=CODE,
    label="Sample case",
    stages=SampleStage,
    next_steps={SampleStage.HEARING: "The sample panel hears the case."},
    outcomes=SampleOutcome,
    decision_kind=DECISION_KIND,
    step_stages=StepStages(
        committee_review=SampleStage.HEARING,
        publicity=SampleStage.NOTICE,
        objection_review=SampleStage.COMMENTS,
        decision=SampleStage.RULING,
        objection_upheld=SampleStage.RECONSIDERATION,
        appeal_window=SampleStage.CHALLENGE_WINDOW,
        appeal_review=SampleStage.CHALLENGE,
        closed=SampleStage.FINISHED,
    ),
    publicity_notice=sample_publicity_notice,
    decision_content=sample_decision_content,
    decision_notice=sample_decision_notice,
)

SAMPLE_DECISION = DecisionKindSpec(
    kind=DECISION_KIND,
    label="Sample ruling",
    outcomes={SampleOutcome.UPHELD.value: "Upheld", SampleOutcome.DISMISSED.value: "Dismissed"},
    titles={"zh-hans": "试验事项裁决书", "en": "Sample Ruling"},
    templates={"zh-hans": "decisions/sample.html", "en": "decisions/en/sample.html"},
)


def register() -> None:
    register_case_type(SAMPLE)
    register_decision_kind(SAMPLE_DECISION)
    # Before the test database is migrated, so the role groups get these permissions as they are created.
    roles.extend_role_permissions(
        {
            roles.OFFICER: {PROCESS_VIEW, OFFICER_TASK},
            roles.COMMITTEE_MEMBER: {PROCESS_VIEW},
            roles.COMMITTEE_CHAIR: {PROCESS_VIEW, CHAIR_TASK},
        }
    )
