"""陈述与确认 (domain-rectification.md §6 stage 4).

Once the gap list is confirmed the subject gets the sealed 合规问题认定告知书 and has the catalogue's
`statement_working_days` to confirm it or state another view. A confirmation sends the plan on to the
committee; a statement waits for the office's answer, which either keeps the gap list or sends it back to
classification, once; silence past the period is confirmation, recorded by the daily sweep. The flow
waits in `await_statement`, released here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case
from tolerance.notifications.services import notify
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.access import is_case_officer, is_case_subject
from workflows.rectification import letters, notices
from workflows.rectification.models import GapStatement, RectificationStage, StatementKind
from workflows.selectors import open_tasks

WAITING_NODE = "await_statement"


def _locked(case: Case):
    """The flow's process lock, outermost, as the item services take it (items._locked)."""
    return case.process.flow_class.lock(case.process_id)


def _release(case: Case) -> None:
    task = open_tasks(case, WAITING_NODE).first()
    if task is not None:
        task.flow_task.run(task)


def statement_current(case: Case) -> GapStatement | None:
    return case.gap_statements.order_by("-id").first()


def statement_open(*, case: Case, notice) -> None:
    """Inside the confirmation's transaction: the period runs from today, the subject is told."""
    due = add_working_days(timezone.localdate(), case.rectification.catalogue.setting("statement_working_days"))
    case_stage_set(case=case, stage=RectificationStage.STATEMENT, next_due=due)
    notify(
        recipients=notices.subjects_of(case),
        kind=notices.STATEMENT_DUE,
        event_key=f"rectification:statement:{notice.pk}",
        title=lambda: (
            _("Gap notice %(number)s: confirm it or state your view by %(due)s")
            % {"number": notice.document_number, "due": due}
        ),
        body=lambda: _("Without a statement by then the gap list counts as confirmed."),
        link=notices.case_link(case),
        case=case,
    )


def _gap_notice(case: Case):
    return case.decisions.filter(kind=letters.GAP_NOTICE).order_by("-id").first()


def statement_submit(*, case: Case, stated_by, confirmed: bool, text: str) -> GapStatement:
    """The subject confirms the gap list, or states their view for the office to answer."""
    if not is_case_subject(stated_by, case):
        raise ValidationError(_("Only the subject of the case can confirm the gap list or state a view."))
    text_validate(text, label=_("statement"), multiline=True, field="text")
    if not confirmed and not text.strip():
        raise ValidationError({"text": _("State which gaps you contest and why.")})
    with _locked(case), transaction.atomic():
        case.refresh_from_db(fields=["stage", "next_due"])
        notice = _gap_notice(case)
        if (
            case.stage != RectificationStage.STATEMENT
            or notice is None
            or case.gap_statements.filter(notice=notice).exists()
        ):
            raise ValidationError(_("No statement on the gap list is awaited on this case."))
        statement = GapStatement.objects.create(
            case=case,
            notice=notice,
            kind=StatementKind.CONFIRMED if confirmed else StatementKind.CONTESTED,
            text=text,
            stated_by=stated_by,
        )
        if confirmed:
            case_stage_set(case=case, stage=RectificationStage.COMMITTEE_REVIEW)
        else:
            case_stage_set(case=case, stage=RectificationStage.STATEMENT_ANSWER)
            notify(
                recipients=notices.officers_of(case.institution),
                kind=notices.STATEMENT_DUE,
                event_key=f"rectification:statement:{statement.pk}:answer",
                title=lambda: _("Answer the statement on the gap list of case %(number)s") % {"number": case.number},
                body=lambda: text,
                link=notices.case_link(case),
                case=case,
            )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=stated_by,
            case=case,
            target=statement,
            payload={
                "form": "rectification_statement",
                "kind": statement.kind,
                "text": text,
                "notice": notice.document_number,
            },
        )
        _release(case)
    return statement


def statement_deem(*, case: Case, today) -> GapStatement | None:
    """The sweep, the day after the period: no statement came, so the gap list counts as confirmed."""
    with _locked(case), transaction.atomic():
        case.refresh_from_db(fields=["stage", "next_due"])
        notice = _gap_notice(case)
        if (
            case.stage != RectificationStage.STATEMENT
            or notice is None
            or case.gap_statements.filter(notice=notice).exists()
        ):
            return None
        due = case.next_due
        statement = GapStatement.objects.create(case=case, notice=notice, kind=StatementKind.DEEMED)
        case_stage_set(case=case, stage=RectificationStage.COMMITTEE_REVIEW)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=statement,
            payload={
                "change": "rectification_statement_deemed",
                "due": due.isoformat() if due else None,
                "on": today.isoformat(),
            },
        )
        _release(case)
    return statement


def statement_answer(*, case: Case, answered_by, answer: str, reopens: bool) -> GapStatement:
    """The office answers the subject's statement: the gap list stands, or goes back to classification
    (once per case: a second statement is answered on the list as it stands)."""
    if not is_case_officer(answered_by, case):
        raise ValidationError(_("Only an officer of the case's institution can answer the statement."))
    text_validate(answer, label=_("answer"), multiline=True, field="answer")
    if not answer.strip():
        raise ValidationError({"answer": _("Answer each point of the statement.")})
    with transaction.atomic():
        statement = statement_current(case)
        if statement is None or statement.kind != StatementKind.CONTESTED or statement.answered_at is not None:
            raise ValidationError(_("No statement is waiting for an answer."))
        if reopens and case.gap_statements.filter(reopens=True).exists():
            raise ValidationError(
                {"reopens": _("The gap list has already been sent back once; answer on the list as it stands.")}
            )
        statement.answer = answer
        statement.reopens = reopens
        statement.answered_by = answered_by
        statement.answered_at = timezone.now()
        statement.save(update_fields=["answer", "reopens", "answered_by", "answered_at"])
        if reopens:
            details = case.rectification
            details.gaps_confirmed = False
            details.save(update_fields=["gaps_confirmed"])
        case_stage_set(
            case=case, stage=RectificationStage.CLASSIFICATION if reopens else RectificationStage.COMMITTEE_REVIEW
        )
        notify(
            recipients=notices.subjects_of(case),
            kind=notices.STATEMENT_DUE,
            event_key=f"rectification:statement:{statement.pk}:answered",
            title=lambda: _("The office answered your statement on case %(number)s") % {"number": case.number},
            body=lambda: answer,
            link=notices.case_link(case),
            case=case,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=answered_by,
            case=case,
            target=statement,
            payload={"form": "rectification_statement_answer", "answer": answer, "reopens": reopens},
        )
    return statement


def statement_sweep(now) -> None:
    """A reminder before the statement period ends, then, the day after, the confirmation by silence. A
    suspended case is at its own stage, so its period neither reminds nor ends."""
    today = timezone.localdate(now)
    waiting = (
        Case.objects.filter(stage=RectificationStage.STATEMENT, next_due__isnull=False)
        .select_related("institution", "rectification__catalogue", "process")
        .order_by("next_due", "pk")
    )
    for case in waiting:
        if today > case.next_due:
            statement_deem(case=case, today=today)
            continue
        lead = case.rectification.catalogue.setting("statement_reminder_working_days")
        if add_working_days(today, lead) >= case.next_due:
            _statement_reminder(case, lead)


def _statement_reminder(case: Case, lead: int) -> None:
    with transaction.atomic():
        written = notify(
            recipients=notices.subjects_of(case),
            kind=notices.STATEMENT_DUE,
            event_key=f"rectification:statement:{case.pk}:due:{case.next_due}",
            title=lambda: (
                _("Confirm the gap list of case %(case)s or state your view by %(date)s")
                % {"case": case.number, "date": case.next_due}
            ),
            body=lambda: _("Without a statement by then the gap list counts as confirmed."),
            link=notices.case_link(case),
            case=case,
        )
        if written:
            audit_record(
                action=AuditAction.NOTIFICATION_SENT,
                actor=None,
                case=case,
                target=case,
                payload={"reminder": "statement_due", "due_on": case.next_due.isoformat(), "lead_working_days": lead},
            )
