"""Whether a committee resolution goes to publicity, and to whom (F16, F18).

No source requires publicising the 容错 decision itself, so a version may turn it off
(`publicity.required`). An appeal review skips publicity, unless the version asks to publicise again
when the review changed someone's outcome (`publicity.republicise_on_changed_outcome`). The version's
`publicity.scope` says who reads the notice, in the words of the policy text (全校, 院系, 委员会内, 社会公开)
or as a scope code; a version that names none publicises to the whole institution, as version 1 did."""

from tolerance.models import Case
from workflows.exemption.determinations import case_subjects, version_rules
from workflows.exemption.documents import resolved_outcomes
from workflows.exemption.tolerance_list import SCOPE_WORDS
from workflows.steps.appeal import is_appeal_review
from workflows.steps.issuing import previous_decision
from workflows.steps.models import PublicityScope


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


def publicity_scope(case: Case) -> str:
    """The scope the version's words name; an unknown word is refused when the version is saved
    (tolerance_list.PolicyVersion.clean), so only a version without one falls back to the institution."""
    word = _publicity_rules(case).get("scope", "")
    return SCOPE_WORDS.get(word, word if word in PublicityScope.values else PublicityScope.INSTITUTION)
