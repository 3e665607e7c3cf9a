"""The supplement loop at acceptance and the suspension (中止) of a case (domain-rectification.md §4, §6, §10).

Supplement: the second officer asks for more by a working-day deadline; the subject supplies it through
their task and the case goes back to the acceptance check. Past the deadline the daily sweep reminds,
then acts as the catalogue says (`supplement_on_expiry`): `escalate` tells the office and leaves the task
open; `refuse` completes the task on the subject's behalf so the flow ends as not accepted, with a sealed
不予受理通知书. Either consequence is an audit event.

Suspension: while discipline inspection investigates the same facts every deadline is frozen (what
remains of each is stored in its own unit), no reminder is sent and no task can be claimed; resuming
recomputes each due date from the resume date; closing on the inspection's result cancels the flow.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case
from tolerance.notifications.services import notify
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_days, add_working_days, working_days_between
from workflows.access import is_case_officer, is_case_subject
from workflows.rectification import letters, notices
from workflows.rectification.catalogue import DeadlineUnit
from workflows.rectification.models import (
    AcceptanceResult,
    AcceptanceReview,
    ItemStatus,
    RectificationDetails,
    RectificationStage,
)
from workflows.selectors import open_tasks

ESCALATE = "escalate"
REFUSE = "refuse"
SUPPLEMENT_CATEGORY = "rectification_supplement"
WAITING_NODE = "supplement"
# Stages a case can be suspended from: it is open and past nothing final.
SUSPENDABLE = {
    RectificationStage.ACCEPTANCE,
    RectificationStage.SUPPLEMENT,
    RectificationStage.VERIFICATION,
    RectificationStage.CLASSIFICATION,
    RectificationStage.GAP_CONFIRMATION,
    RectificationStage.STATEMENT,
    RectificationStage.STATEMENT_ANSWER,
    RectificationStage.COMMITTEE_REVIEW,
    RectificationStage.NOTICE,
    RectificationStage.RECTIFYING,
    RectificationStage.DECISION,
}


def _locked(case: Case):
    """The flow's process lock, outermost, as the item services take it (items._locked)."""
    return case.process.flow_class.lock(case.process_id)


def _release(case: Case) -> None:
    task = open_tasks(case, WAITING_NODE).first()
    if task is not None:
        task.flow_task.run(task)


def supplement_pending(case: Case) -> AcceptanceReview | None:
    review = case.acceptance_reviews.order_by("-id").first()
    if review is None or review.result != AcceptanceResult.SUPPLEMENT or review.supplied_at is not None:
        return None
    return review


def supplement_submit(*, case: Case, submitted_by, note: str, files: list) -> None:
    """The subject supplies what was asked for; the case goes back to the acceptance check."""
    if not is_case_subject(submitted_by, case):
        raise ValidationError(_("Only the subject of the case can supply its materials."))
    text_validate(note, label=_("note"), multiline=True, field="note")
    if not note.strip():
        raise ValidationError({"note": _("Say what you supplied.")})
    if not files:
        raise ValidationError({"files": _("Upload at least one file.")})
    pending = supplement_pending(case)
    if pending is None or case.stage != RectificationStage.SUPPLEMENT:
        raise ValidationError(_("No supplement is being asked for on this case."))
    with _locked(case), transaction.atomic():
        review = AcceptanceReview.objects.select_for_update().get(pk=pending.pk)
        if review.expiry_consequence == REFUSE:
            raise ValidationError(_("No supplement is being asked for on this case."))
        attachments = [
            attachment_add(case=case, uploaded_by=submitted_by, uploaded=uploaded, category=SUPPLEMENT_CATEGORY)
            for uploaded in files
        ]
        review.supplied_at = timezone.now()
        review.save(update_fields=["supplied_at"])
        case_stage_set(case=case, stage=RectificationStage.ACCEPTANCE)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=submitted_by,
            case=case,
            target=review,
            payload={
                "form": "rectification_supplement",
                "note": note,
                "files": [attachment.original_name for attachment in attachments],
            },
        )
        _release(case)


def supplement_expire(*, review: AcceptanceReview, today) -> None:
    """The sweep, the day after the supplement deadline: the configured consequence, once."""
    case = review.case
    consequence = case.rectification.catalogue.setting("supplement_on_expiry")
    with _locked(case), transaction.atomic():
        review = AcceptanceReview.objects.select_for_update().get(pk=review.pk)
        case.refresh_from_db(fields=["stage"])
        if review.supplied_at is not None or review.expired_at is not None:
            return
        if case.stage != RectificationStage.SUPPLEMENT:
            return
        review.expired_at = timezone.now()
        review.expiry_consequence = consequence
        review.save(update_fields=["expired_at", "expiry_consequence"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=review,
            payload={
                "change": "rectification_supplement_expired",
                "due": review.supplement_due.isoformat(),
                "on": today.isoformat(),
                "consequence": consequence,
            },
        )
        recipients = [*notices.subjects_of(case), *notices.officers_of(case.institution)]
        if consequence == REFUSE:
            reason = _("The materials asked for were not supplied by %(date)s.") % {"date": review.supplement_due}
            case_stage_set(case=case, stage=RectificationStage.NOT_ACCEPTED)
            letters.refusal_issue(case=case, reason=reason, issued_by=review.reviewed_by)
            _release(case)
        notify(
            recipients=recipients,
            kind=notices.SUPPLEMENT_EXPIRED,
            event_key=f"rectification:supplement:{review.pk}:expired",
            title=lambda: _("The supplement deadline of case %(number)s has passed") % {"number": case.number},
            body=lambda: (
                _("The declaration is not accepted.") if consequence == REFUSE else _("The office must follow it up.")
            ),
            link=notices.case_link(case),
            case=case,
        )


def _remaining(case: Case, today) -> dict:
    """What is left of each running deadline, in its own unit (a passed deadline keeps nothing)."""
    remaining = {}
    if case.next_due is not None:
        remaining["case"] = {"amount": working_days_between(today, case.next_due), "unit": DeadlineUnit.WORKING_DAYS}
    review = supplement_pending(case)
    if review is not None and review.supplement_due:
        remaining[f"supplement:{review.pk}"] = {
            "amount": working_days_between(today, review.supplement_due),
            "unit": DeadlineUnit.WORKING_DAYS,
        }
    for request in case.department_requests.filter(answered_at__isnull=True):
        remaining[f"request:{request.pk}"] = {
            "amount": working_days_between(today, request.due_on),
            "unit": DeadlineUnit.WORKING_DAYS,
        }
    for item in case.rectification_items.exclude(status__in=[ItemStatus.PASSED, ItemStatus.FAILED]).filter(
        due_on__isnull=False
    ):
        working = item.deadline_unit == DeadlineUnit.WORKING_DAYS
        amount = working_days_between(today, item.due_on) if working else max((item.due_on - today).days, 0)
        remaining[f"item:{item.pk}"] = {"amount": amount, "unit": item.deadline_unit}
    return remaining


def _remaining_labels(case: Case, remaining: dict) -> dict:
    items = {f"item:{item.pk}": item for item in case.rectification_items.select_related("gap")}
    labels = {}
    for key, value in remaining.items():
        if key == "case":
            label = _("Deadline of the current stage")
        elif key.startswith("supplement:"):
            label = _("Supplement deadline")
        elif key.startswith("request:"):
            label = _("Department opinion deadline")
        else:
            label = _("Item %(code)s") % {"code": items[key].gap.code}
        labels[label] = (value["amount"], DeadlineUnit(value["unit"]).label)
    return labels


def case_suspend(*, case: Case, suspended_by, reason: str) -> RectificationDetails:
    """中止: discipline inspection investigates the same facts. Every deadline is frozen with what remains."""
    if not is_case_officer(suspended_by, case):
        raise ValidationError(_("Only an officer of the case's institution can suspend it."))
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Say which investigation of the same facts suspends the case.")})
    today = timezone.localdate()
    with transaction.atomic():
        details = RectificationDetails.objects.select_for_update().get(pk=case.rectification.pk)
        case.refresh_from_db(fields=["stage", "next_due"])
        if case.stage not in SUSPENDABLE:
            raise ValidationError(_("A case at this stage cannot be suspended."))
        remaining = _remaining(case, today)
        details.suspended_at = timezone.now()
        details.suspended_stage = case.stage
        details.suspension_reason = reason
        details.remaining_at_suspension = remaining
        details.resumed_at = None
        details.save(
            update_fields=[
                "suspended_at",
                "suspended_stage",
                "suspension_reason",
                "remaining_at_suspension",
                "resumed_at",
            ]
        )
        case_stage_set(case=case, stage=RectificationStage.SUSPENDED)
        letters.suspension_issue(
            case=case, reason=reason, remaining=_remaining_labels(case, remaining), issued_by=suspended_by
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=suspended_by,
            case=case,
            target=details,
            payload={
                "form": "rectification_suspension",
                "reason": reason,
                "stage": details.suspended_stage,
                "remaining": remaining,
            },
        )
        notify(
            recipients=[*notices.subjects_of(case), *notices.officers_of(case.institution)],
            kind=notices.SUSPENDED,
            event_key=f"rectification:suspended:{case.pk}:{details.suspended_at.isoformat()}",
            title=lambda: _("Case %(number)s is suspended") % {"number": case.number},
            body=lambda: reason,
            link=notices.case_link(case),
            case=case,
        )
    return details


def case_resume(*, case: Case, resumed_by, note: str) -> RectificationDetails:
    """Back to the stage left; each frozen deadline runs again from today with what remained of it."""
    if not is_case_officer(resumed_by, case):
        raise ValidationError(_("Only an officer of the case's institution can resume it."))
    text_validate(note, label=_("note"), multiline=True, field="note")
    if not note.strip():
        raise ValidationError({"note": _("Say why the case is resumed.")})
    today = timezone.localdate()
    with transaction.atomic():
        details = RectificationDetails.objects.select_for_update().get(pk=case.rectification.pk)
        case.refresh_from_db(fields=["stage"])
        if case.stage != RectificationStage.SUSPENDED:
            raise ValidationError(_("The case is not suspended."))
        remaining = details.remaining_at_suspension

        def due(key):
            value = remaining[key]
            return add_days(today, value["amount"], working=value["unit"] == DeadlineUnit.WORKING_DAYS)

        for key in remaining:
            kind, _sep, pk = key.partition(":")
            if kind == "supplement":
                case.acceptance_reviews.filter(pk=pk).update(supplement_due=due(key))
            elif kind == "request":
                case.department_requests.filter(pk=pk).update(due_on=due(key))
            elif kind == "item":
                case.rectification_items.filter(pk=pk).update(due_on=due(key), overdue_since=None)
        next_due = due("case") if "case" in remaining else None
        case_stage_set(case=case, stage=details.suspended_stage, next_due=next_due)
        details.resumed_at = timezone.now()
        details.save(update_fields=["resumed_at"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=resumed_by,
            case=case,
            target=details,
            payload={"form": "rectification_resumption", "note": note, "stage": details.suspended_stage},
        )
        notify(
            recipients=[*notices.subjects_of(case), *notices.officers_of(case.institution)],
            kind=notices.SUSPENDED,
            event_key=f"rectification:resumed:{case.pk}:{details.resumed_at.isoformat()}",
            title=lambda: _("Case %(number)s is resumed") % {"number": case.number},
            body=lambda: note,
            link=notices.case_link(case),
            case=case,
        )
    return details


def case_terminate(*, case: Case, closed_by, result: str) -> None:
    """Close a suspended case on discipline inspection's result: the flow is cancelled, nothing else runs."""
    if not is_case_officer(closed_by, case):
        raise ValidationError(_("Only an officer of the case's institution can close it."))
    text_validate(result, label=_("result"), multiline=True, field="result")
    if not result.strip():
        raise ValidationError({"result": _("State the result of the discipline inspection.")})
    flow = case.process.flow_class.instance
    with transaction.atomic():
        case.refresh_from_db(fields=["stage"])
        if case.stage != RectificationStage.SUSPENDED:
            raise ValidationError(_("Only a suspended case is closed on the discipline inspection's result."))
        flow.cancel(case.process)
        case_stage_set(case=case, stage=RectificationStage.TERMINATED)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=closed_by,
            case=case,
            target=case,
            payload={"form": "rectification_termination", "result": result},
        )


def supplement_due_soon(review: AcceptanceReview, today, lead: int) -> bool:
    return review.supplement_due is not None and today <= review.supplement_due <= add_working_days(today, lead)
