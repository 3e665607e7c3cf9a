"""X1: the joint opinions (联合研判 / 征求意见) of 科研、财务、国资、人事、纪检、审计 on an exemption case.

While investigating, the officer may ask the departments the version configures
(`joint_opinions: {departments, working_days, reminder_before_working_days}`). The evaluation is then
confirmed only once every department asked has answered, or its deadline has passed and the case type's
sweep has recorded the missing ones as 逾期未反馈. (A check in the evaluation rather than gateway nodes:
the investigation submit keeps its statement budget, tests/workflows/test_query_counts.py.) The rows, the answer page and the lapse are the shared steps' (steps.department_opinions).
The opinions are for the officers and the committee: the parties never see them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType
from tolerance.selectors.cases import user_is_case_staff
from tolerance.selectors.departments import departments_of
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer
from workflows.exemption.determinations import version_rules
from workflows.exemption.models import ExemptionStage
from workflows.steps.department_opinions import (
    DepartmentRequest,
    OpinionStep,
    opinion_request,
    opinions_lapse,
    opinions_remind,
    register_opinion_step,
)

OPINION_REQUESTED = "exemption_opinion_requested"
FORM = "exemption_opinion"
# The stages in which the departments asked may answer: while the office investigates, and until the
# evaluation is confirmed.
ANSWER_STAGES = (ExemptionStage.INVESTIGATION, ExemptionStage.RULE_EVALUATION)


def joint_rules(case: Case) -> dict:
    return version_rules(case).get("joint_opinions") or {}


def may_ask(user, case: Case) -> bool:
    return is_case_officer(user, case) and case.stage == ExemptionStage.INVESTIGATION and bool(joint_rules(case))


def departments_to_ask(case: Case) -> list[str]:
    """The configured departments not asked yet, in the version's order."""
    asked = set(case.department_requests.values_list("department", flat=True))
    return [code for code in joint_rules(case).get("departments", []) if code not in asked]


def joint_opinions_ask(*, case: Case, asked_by, departments: list[str]):
    """The officer asks the chosen departments, each once, by the version's working-day deadline."""
    if not is_case_officer(asked_by, case):
        raise ValidationError(_("Only an officer of the case's institution can ask the departments."))
    rules = joint_rules(case)
    if not rules:
        raise ValidationError(_("The tolerance list this case is judged under configures no joint opinions."))
    if case.stage != ExemptionStage.INVESTIGATION:
        raise ValidationError(_("The departments are asked while the case is under investigation."))
    offered = departments_to_ask(case)
    if not departments:
        raise ValidationError({"departments": _("Choose at least one department to ask.")})
    if any(code not in offered for code in departments):
        raise ValidationError({"departments": _("Choose among the departments offered.")})
    due = add_working_days(timezone.localdate(), rules["working_days"])
    with transaction.atomic():
        requests = [opinion_request(case=case, department=code, due=due) for code in departments]
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=asked_by,
            case=case,
            payload={"form": "exemption_joint_opinions_asked", "departments": departments, "due": due.isoformat()},
        )
    return requests


def opinions_lapse_overdue(today) -> int:
    """Record as 逾期未反馈 the opinions of exemption cases whose deadline has passed (the evaluation may
    then be confirmed without them); returns how many cases."""
    overdue = (
        DepartmentRequest.objects.filter(
            case__case_type=CaseType.EXEMPTION, answered_at__isnull=True, lapsed_at__isnull=True, due_on__lt=today
        )
        .values_list("case_id", flat=True)
        .distinct()
    )
    cases = Case.objects.filter(pk__in=list(overdue))
    for case in cases:
        opinions_lapse(case)
    return len(cases)


def opinions_sweep(now) -> int:
    """The reminders two working days before the deadline, and the lapse once it has passed."""
    return opinions_lapse_overdue(timezone.localdate(now)) + opinions_remind(
        now,
        case_type=CaseType.EXEMPTION,
        before_working_days=lambda case: joint_rules(case).get("reminder_before_working_days"),
    )


def joint_opinions_panel_context(request, case):
    """Officers and the committee read every opinion; a department contact only their own request, to
    answer it; the parties and everyone else see nothing of them."""
    if case.case_type != CaseType.EXEMPTION:
        return None
    user = request.user
    requests = case.department_requests.all()
    mine = departments_of(user, case.institution)
    if not user_is_case_staff(user, case):
        if not mine:
            return None
        requests = requests.filter(department__in=mine)
    requests = list(requests)
    may = may_ask(user, case) and bool(departments_to_ask(case))
    if not requests and not may:
        return None
    return {"requests": requests, "may_ask": may, "answer_stages": ANSWER_STAGES, "my_departments": mine}


def register() -> None:
    register_opinion_step(
        CaseType.EXEMPTION,
        OpinionStep(
            stages=ANSWER_STAGES,
            form=FORM,
            notice_kind=OPINION_REQUESTED,
            about=gettext_lazy("the investigation of the case"),
        ),
    )
