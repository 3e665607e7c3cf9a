"""The rule evaluation and the vote count, exhaustively: they are pure functions."""

import itertools

import pytest

from workflows.exemption.rules import ItemFinding, evaluate
from workflows.models import ExemptionOutcome
from workflows.steps.rules import tally


def items(prefix, values):
    return [ItemFinding(code=f"{prefix}{n}", title=f"{prefix}{n}", holds=value) for n, value in enumerate(values, 1)]


def expected(conditions, negatives, mitigating, negative_mitigable):
    if any(negatives):
        return ExemptionOutcome.REDUCED if (any(mitigating) and negative_mitigable) else ExemptionOutcome.NOT_EXEMPT
    if all(conditions):
        return ExemptionOutcome.EXEMPT
    return ExemptionOutcome.REDUCED if any(mitigating) else ExemptionOutcome.NOT_EXEMPT


@pytest.mark.parametrize("negative_mitigable", [False, True])
def test_every_combination_of_six_conditions_two_negatives_two_mitigating(negative_mitigable):
    for bits in itertools.product([True, False], repeat=10):
        conditions, negatives, mitigating = bits[:6], bits[6:8], bits[8:]
        result = evaluate(
            conditions=items("C", conditions),
            negatives=items("N", negatives),
            mitigating=items("M", mitigating),
            negative_mitigable=negative_mitigable,
        )
        assert result.proposal == expected(conditions, negatives, mitigating, negative_mitigable), bits
        assert len(result.lines) == 10
        assert result.summary


def test_a_negative_item_blocks_exemption_even_with_every_condition_met():
    result = evaluate(
        conditions=items("C", [True] * 6), negatives=items("N", [False, True]), mitigating=items("M", [True])
    )
    assert result.proposal == ExemptionOutcome.NOT_EXEMPT
    assert [line["verdict"] for line in result.lines if line["kind"] == "negative"][1] != [
        line["verdict"] for line in result.lines if line["kind"] == "negative"
    ][0]


def test_a_missing_finding_counts_as_a_condition_not_met():
    result = evaluate(conditions=items("C", [True] * 5 + [None]), negatives=items("N", [False]), mitigating=[])
    assert result.proposal == ExemptionOutcome.NOT_EXEMPT
    assert result.lines[5]["holds"] is None


def test_no_conditions_at_all_never_exempts():
    assert evaluate(conditions=[], negatives=[], mitigating=[]).proposal == ExemptionOutcome.NOT_EXEMPT


def test_explanation_is_in_chinese_by_default():
    result = evaluate(conditions=items("C", [True]), negatives=[], mitigating=[])
    assert any("\u4e00" <= char <= "\u9fff" for char in result.summary)


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
