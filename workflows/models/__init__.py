"""Django looks for an app's models in `<app>.models`: each package's models are gathered here.

Code of the project imports models from their own package, never from here, so no package reaches
another through this module.
"""

from workflows.exemption.application_models import SelfApplication
from workflows.exemption.models import (
    ExemptionDetails,
    ExemptionOutcome,
    ExemptionProcess,
    ExemptionStage,
    Finding,
    IntakeResult,
    IntakeReview,
    PublicityVenue,
    RuleEvaluation,
    SubjectDetermination,
    TransferRoute,
)
from workflows.exemption.result_models import ResultApplication
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind, PolicyVersion
from workflows.licensing.application_models import ApplicationDocument, LicenceApplication
from workflows.licensing.ledger import (
    LadderNotice,
    LicenceClosure,
    LicenceElection,
    PaymentDue,
    Receipt,
    TriggerEvent,
    UsageReport,
)
from workflows.licensing.models import (
    LicenceGrant,
    LicensingDetails,
    LicensingPolicyVersion,
    LicensingProcess,
    LicensingReview,
    Result,
)
from workflows.rectification.catalogue import CatalogueItem, CatalogueItemKind, CatalogueVersion
from workflows.rectification.models import (
    AcceptanceReview,
    ItemEvidence,
    ItemExtension,
    ItemVerifier,
    RectificationDetails,
    RectificationItem,
    RectificationProcess,
)
from workflows.rectification.register import RegisterEntry
from workflows.steps.department_opinions import DepartmentRequest
from workflows.steps.models import (
    Appeal,
    CommitteeReview,
    ConflictDeclaration,
    Objection,
    ObjectionRuling,
    Publicity,
    Vote,
)
from workflows.steps.referrals import Referral

__all__ = [
    "AcceptanceReview",
    "CatalogueItem",
    "CatalogueItemKind",
    "CatalogueVersion",
    "DepartmentRequest",
    "ItemEvidence",
    "ItemExtension",
    "ItemVerifier",
    "RectificationDetails",
    "RectificationItem",
    "RectificationProcess",
    "RegisterEntry",
    "Appeal",
    "CommitteeReview",
    "ConflictDeclaration",
    "ExemptionDetails",
    "ExemptionOutcome",
    "ExemptionProcess",
    "ExemptionStage",
    "Finding",
    "IntakeResult",
    "IntakeReview",
    "ApplicationDocument",
    "LadderNotice",
    "LicenceApplication",
    "LicenceClosure",
    "LicenceElection",
    "LicenceGrant",
    "LicensingDetails",
    "LicensingPolicyVersion",
    "LicensingProcess",
    "LicensingReview",
    "PaymentDue",
    "Receipt",
    "Result",
    "TriggerEvent",
    "UsageReport",
    "Objection",
    "ObjectionRuling",
    "PolicyItem",
    "PolicyItemKind",
    "PolicyVersion",
    "Publicity",
    "PublicityVenue",
    "Referral",
    "ResultApplication",
    "RuleEvaluation",
    "SelfApplication",
    "SubjectDetermination",
    "TransferRoute",
    "Vote",
]
