"""Counting a committee vote, as a pure function: no database, so every combination is cheap to test."""

import math
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    members: int
    recused: int
    eligible: int
    quorum_required: int
    votes_cast: int
    counts: dict
    quorum_met: bool
    passed: str | None  # the outcome that passed, if any


def tally(*, members: int, recused: int, votes: list[str], quorum_percent: int, threshold_percent: int) -> Tally:
    """Quorum: ceil(quorum% of the non-recused members) votes cast. An outcome passes with more than
    threshold% of the votes cast (at most one can, as long as the threshold is at least 50%)."""
    eligible = max(members - recused, 0)
    quorum_required = math.ceil(eligible * quorum_percent / 100) if eligible else 1
    counts = dict(Counter(votes))
    cast = len(votes)
    quorum_met = eligible > 0 and cast >= quorum_required
    passing = [outcome for outcome, count in counts.items() if count * 100 > threshold_percent * cast]
    passed = passing[0] if quorum_met and len(passing) == 1 else None
    return Tally(
        members=members,
        recused=recused,
        eligible=eligible,
        quorum_required=quorum_required,
        votes_cast=cast,
        counts=counts,
        quorum_met=quorum_met,
        passed=passed,
    )
