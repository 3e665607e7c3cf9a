"""What a sample case writes for the shared steps: its notice, its ruling's content and a line for the mail."""

from tests.sample_case_type.models import SampleOutcome
from tolerance.decisions.content import DecisionContent, Ground
from tolerance.models import Case
from workflows.steps.committee import resolution_sentence, review_current
from workflows.steps.issuing import previous_decision


def sample_publicity_notice(*, case: Case) -> str:
    review = review_current(case)
    outcome = SampleOutcome(review.outcome).label if review and review.outcome else ""
    return f"Sample notice for {case.number} “{case.title}”: the panel proposes “{outcome}”. Comments welcome."


def sample_decision_content(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    """The grounds are the panel's resolution and the rulings on comments: the sample type has no findings."""
    review = review_current(case)
    grounds = [Ground(condition="试验审议小组决议", finding=review.resolution_text)]
    for publicity in case.publicities.order_by("id"):
        for objection in publicity.objections.order_by("pk"):
            grounds.append(
                Ground(
                    condition=f"异议：{objection.text}",
                    finding=f"{objection.get_ruling_display()}：{objection.ruling_reason}",
                )
            )
    return DecisionContent(
        facts=facts,
        grounds=grounds,
        reasoning=reasoning,
        committee_resolution=resolution_sentence(review, SampleOutcome(review.outcome).label),
        supersedes=previous_decision(case),
    )


def sample_decision_notice(*, case: Case, outcome: str) -> str:
    return "The sample claim stands." if outcome == SampleOutcome.UPHELD else ""
