"""The kinds of decision document, each registered by the case type that issues it.

A kind says which outcomes it may state, its official titles and its templates per rendering language, so
the decisions layer renders, seals and verifies any kind without knowing the case types.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DecisionKindSpec:
    kind: str
    label: str
    # outcome value -> label
    outcomes: dict
    # rendering language ("zh-hans", "en") -> official title and template name
    titles: dict
    templates: dict
    requires_licence_terms: bool = False


_kinds: dict[str, DecisionKindSpec] = {}


def register_decision_kind(spec: DecisionKindSpec) -> None:
    _kinds[spec.kind] = spec


def unregister_decision_kind(kind: str) -> None:
    """For tests that register a kind of their own."""
    _kinds.pop(kind, None)


def decision_kind_spec(kind: str) -> DecisionKindSpec | None:
    return _kinds.get(kind)
