"""A subject's appeal (复核): once, within the window, with reasons and new evidence, for a case of any type."""

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
    """Has the case been appealed? Its committee round and decision are then the final ones."""
    return Appeal.objects.filter(case_id=case.pk).exists()


def appeal_deadline(case: Case) -> datetime.date | None:
    """The last day a subject may appeal: that of the decision in force, until the one appeal is lodged."""
    if is_appeal_review(case):
        return None
    decision = (
        case.decisions.filter(kind=case_type_spec_for(case).decision_kind, status=DecisionStatus.IN_FORCE)
        .order_by("-id")
        .first()
    )
    return decision.appeal_deadline if decision else None


def appeal_window_end_moment(case: Case) -> datetime.datetime:
    """The window runs through its last day; it closes at midnight after it, local time."""
    deadline = appeal_deadline(case) or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time()))


def appeal_lodge(*, case: Case, lodged_by, reasons: str, files: list, waiting_task) -> Appeal:
    """Record the appeal and release the flow's waiting task so the case returns to the committee.

    `waiting_task` is the flow's "await_appeal" task. The flow lock is taken before anything is
    written, in the order the timer closing the window takes its locks (process, then audit chain):
    whichever comes second sees the other's result instead of deadlocking.
    """
    if not is_case_subject(lodged_by, case):
        raise ValidationError(_("Only a subject of the case can appeal."))
    text_validate(reasons, label=_("reasons"), multiline=True)
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for the appeal."))
    deadline = appeal_deadline(case)
    if waiting_task is None or deadline is None or timezone.localdate() > deadline:
        raise ValidationError(_("The appeal window is closed."))
    # The lock outermost, as viewflow's task views take it: a failed NOWAIT attempt must not poison our transaction.
    with waiting_task.flow_task.flow_class.lock(case.process_id), transaction.atomic():
        waiting_task.refresh_from_db()
        if waiting_task.status != STATUS.NEW:
            raise ValidationError(_("The appeal window is closed."))
        if Appeal.objects.filter(case=case).exists():
            raise ValidationError(_("This case has already been appealed; an appeal is allowed once."))
        appeal = Appeal.objects.create(case=case, lodged_by=lodged_by, reasons=reasons)
        appeal.evidence.set(
            [attachment_add(case=case, uploaded_by=lodged_by, uploaded=f, category="appeal") for f in files]
        )
        case_stage_set(case=case, stage=case_type_spec_for(case).step_stages.appeal_review)
        audit_record(
            action=AuditAction.APPEAL_LODGED,
            actor=lodged_by,
            case=case,
            target=appeal,
            payload={"reasons": reasons, "evidence": [a.pk for a in appeal.evidence.all()]},
        )
        notices.appeal_lodged(case, appeal)
        waiting_task.flow_task.run(waiting_task)
    return appeal
