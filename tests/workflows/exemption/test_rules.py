"""The exemption rule evaluation, exhaustively: it is a pure function."""

import itertools

import pytest

from workflows.exemption.rules import ItemFinding, evaluate
from workflows.models import ExemptionOutcome


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
