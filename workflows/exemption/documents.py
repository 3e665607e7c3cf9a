"""What an exemption case writes for the shared steps: its publicity notice, its decision's content and
the note on what an exemption means for the people concerned. All are stored and shown to everyone, so
the steps call them in the site's language."""

from django.utils.translation import gettext as _

from tolerance.decisions.content import DecisionContent, Evidence, Ground
from tolerance.models import Case
from workflows.exemption.models import ExemptionOutcome
from workflows.exemption.tolerance_list import PolicyItemKind
from workflows.steps.committee import resolution_sentence, review_current
from workflows.steps.issuing import previous_decision


def exemption_publicity_notice(*, case: Case) -> str:
    """The notice: who, what, the proposed outcome, and how to object."""
    review = review_current(case)
    subjects = "、".join(
        (link.user.profile.real_name if hasattr(link.user, "profile") else link.user.username)
        for link in case.subject_links.select_related("user__profile")
    )
    return _(
        "Notice of publicity. Case %(number)s “%(title)s” concerning %(subjects)s: after investigation and "
        "committee review, %(institution)s proposes “%(outcome)s”. Anyone with an objection may lodge it "
        "through the system or in writing to the technology transfer office during the publicity period."
    ) % {
        "number": case.number,
        "title": case.title,
        "subjects": subjects,
        "institution": case.institution.name_zh,
        "outcome": ExemptionOutcome(review.outcome).label if review and review.outcome else "",
    }


def _evidence_line(attachment) -> Evidence:
    """What a reader of the decision recognises: the category (named in each rendering's language) and what
    the uploader said it is. The upload's file name (minutes.pdf) says nothing on paper; it is only the
    fallback for a file filed with no description."""
    return Evidence(category=attachment.category, text=attachment.description.strip() or attachment.original_name)


def exemption_decision_content(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    """The grounds come from the findings, the resolution line from the committee."""
    details = case.exemption
    grounds = []
    for finding in (
        case.findings.select_related("item").prefetch_related("evidence").exclude(item__kind=PolicyItemKind.MITIGATING)
    ):
        verdict = (
            ("met" if finding.holds else "not_met")
            if finding.item.kind == PolicyItemKind.CONDITION
            else ("applies" if finding.holds else "does_not_apply")
        )
        grounds.append(
            Ground(
                condition=f"{finding.item.code} {finding.item.title}",
                verdict=verdict,
                finding=finding.note,
                evidence=[_evidence_line(attachment) for attachment in finding.evidence.all()],
            )
        )
    review = review_current(case)
    return DecisionContent(
        facts=facts,
        grounds=grounds,
        reasoning=reasoning,
        committee_resolution=resolution_sentence(review, ExemptionOutcome(review.outcome).label) if review else "",
        tolerance_list_version=str(details.policy_version),
        tolerance_entries=[f"{e.code} {e.title}" for e in details.cited_entries.order_by("order")],
        supersedes=previous_decision(case),
    )


def exemption_decision_notice(*, case: Case, outcome: str) -> str:
    if outcome != ExemptionOutcome.EXEMPT:
        return ""
    return _(
        "Under the policy, the exemption means the persons concerned are not affected in awards and "
        "evaluations (评先评优), appraisal and rewards (考核奖励) or professional title appointment (职称评聘)."
    )
