from tolerance.models.attachments import Attachment
from tolerance.models.calendar import WorkingDayOverride
from tolerance.models.cases import Case, CaseNumberSequence, CaseSubject, CaseType
from tolerance.models.departments import Department, DepartmentContact
from tolerance.models.institutions import CaseTypePolicy, DayCount, Institution
from tolerance.models.pending_uploads import PendingUpload
from tolerance.models.people import Profile
from tolerance.models.scheduling import ScheduledJobRun

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
    "PendingUpload",
    "Profile",
    "ScheduledJobRun",
    "WorkingDayOverride",
]
