from workflows.models.appeal import Appeal
from workflows.models.committee import CommitteeReview, ConflictDeclaration, Vote
from workflows.models.exemption import (
    ExemptionDetails,
    ExemptionOutcome,
    ExemptionProcess,
    Finding,
    IntakeResult,
    IntakeReview,
    RuleEvaluation,
    TransferRoute,
)
from workflows.models.policy import PolicyItem, PolicyItemKind, PolicyVersion
from workflows.models.publicity import Objection, ObjectionRuling, Publicity

__all__ = [
    "Appeal",
    "CommitteeReview",
    "ConflictDeclaration",
    "ExemptionDetails",
    "ExemptionOutcome",
    "ExemptionProcess",
    "Finding",
    "IntakeResult",
    "IntakeReview",
    "Objection",
    "ObjectionRuling",
    "PolicyItem",
    "PolicyItemKind",
    "PolicyVersion",
    "Publicity",
    "RuleEvaluation",
    "TransferRoute",
    "Vote",
]
