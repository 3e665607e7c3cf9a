"""The registry of case types: what each type tells the core and the shared steps about itself.

A case type (a package under workflows/) registers one CaseTypeSpec when the app is ready. The core reads
a case's stage wording from it; the shared steps (committee, publicity with objections, appeal, decision
issuing) read the outcomes, the stages they move a case to, the decision kind and the texts the type
writes. Neither the core nor the steps import a case type, so adding one touches neither.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DRAFT_STAGE = "draft"
DRAFT_LABEL = _("Not yet submitted")


@dataclass(frozen=True)
class StepStages:
    """The stage each shared step puts a case of this type in (values of the type's own stages)."""

    committee_review: str
    publicity: str
    objection_review: str
    # Publicity closed without objections, or every objection ruled not substantive.
    decision: str
    # A substantive objection sends the case back to this stage (e.g. investigation).
    objection_upheld: str
    appeal_window: str
    appeal_review: str
    closed: str


@dataclass(frozen=True)
class CaseTypeSpec:
    code: str
    label: str
    # The type's stages: a TextChoices whose labels are worded for the researcher, not the officer.
    stages: type
    step_stages: StepStages
    # The outcomes a committee votes on and a decision states: a TextChoices.
    outcomes: type
    decision_kind: str
    # (case) -> the publicity notice text; (case, facts, reasoning) -> DecisionContent.
    publicity_notice: Callable
    decision_content: Callable
    # What happens next at each stage, derived rather than stored so it reads in the reader's language.
    next_steps: dict = field(default_factory=dict)
    # (case, outcome) -> a paragraph the notice of a decision adds, or "" for none.
    decision_notice: Callable | None = None
    # Shown beside every task form of the type: the case's key facts.
    task_summary_template: str = ""
    # The type's part of the case page, and (request, case, is_staff) -> its context.
    panel_template: str = ""
    panel_context: Callable | None = None
    # (case) -> the outcomes (a TextChoices, a subset of `outcomes`) the case's current committee round
    # decides between, for a type whose rounds decide different things; None: always `outcomes`.
    round_outcomes: Callable | None = None
    # The stages of the usual path, in order, for the case page's progress bar (default: every stage).
    progress_stages: tuple = ()
    # (case) -> the type's own searchable words (company, research result…) for the desk's search.
    search_terms: Callable | None = None
    # (case) -> [(key, label)]: the determinations the committee votes on, e.g. one per responsible person;
    # None, or an empty list, means one determination for the whole case (key "").
    determinations: Callable | None = None
    # (case, user) -> the key of that person's own determination among `determinations`, or None: what
    # a person appeals (复核) when each is judged on their own.
    determination_of: Callable | None = None
    # The outcome a resolution and decision state when the determinations differ (one of the decision
    # kind's outcomes, not one the committee votes on).
    mixed_outcome: str = ""
    mixed_outcome_label: str = ""
    # (case) -> who may read the case's publicity notice (a workflows.steps PublicityScope value); None:
    # the whole institution.
    publicity_scope: Callable | None = None

    def stage_label(self, stage: str) -> str:
        if stage == DRAFT_STAGE:
            return DRAFT_LABEL
        try:
            return self.stages(stage).label
        except ValueError:
            return stage

    def outcomes_for(self, case) -> type:
        """The outcomes a committee round of `case` may vote on and resolve now."""
        return self.round_outcomes(case) if self.round_outcomes else self.outcomes

    def progress(self, stage: str) -> list[tuple[str, str]]:
        """(label, "done" | "current" | "todo") per stage of the usual path. A stage off it (returned for
        supplement, say) counts as being at the last path stage declared before it."""
        declared = [choice.value for choice in self.stages]
        path = [str(value) for value in self.progress_stages] or declared
        if stage in path:
            at = path.index(stage)
        else:
            before = declared[: declared.index(stage)] if stage in declared else []
            at = max((path.index(value) for value in before if value in path), default=-1)
        return [
            (self.stage_label(value), "done" if index < at else "current" if index == at else "todo")
            for index, value in enumerate(path)
        ]

    def determination_keys(self, case) -> list[tuple[str, str]]:
        rows = self.determinations(case) if self.determinations else []
        return list(rows) or [("", "")]

    def own_determination(self, case, user) -> str | None:
        """The key of the determination `user` (a subject of `case`) is judged by: "" when the case has one."""
        keys = [key for key, _label in self.determination_keys(case)]
        if keys == [""]:
            return ""
        key = self.determination_of(case, user) if self.determination_of else None
        return key if key in keys else None

    def outcome_label(self, outcome: str) -> str:
        if outcome and outcome == self.mixed_outcome:
            return self.mixed_outcome_label
        try:
            return self.outcomes(outcome).label
        except ValueError:
            return outcome


_registry: dict[str, CaseTypeSpec] = {}


def register_case_type(spec: CaseTypeSpec) -> None:
    _registry[spec.code] = spec


def unregister_case_type(code: str) -> None:
    """For tests that register a type of their own."""
    _registry.pop(code, None)


def case_type_spec(code: str) -> CaseTypeSpec | None:
    return _registry.get(code)


def case_type_specs() -> list[CaseTypeSpec]:
    return list(_registry.values())


def case_type_spec_for(case) -> CaseTypeSpec:
    spec = _registry.get(case.case_type)
    if spec is None:
        raise LookupError(f"Case type {case.case_type!r} is not registered")
    return spec
