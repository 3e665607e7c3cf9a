"""The rules of 容错免责认定 as pure functions: no database, so every combination is cheap to test.

`evaluate` proposes an outcome from the investigator's findings and says why, item by item.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflows.exemption.models import ExemptionOutcome


@dataclass(frozen=True)
class ItemFinding:
    code: str
    title: str
    holds: bool | None  # None: nothing recorded yet


@dataclass(frozen=True)
class Evaluation:
    proposal: str
    lines: list[dict]
    summary: str


def _line(kind, finding, verdict):
    return {"kind": kind, "code": finding.code, "title": finding.title, "holds": finding.holds, "verdict": verdict}


def evaluate(
    *,
    conditions: list[ItemFinding],
    negatives: list[ItemFinding],
    mitigating: list[ItemFinding],
    negative_mitigable: bool = False,
) -> Evaluation:
    """Propose 免责, 减责 or 不予免责.

    Any negative-list item blocks exemption. All conditions met and no negative item: exempt.
    Otherwise a mitigating factor turns "not exempt" into "reduced" — after a negative-list hit only
    when the policy version allows it (`negative_mitigable`).
    """
    lines = []
    for finding in conditions:
        if finding.holds is None:
            verdict = _("No finding recorded: treated as not met.")
        elif finding.holds:
            verdict = _("Met.")
        else:
            verdict = _("Not met: exemption requires every condition.")
        lines.append(_line("condition", finding, verdict))
    for finding in negatives:
        if finding.holds:
            verdict = _("Applies: this blocks exemption.")
        elif finding.holds is None:
            verdict = _("No finding recorded: treated as not applying.")
        else:
            verdict = _("Does not apply.")
        lines.append(_line("negative", finding, verdict))
    for finding in mitigating:
        verdict = _("Present.") if finding.holds else _("Not present.")
        lines.append(_line("mitigating", finding, verdict))

    negative_hit = any(f.holds for f in negatives)
    all_met = bool(conditions) and all(f.holds for f in conditions)
    mitigated = any(f.holds for f in mitigating)
    if negative_hit:
        if mitigated and negative_mitigable:
            proposal = ExemptionOutcome.REDUCED
            summary = _(
                "A negative-list item applies, so exemption is excluded; a mitigating factor is present and this policy version allows it to reduce liability."
            )
        else:
            proposal = ExemptionOutcome.NOT_EXEMPT
            summary = _("A negative-list item applies, so the case can be neither exempted nor reduced.")
    elif all_met:
        proposal = ExemptionOutcome.EXEMPT
        summary = _("All exemption conditions are met and no negative-list item applies.")
    elif mitigated:
        proposal = ExemptionOutcome.REDUCED
        summary = _("Not every condition is met, but a mitigating factor is present.")
    else:
        proposal = ExemptionOutcome.NOT_EXEMPT
        summary = _("Not every condition is met and no mitigating factor is present.")
    return Evaluation(proposal=str(proposal), lines=lines, summary=summary)
