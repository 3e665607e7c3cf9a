"""What a decision says, as decided by people; everything else on the document comes from the case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tolerance.decisions.models import Decision


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence as a decision cites it: its category (a code each rendering names in its own
    language) and what the uploader said it is, reproduced as recorded."""

    category: str
    text: str


@dataclass(frozen=True)
class Ground:
    """One condition (or negative-list item) with what was found and the evidence relied on.

    The verdict is a fixed word ("met", "not_met", "applies", "does_not_apply") that each rendering prints
    in its own language; the finding and the evidence's descriptions are text people recorded, reproduced
    as they are. An evidence item is an Evidence or, as a case type may prefer, plain text.
    """

    condition: str
    finding: str
    evidence: list[Evidence | str] = field(default_factory=list)
    verdict: str = ""


@dataclass(frozen=True)
class DecisionContent:
    facts: str
    grounds: list[Ground]
    reasoning: str
    committee_resolution: str = ""
    tolerance_list_version: str = ""
    tolerance_entries: list[str] = field(default_factory=list)
    licence_terms: list[tuple[str, str]] = field(default_factory=list)
    # A decision on several people states each one's outcome on a row of its own: dicts of text the case
    # type writes (name, post, audience, outcome, scope, correction…), printed by the kind's template.
    subject_rows: list[dict] = field(default_factory=list)
    # The approval of the rules the decision applies (e.g. the tolerance list's approval document number).
    rules_approval: str = ""
    # A route of appeal outside the institution (e.g. to the 上级主管部门 or 纪检), as the policy words it.
    external_appeal_route: str = ""
    supersedes: Decision | None = None

    def as_record(self) -> dict:
        """A JSON-safe copy kept on the Decision row, so the record states what the PDF says."""
        return {
            "facts": self.facts,
            "grounds": [
                {
                    "condition": g.condition,
                    "verdict": g.verdict,
                    "finding": g.finding,
                    "evidence": [
                        {"category": item.category, "text": item.text} if isinstance(item, Evidence) else item
                        for item in g.evidence
                    ],
                }
                for g in self.grounds
            ],
            "reasoning": self.reasoning,
            "committee_resolution": self.committee_resolution,
            "tolerance_list_version": self.tolerance_list_version,
            "tolerance_entries": list(self.tolerance_entries),
            "licence_terms": [[name, value] for name, value in self.licence_terms],
            **({"subject_rows": [dict(row) for row in self.subject_rows]} if self.subject_rows else {}),
            **({"rules_approval": self.rules_approval} if self.rules_approval else {}),
            **({"external_appeal_route": self.external_appeal_route} if self.external_appeal_route else {}),
            "supersedes": self.supersedes.document_number if self.supersedes is not None else "",
        }


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines; single newlines stay inside a paragraph."""
    blocks = (block.strip() for block in text.replace("\r\n", "\n").split("\n\n"))
    return [block for block in blocks if block]
