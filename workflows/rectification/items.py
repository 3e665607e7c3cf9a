"""Writes of the rectification stage: the sealed notice that arms the items, evidence per item, acceptance
or return by the item's verifier, extensions within the cap, and the end of the stage once every item is
accepted or not. The flow waits in its `await_rectification` task, released here."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.decisions.services import decision_issue
from tolerance.models import Case
from tolerance.notifications.services import notify
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_days
from workflows.access import is_case_officer, is_case_subject
from workflows.rectification import documents, letters, notices
from workflows.rectification.catalogue import DeadlineUnit
from workflows.rectification.models import (
    ExtensionDecision,
    ItemEvidence,
    ItemExtension,
    ItemStatus,
    ItemVerifier,
    RectificationItem,
    RectificationStage,
)
from workflows.rectification.services import items_arm
from workflows.selectors import open_tasks

NOTICE_KIND = "rectification_notice"
NOTICE_ISSUED = "issued"
WAITING_NODE = "await_rectification"
EVIDENCE_CATEGORY = "rectification_item"


def _locked(case: Case):
    """The flow's process lock, taken outermost as viewflow's own views take it (a failed NOWAIT attempt must
    not poison a transaction of ours), so an item decision and the sweep never both end the stage."""
    return case.process.flow_class.lock(case.process_id)


def notice_issue(*, case: Case, issued_by):
    """Arm every item's deadline and issue the sealed 整改通知书; tell the subject and each verifier."""
    if not is_case_officer(issued_by, case):
        raise ValidationError(_("Only an officer of the case's institution can issue the notice."))
    with transaction.atomic():
        items = items_arm(case)
        if not items:
            raise ValidationError(_("The plan has no items to notify."))
        with translation.override(settings.LANGUAGE_CODE):
            content = documents.notice_content(case)
        notice = decision_issue(
            case=case, kind=NOTICE_KIND, outcome=NOTICE_ISSUED, content=content, issued_by=issued_by
        )
        last_due = max(item.due_on for item in items)
        case_stage_set(case=case, stage=RectificationStage.RECTIFYING, next_due=last_due)
        link = notices.case_link(case)
        notify(
            recipients=notices.subjects_of(case),
            kind=notices.NOTICE_ISSUED,
            event_key=f"rectification:notice:{notice.pk}",
            title=lambda: _("Rectification notice %(number)s") % {"number": notice.document_number},
            body=lambda: (
                _("Complete each item of case %(case)s by its deadline; the last is due on %(date)s.")
                % {"case": case.number, "date": last_due}
            ),
            link=link,
            case=case,
        )
        for item in items:
            notify(
                recipients=item_verifiers(item),
                kind=notices.NOTICE_ISSUED,
                event_key=f"rectification:notice:{notice.pk}:item:{item.pk}",
                title=lambda item=item: (
                    _("You verify item %(code)s of case %(case)s") % {"code": item.gap.code, "case": case.number}
                ),
                body=lambda item=item: _("Due on %(date)s.") % {"date": item.due_on},
                link=link,
                case=case,
            )
    return notice


def item_verifiers(item: RectificationItem) -> list:
    """Everyone told about the item: the contacts of each of its verifying departments."""
    people = {}
    for department in item.departments:
        for user in notices.verifiers_of(item.case, department):
            people[user.pk] = user
    return list(people.values())


def _departments_for(user, item: RectificationItem, *, pending_only: bool) -> list[str]:
    rows = list(item.verifiers.all()) or [ItemVerifier(item=item, case_id=item.case_id, department=item.verifier)]
    return [
        row.department
        for row in rows
        if not (pending_only and row.accepted_at)
        and any(verifier.pk == user.pk for verifier in notices.verifiers_of(item.case, row.department))
    ]


def item_may_verify(user, item: RectificationItem) -> bool:
    """The user acts for one of the item's departments whose acceptance is still awaited."""
    return bool(_departments_for(user, item, pending_only=True))


def _rectifying(case: Case) -> None:
    if case.stage != RectificationStage.RECTIFYING:
        raise ValidationError(_("The case is not in its rectification stage."))


def evidence_submit(*, item: RectificationItem, submitted_by, note: str, files: list) -> None:
    """The subject uploads the evidence of one item; it goes to the item's verifier."""
    case = item.case
    if not is_case_subject(submitted_by, case):
        raise ValidationError(_("Only the subject of the case can submit its evidence."))
    text_validate(note, label=_("note"), multiline=True, field="note")
    if not files:
        raise ValidationError({"files": _("Upload at least one file of evidence.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what the files show.")})
    with transaction.atomic():
        item = RectificationItem.objects.select_for_update().get(pk=item.pk)
        _rectifying(case)
        if item.status not in (ItemStatus.OPEN, ItemStatus.RETURNED):
            raise ValidationError(_("This item is not waiting for evidence."))
        for uploaded in files:
            attachment = attachment_add(
                case=case,
                uploaded_by=submitted_by,
                uploaded=uploaded,
                category=EVIDENCE_CATEGORY,
                description=f"{item.gap.code} {note}"[:200],
            )
            ItemEvidence.objects.create(item=item, attachment=attachment, note=note, uploaded_by=submitted_by)
        item.status = ItemStatus.SUBMITTED
        item.save(update_fields=["status"])
        notify(
            recipients=item_verifiers(item),
            kind=notices.EVIDENCE_SUBMITTED,
            event_key=f"rectification:evidence:{item.pk}:{item.evidence.count()}",
            title=lambda: (
                _("Evidence for item %(code)s of case %(case)s") % {"code": item.gap.code, "case": case.number}
            ),
            body=lambda: note,
            link=notices.case_link(case),
            case=case,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=submitted_by,
            case=case,
            target=item,
            payload={"form": "rectification_evidence", "item": item.gap.code, "note": note, "files": len(files)},
        )


def item_review(*, item: RectificationItem, reviewed_by, accepted: bool, note: str) -> RectificationItem:
    """The verifier accepts the item or returns it with reasons; past the returns allowed it is not accepted."""
    case = item.case
    if not item_may_verify(reviewed_by, item):
        raise ValidationError(_("Only the item's verifying department can accept or return it."))
    text_validate(note, label=_("note"), multiline=True, field="note")
    if not accepted and not note.strip():
        raise ValidationError({"note": _("Give the reasons for returning the item.")})
    max_returns = case.rectification.catalogue.setting("max_returns_per_item")
    with _locked(case), transaction.atomic():
        item = RectificationItem.objects.select_for_update().get(pk=item.pk)
        _rectifying(case)
        if item.status != ItemStatus.SUBMITTED:
            raise ValidationError(_("This item has no evidence waiting for acceptance."))
        mine = _departments_for(reviewed_by, item, pending_only=True)
        if not mine:
            raise ValidationError(_("Your department has already accepted this item."))
        now = timezone.now()
        if accepted:
            ItemVerifier.objects.filter(item=item, department__in=mine).update(accepted_at=now, accepted_by=reviewed_by)
            waiting = ItemVerifier.objects.filter(item=item, accepted_at__isnull=True).exists()
            if not waiting:
                item.status = ItemStatus.PASSED
        else:
            ItemVerifier.objects.filter(item=item).update(accepted_at=None, accepted_by=None)
            item.returns += 1
            item.status = ItemStatus.FAILED if item.returns > max_returns else ItemStatus.RETURNED
        item.note = note
        item.decided_by = reviewed_by
        item.decided_at = now
        item.save()
        if item.status != ItemStatus.SUBMITTED:
            letters.acceptance_form_issue(item=item, issued_by=reviewed_by)
        notify(
            recipients=notices.subjects_of(case),
            kind=notices.ITEM_REVIEWED,
            event_key=f"rectification:review:{item.pk}:{item.returns}:{item.status}",
            title=lambda: (
                _("Item %(code)s of case %(case)s: %(status)s")
                % {"code": item.gap.code, "case": case.number, "status": item.get_status_display()}
            ),
            body=lambda: note,
            link=notices.case_link(case),
            case=case,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=reviewed_by,
            case=case,
            target=item,
            payload={
                "form": "rectification_acceptance_item",
                "item": item.gap.code,
                "status": item.status,
                "departments": mine,
                "accepted": accepted,
                "note": note,
            },
        )
        _stage_end_if_done(case)
    return item


def extension_limit(item: RectificationItem) -> int:
    percent = item.case.rectification.catalogue.setting("extension_max_percent_of_original")
    return item.deadline * percent // 100


def extension_request(*, item: RectificationItem, requested_by, length: int, reason: str) -> ItemExtension:
    """One extension per item (as configured), with reasons, of at most the configured share of the period."""
    case = item.case
    if not is_case_subject(requested_by, case):
        raise ValidationError(_("Only the subject of the case can request an extension."))
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for the extension.")})
    limit = extension_limit(item)
    if length > limit:
        raise ValidationError(
            {
                "length": _("An extension of this item can be at most %(limit)s %(unit)s.")
                % {"limit": limit, "unit": item.get_deadline_unit_display()}
            }
        )
    allowed = case.rectification.catalogue.setting("extension_max_per_item")
    with transaction.atomic():
        item = RectificationItem.objects.select_for_update().get(pk=item.pk)
        _rectifying(case)
        if item.is_terminal:
            raise ValidationError(_("This item is already decided."))
        if item.extensions.count() >= allowed:
            raise ValidationError(
                _(
                    "Only %(count)s extension per item is allowed and it has been requested; this request is refused by rule."
                )
                % {"count": allowed}
            )
        extension = ItemExtension.objects.create(item=item, reason=reason, length=length, requested_by=requested_by)
        notify(
            recipients=notices.officers_of(case.institution),
            kind=notices.EXTENSION,
            event_key=f"rectification:extension:{extension.pk}:requested",
            title=lambda: (
                _("Extension requested for item %(code)s of case %(case)s")
                % {"code": item.gap.code, "case": case.number}
            ),
            body=lambda: reason,
            link=notices.case_link(case),
            case=case,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=requested_by,
            case=case,
            target=extension,
            payload={
                "form": "rectification_extension_request",
                "item": item.gap.code,
                "length": length,
                "reason": reason,
            },
        )
    return extension


def extension_decide(*, extension: ItemExtension, decided_by, granted: bool, reason: str) -> ItemExtension:
    item = extension.item
    case = item.case
    if not is_case_officer(decided_by, case):
        raise ValidationError(_("Only an officer of the case's institution decides extensions."))
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not granted and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for refusing the extension.")})
    with transaction.atomic():
        extension = ItemExtension.objects.select_for_update().get(pk=extension.pk)
        item = RectificationItem.objects.select_for_update().get(pk=item.pk)
        _rectifying(case)
        if extension.decision != ExtensionDecision.PENDING:
            raise ValidationError(_("This request has already been decided."))
        if item.is_terminal:
            raise ValidationError(_("This item is already decided."))
        extension.decision = ExtensionDecision.GRANTED if granted else ExtensionDecision.REFUSED
        extension.decision_reason = reason
        extension.decided_by = decided_by
        extension.decided_at = timezone.now()
        if granted:
            extension.new_due_on = add_days(
                item.due_on, extension.length, working=item.deadline_unit == DeadlineUnit.WORKING_DAYS
            )
            item.due_on = extension.new_due_on
            item.overdue_since = None
            item.save(update_fields=["due_on", "overdue_since"])
        extension.save()
        letters.extension_form_issue(extension=extension, issued_by=decided_by)
        notify(
            recipients=notices.subjects_of(case),
            kind=notices.EXTENSION,
            event_key=f"rectification:extension:{extension.pk}:decided",
            title=lambda: (
                _("Extension for item %(code)s: %(decision)s")
                % {"code": item.gap.code, "decision": extension.get_decision_display()}
            ),
            body=lambda: reason,
            link=notices.case_link(case),
            case=case,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=decided_by,
            case=case,
            target=extension,
            payload={
                "form": "rectification_extension_decision",
                "item": item.gap.code,
                "decision": extension.decision,
                "new_due_on": extension.new_due_on.isoformat() if extension.new_due_on else None,
                "reason": reason,
            },
        )
    return extension


def _stage_end_if_done(case: Case) -> None:
    """Once every item is accepted or not, the case goes to the committee (call under the process lock)."""
    if case.rectification_items.exclude(status__in=[ItemStatus.PASSED, ItemStatus.FAILED]).exists():
        return
    task = open_tasks(case, WAITING_NODE).first()
    if task is None:
        return
    case_stage_set(case=case, stage=RectificationStage.COMMITTEE_REVIEW)
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=None,
        case=case,
        target=case,
        payload={"change": "rectification_items_decided"},
    )
    task.flow_task.run(task)


def item_fail_overdue(*, item: RectificationItem, today) -> None:
    """The sweep: an item still open past its grace period is not accepted."""
    case = item.case
    with _locked(case), transaction.atomic():
        item = RectificationItem.objects.select_for_update().get(pk=item.pk)
        if item.is_terminal or case.stage != RectificationStage.RECTIFYING:
            return
        item.status = ItemStatus.FAILED
        item.note = _("Not completed within the grace period after its deadline of %(date)s.") % {"date": item.due_on}
        item.decided_at = timezone.now()
        item.save(update_fields=["status", "note", "decided_at"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=item,
            payload={"change": "rectification_item_failed_overdue", "item": item.gap.code, "on": today.isoformat()},
        )
        _stage_end_if_done(case)
