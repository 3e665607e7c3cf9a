"""X1: the joint opinions (联合研判 / 征求意见) of 科研、财务、国资、人事、纪检、审计 on an exemption case.

While investigating, the officer may ask the departments the version configures
(`joint_opinions: {departments, working_days, reminder_before_working_days}`). After the investigation
the flow then waits (`await_opinions`) until every department asked has answered, or until the last
deadline has passed, when the missing ones are recorded as 逾期未反馈; only then is the evaluation
confirmed. The rows, the answer page and the lapse are the shared steps' (steps.department_opinions).
The opinions are for the officers and the committee: the parties never see them.
"""

import datetime

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
from tolerance.services.cases import case_stage_set
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer
from workflows.exemption.determinations import version_rules
from workflows.exemption.models import ExemptionStage
from workflows.selectors import open_tasks
from workflows.steps.department_opinions import (
    OpinionStep,
    opinion_request,
    opinions_lapse,
    opinions_remind,
    opinions_waiting,
    register_opinion_step,
)

OPINION_REQUESTED = "exemption_opinion_requested"
FORM = "exemption_opinion"
# The stages in which the departments asked may answer: while the office investigates, and while the
# flow waits for them before the evaluation.
ANSWER_STAGES = (ExemptionStage.INVESTIGATION, ExemptionStage.JOINT_OPINIONS)


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


# The flow's side: the route, the wait's deadline, the lapse, and the release once the last one is in.


def opinions_pending(case: Case) -> bool:
    return opinions_waiting(case).exists()


def opinions_wait_start(case: Case) -> None:
    case_stage_set(case=case, stage=ExemptionStage.JOINT_OPINIONS)


def opinions_deadline_moment(case: Case) -> datetime.datetime:
    """The wait ends at midnight after the last department's deadline, local time."""
    last = max(opinions_waiting(case).values_list("due_on", flat=True), default=timezone.localdate())
    return timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))


def opinions_lapsed(case: Case) -> None:
    """The deadline passed: the missing opinions are recorded as 逾期未反馈 and the evaluation may go on."""
    with transaction.atomic():
        opinions_lapse(case)
        case_stage_set(case=case, stage=ExemptionStage.RULE_EVALUATION)


def _given(request) -> None:
    case = request.case
    if opinions_pending(case):
        return
    task = open_tasks(case, "await_opinions").first()
    if task is not None:
        case_stage_set(case=case, stage=ExemptionStage.RULE_EVALUATION)
        task.flow_task.run(task)


def opinions_sweep(now) -> int:
    return opinions_remind(
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
            given=_given,
        ),
    )
