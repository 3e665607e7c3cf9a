"""The committee's vote count, exhaustively: it is a pure function."""

import pytest

from workflows.steps.rules import tally


@pytest.mark.parametrize(
    "members,recused,votes,quorum,threshold,required,quorum_met,passed",
    [
        (5, 0, ["exempt"] * 4, 67, 50, 4, True, "exempt"),
        (5, 0, ["exempt"] * 3, 67, 50, 4, False, None),  # 3 < ceil(3.35)
        (5, 1, ["exempt"] * 3, 67, 50, 3, True, "exempt"),  # recusal lowers the quorum
        (5, 0, ["exempt", "exempt", "reduced", "reduced"], 67, 50, 4, True, None),  # tie: nobody > 50%
        (5, 0, ["exempt", "exempt", "exempt", "reduced"], 67, 50, 4, True, "exempt"),
        (5, 0, ["exempt", "exempt", "reduced", "not_exempt"], 67, 50, 4, True, None),  # 50% is not more than 50%
        (5, 0, ["exempt", "exempt", "exempt", "reduced"], 67, 75, 4, True, None),  # 75% is not more than 75%
        (5, 0, ["exempt"] * 5, 100, 50, 5, True, "exempt"),
        (3, 3, [], 67, 50, 1, False, None),  # everyone recused: no quorum possible
        (1, 0, ["reduced"], 67, 50, 1, True, "reduced"),
    ],
)
def test_tally(members, recused, votes, quorum, threshold, required, quorum_met, passed):
    count = tally(members=members, recused=recused, votes=votes, quorum_percent=quorum, threshold_percent=threshold)
    assert count.quorum_required == required
    assert count.quorum_met is quorum_met
    assert count.passed == passed
    assert count.votes_cast == len(votes)
