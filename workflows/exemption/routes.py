"""Whether a committee resolution goes to publicity (F16, F18).

No source requires publicising the 容错 decision itself, so a version may turn it off
(`publicity.required`). An appeal review skips publicity, unless the version asks to publicise again
when the review changed someone's outcome (`publicity.republicise_on_changed_outcome`)."""

from tolerance.models import Case
from workflows.exemption.determinations import case_subjects, version_rules
from workflows.exemption.documents import resolved_outcomes
from workflows.steps.appeal import is_appeal_review
from workflows.steps.issuing import previous_decision


def _publicity_rules(case: Case) -> dict:
    return version_rules(case).get("publicity", {})


def outcome_changed(case: Case) -> bool:
    """Does the appeal review resolve any person differently from the decision it supersedes?"""
    previous = previous_decision(case)
    if previous is None:
        return False
    stated = {row.get("subject"): row["outcome"] for row in previous.content.get("subject_rows", [])}
    resolved = resolved_outcomes(case)
    return any(resolved.get(str(link.pk)) != stated.get(link.pk, previous.outcome) for link in case_subjects(case))


def publicity_skipped(case: Case) -> bool:
    rules = _publicity_rules(case)
    if not rules.get("required", True):
        return True
    if is_appeal_review(case):
        return not (rules.get("republicise_on_changed_outcome") and outcome_changed(case))
    return False
