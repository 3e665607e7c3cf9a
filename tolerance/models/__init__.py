from tolerance.models.attachments import Attachment
from tolerance.models.calendar import WorkingDayOverride
from tolerance.models.cases import Case, CaseNumberSequence, CaseStage, CaseSubject, CaseType
from tolerance.models.institutions import Institution
from tolerance.models.people import Profile

__all__ = [
    "Attachment",
    "Case",
    "CaseNumberSequence",
    "CaseStage",
    "CaseSubject",
    "CaseType",
    "Institution",
    "Profile",
    "WorkingDayOverride",
]
