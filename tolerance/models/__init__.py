from tolerance.models.attachments import Attachment
from tolerance.models.calendar import WorkingDayOverride
from tolerance.models.cases import Case, CaseNumberSequence, CaseSubject, CaseType, LeadershipLevel, SubjectAudience
from tolerance.models.committee import CommitteePosition, CommitteeSeat
from tolerance.models.companies import Company, CompanyContact, CompanySize
from tolerance.models.departments import Department, DepartmentContact
from tolerance.models.institutions import CaseTypePolicy, DayCount, Institution
from tolerance.models.pending_uploads import PendingUpload
from tolerance.models.people import Profile
from tolerance.models.scheduling import ScheduledJobRun
from tolerance.models.sign_on import CampusIdentity, CasSignOn, CasVersion
from tolerance.models.stages import CaseStageSpell

# The statistics' own rows (figures built by the scheduler, the small-cell policy, referrals to the
# supervisor) live with the statistics; imported here so the app registry knows them.
from tolerance.statistics.models import StatisticsCell, StatisticsPolicy, StatisticsRollup, SupervisorReferral

__all__ = [
    "Attachment",
    "Case",
    "CaseNumberSequence",
    "CaseStageSpell",
    "CaseSubject",
    "CaseTypePolicy",
    "CampusIdentity",
    "CasSignOn",
    "CasVersion",
    "CommitteePosition",
    "CommitteeSeat",
    "Company",
    "CompanyContact",
    "CompanySize",
    "Department",
    "DepartmentContact",
    "CaseType",
    "DayCount",
    "Institution",
    "LeadershipLevel",
    "PendingUpload",
    "Profile",
    "ScheduledJobRun",
    "StatisticsCell",
    "StatisticsPolicy",
    "StatisticsRollup",
    "SubjectAudience",
    "SupervisorReferral",
    "WorkingDayOverride",
]
