"""Who may act on a case of any type: institution, role and four-eyes checks.

Model-wide permissions (tolerance.roles) say what a role may do at all; these say on which case.
They take the process or case so task nodes and our own views share one rule.
"""

from tolerance import roles
from tolerance.selectors.cases import is_case_subject as is_case_subject  # re-exported: one rule, kept there
from tolerance.selectors.cases import user_institution_id


def _same_institution(user, case) -> bool:
    return case is not None and user_institution_id(user) == case.institution_id


def case_of(process):
    return getattr(process, "case", None)


def can_file(user) -> bool:
    return roles.has_role(user, roles.OFFICER) and user_institution_id(user) is not None


def is_officer_of(user, institution_id) -> bool:
    return roles.has_role(user, roles.OFFICER) and user_institution_id(user) == institution_id


def is_case_officer(user, case) -> bool:
    return roles.has_role(user, roles.OFFICER) and _same_institution(user, case)


def is_second_officer(user, case) -> bool:
    """Four-eyes: an officer of the institution who did not file the case."""
    return is_case_officer(user, case) and case.filed_by_id != user.pk


def is_case_filer(user, case) -> bool:
    return case is not None and case.filed_by_id == user.pk


def is_case_chair(user, case) -> bool:
    return roles.has_role(user, roles.COMMITTEE_CHAIR) and _same_institution(user, case)


def is_committee_member(user, case) -> bool:
    """Chair and members both sit on (and vote in) their institution's committee."""
    return roles.has_role(user, roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR) and _same_institution(user, case)
