"""A subject's appeal (复核): once per determination, within the window, with reasons and new evidence, for a
case of any type.

A case judged once (one determination, key "") is appealed once: the appeal releases the window and the
case returns to the committee at once. Where each responsible person is judged on their own
(CaseTypeSpec.determinations), each may appeal their own determination until the deadline, so the window
stays open for the others: the review starts when every person has appealed, or when the window ends with
at least one appeal (`appeal_review_begin`), and it decides only the determinations appealed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.case_types import case_type_spec_for
from tolerance.decisions.models import DecisionStatus
from tolerance.models import Case
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from workflows.access import is_case_subject
from workflows.steps import notices
from workflows.steps.models import Appeal


def is_appeal_review(case: Case) -> bool:
    """Has the case been appealed? Its committee rounds and decision are then the ones on appeal."""
    return Appeal.objects.filter(case_id=case.pk).exists()


def appealed_keys(case: Case) -> list[str]:
    """The determinations appealed, in the order they were lodged ("" for a case judged once)."""
    return list(case.appeals.order_by("id").values_list("subject_key", flat=True))


def own_determination(case: Case, user) -> str | None:
    """The determination `user` may appeal: their own, or None when they are not a person it judges."""
    if not is_case_subject(user, case):
        return None
    return case_type_spec_for(case).own_determination(case, user)


def appeal_deadline(case: Case) -> datetime.date | None:
    """The last day a subject may appeal: that of the decision in force, unless it is the decision on appeal."""
    decision = (
        case.decisions.filter(kind=case_type_spec_for(case).decision_kind, status=DecisionStatus.IN_FORCE)
        .order_by("-id")
        .first()
    )
    if decision is None or case.appeals.filter(lodged_at__lt=decision.issued_at).exists():
        return None
    return decision.appeal_deadline


def appeal_window_end_moment(case: Case) -> datetime.datetime:
    """The window runs through its last day; it closes at midnight after it, local time."""
    deadline = appeal_deadline(case) or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time()))


def appeal_problem(case: Case, user, *, waiting_task) -> str:
    """Why `user` cannot appeal now ("" when they can): the page and the service give the same answer."""
    key = own_determination(case, user)
    if key is not None and case.appeals.filter(subject_key=key).exists():
        if key == "":
            return _("This case has already been appealed; an appeal is allowed once.")
        return _("You have already appealed your determination; an appeal is allowed once.")
    deadline = appeal_deadline(case)
    if waiting_task is None or deadline is None or timezone.localdate() > deadline:
        return _("The appeal window is closed.")
    return ""


def appeal_review_begin(*, case: Case) -> None:
    """The window ended with appeals lodged (called by the flow): the case goes to its appeal review."""
    with transaction.atomic():
        case_stage_set(case=case, stage=case_type_spec_for(case).step_stages.appeal_review)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=case,
            payload={"change": "appeal_review_begun", "determinations": appealed_keys(case)},
        )


def appeal_lodge(*, case: Case, lodged_by, reasons: str, files: list, waiting_task) -> Appeal:
    """Record the appeal against the person's own determination; once every determination is appealed,
    release the flow's waiting task so the case returns to the committee.

    `waiting_task` is the flow's "await_appeal" task. The flow lock is taken before anything is
    written, in the order the timer closing the window takes its locks (process, then audit chain):
    whichever comes second sees the other's result instead of deadlocking.
    """
    key = own_determination(case, lodged_by)
    if key is None:
        raise ValidationError(_("Only a subject of the case can appeal."))
    text_validate(reasons, label=_("reasons"), multiline=True)
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for the appeal."))
    if problem := appeal_problem(case, lodged_by, waiting_task=waiting_task):
        raise ValidationError(problem)
    # The lock outermost, as viewflow's task views take it: a failed NOWAIT attempt must not poison our transaction.
    with waiting_task.flow_task.flow_class.lock(case.process_id), transaction.atomic():
        waiting_task.refresh_from_db()
        if waiting_task.status != STATUS.NEW:
            raise ValidationError(_("The appeal window is closed."))
        if problem := appeal_problem(case, lodged_by, waiting_task=waiting_task):
            raise ValidationError(problem)
        appeal = Appeal.objects.create(case=case, subject_key=key, lodged_by=lodged_by, reasons=reasons)
        appeal.evidence.set(
            [attachment_add(case=case, uploaded_by=lodged_by, uploaded=f, category="appeal") for f in files]
        )
        audit_record(
            action=AuditAction.APPEAL_LODGED,
            actor=lodged_by,
            case=case,
            target=appeal,
            payload={"reasons": reasons, "evidence": [a.pk for a in appeal.evidence.all()]}
            | ({"determination": key} if key else {}),
        )
        notices.appeal_lodged(case, appeal)
        keys = {key for key, _label in case_type_spec_for(case).determination_keys(case)}
        if keys <= set(appealed_keys(case)):
            case_stage_set(case=case, stage=case_type_spec_for(case).step_stages.appeal_review)
            waiting_task.flow_task.run(waiting_task)
    return appeal


def appeal_rows(case: Case) -> list[tuple[Appeal, str]]:
    """Each appeal with the name of the determination it is against ("" for a case judged once)."""
    labels = dict(case_type_spec_for(case).determination_keys(case))
    return [(appeal, labels.get(appeal.subject_key, "")) for appeal in case.appeals.order_by("id")]
