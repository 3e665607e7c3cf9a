from tolerance.models.attachments import Attachment
from tolerance.models.calendar import WorkingDayOverride
from tolerance.models.cases import Case, CaseNumberSequence, CaseSubject, CaseType, LeadershipLevel, SubjectAudience
from tolerance.models.departments import Department, DepartmentContact
from tolerance.models.institutions import CaseTypePolicy, DayCount, Institution
from tolerance.models.pending_uploads import PendingUpload
from tolerance.models.people import Profile

__all__ = [
    "Attachment",
    "Case",
    "CaseNumberSequence",
    "CaseSubject",
    "CaseTypePolicy",
    "Department",
    "DepartmentContact",
    "CaseType",
    "DayCount",
    "Institution",
    "LeadershipLevel",
    "PendingUpload",
    "Profile",
    "SubjectAudience",
    "WorkingDayOverride",
]
