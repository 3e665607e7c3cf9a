"""The rules of 容错免责认定 as pure functions: no database, so every combination is cheap to test.

`evaluate` proposes an outcome for one responsible person from the findings that concern them and says
why, item by item. Items that do not apply to the person (another audience, or not applicable by the
conversion's route) are listed as such and weigh nothing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflows.exemption.models import ExemptionOutcome

# Version rule (PolicyVersion.rules["researcher_default"]): researchers are corrected, not punished.
CORRECT_NOT_PUNISH = "correct_not_punish"
RESEARCHER = "researcher"


@dataclass(frozen=True)
class ItemFinding:
    code: str
    title: str
    holds: bool | None  # None: nothing recorded yet
    # Why the item does not apply to this person ("" when it does).
    not_applicable: str = ""


@dataclass(frozen=True)
class Evaluation:
    proposal: str
    lines: list[dict]
    summary: str
    # The proposal comes with a correction order (纠错), as the researcher default requires.
    correction_required: bool = False


def _line(kind, finding, verdict):
    return {"kind": kind, "code": finding.code, "title": finding.title, "holds": finding.holds, "verdict": verdict}


def _condition_verdict(finding):
    if finding.holds is None:
        return _("No finding recorded: treated as not met.")
    return _("Met.") if finding.holds else _("Not met: exemption requires every condition.")


def _negative_verdict(finding):
    if finding.holds:
        return _("Applies: this blocks exemption.")
    if finding.holds is None:
        return _("No finding recorded: treated as not applying.")
    return _("Does not apply.")


def _lines(groups):
    lines = []
    for kind, findings, verdict_of in groups:
        for finding in findings:
            verdict = finding.not_applicable or verdict_of(finding)
            lines.append(_line(kind, finding, verdict))
    return lines


def evaluate(
    *,
    conditions: list[ItemFinding],
    negatives: list[ItemFinding],
    mitigating: list[ItemFinding],
    exempting: list[ItemFinding] = (),
    negative_mitigable: bool = False,
    audience: str = "",
    researcher_default: str = "",
    researcher_default_requires: tuple[str, ...] = (),
) -> Evaluation:
    """Propose 免责, 减责 or 不予免责 for one person.

    Any negative-list item blocks exemption. An exempting ground (a recorded dissent) exempts its person.
    All conditions met and no negative item: exempt. A researcher under the version's "correct, not
    punish" rule is exempted with a correction order when the conditions it requires hold. Otherwise a
    mitigating factor turns "not exempt" into "reduced" — after a negative-list hit only when the policy
    version allows it (`negative_mitigable`).
    """
    lines = _lines(
        [
            ("condition", conditions, _condition_verdict),
            ("negative", negatives, _negative_verdict),
            (
                "exempting",
                exempting,
                lambda f: _("Present: this exempts the person.") if f.holds else _("Not present."),
            ),
            ("mitigating", mitigating, lambda f: _("Present.") if f.holds else _("Not present.")),
        ]
    )

    def applicable(findings):
        return [f for f in findings if not f.not_applicable]

    conditions, negatives = applicable(conditions), applicable(negatives)
    negative_hit = any(f.holds for f in negatives)
    all_met = bool(conditions) and all(f.holds for f in conditions)
    mitigated = any(f.holds for f in applicable(mitigating))
    dissented = any(f.holds for f in applicable(exempting))
    held = {f.code for f in conditions if f.holds}
    corrected = (
        researcher_default == CORRECT_NOT_PUNISH and audience == RESEARCHER and set(researcher_default_requires) <= held
    )
    correction_required = False
    if negative_hit:
        if mitigated and negative_mitigable:
            proposal = ExemptionOutcome.REDUCED
            summary = _(
                "A negative-list item applies, so exemption is excluded; a mitigating factor is present and this policy version allows it to reduce liability."
            )
        else:
            proposal = ExemptionOutcome.NOT_EXEMPT
            summary = _("A negative-list item applies, so the case can be neither exempted nor reduced.")
    elif dissented:
        proposal = ExemptionOutcome.EXEMPT
        summary = _(
            "The person's recorded dissent from the collective decision exempts them, and no negative-list item applies."
        )
    elif all_met:
        proposal = ExemptionOutcome.EXEMPT
        summary = _("All exemption conditions are met and no negative-list item applies.")
    elif corrected:
        proposal = ExemptionOutcome.EXEMPT
        correction_required = True
        summary = _(
            "Rule “researchers are corrected, not punished”: no negative-list item applies and %(codes)s hold, so the researcher is exempted with a correction order."
        ) % {"codes": "、".join(researcher_default_requires) or "—"}
    elif mitigated:
        proposal = ExemptionOutcome.REDUCED
        summary = _("Not every condition is met, but a mitigating factor is present.")
    else:
        proposal = ExemptionOutcome.NOT_EXEMPT
        summary = _("Not every condition is met and no mitigating factor is present.")
    return Evaluation(proposal=str(proposal), lines=lines, summary=summary, correction_required=correction_required)
