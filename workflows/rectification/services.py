"""Writes of the rectification flow up to the notice: declaration or filing, acceptance, the departments'
opinions, verification, the gap list and its confirmation, and the sealed 整改通知书 that arms the items."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType, Department
from tolerance.notifications.services import notify
from tolerance.selectors.policy import case_policy as case_type_policy_of
from tolerance.selectors.policy import case_type_policy
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import SubjectSpec, case_file, case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_days, add_working_days
from workflows.access import is_second_officer
from workflows.nodes import separation_refusal, steps_text
from workflows.rectification import letters, notices
from workflows.rectification.catalogue import CatalogueItemKind, DeadlineUnit, Severity
from workflows.rectification.models import (
    AcceptanceResult,
    AcceptanceReview,
    ItemStatus,
    ItemVerifier,
    Origin,
    RectificationDetails,
    RectificationItem,
    RectificationStage,
)
from workflows.rectification.policy import catalogue_current
from workflows.rectification.statement import statement_open
from workflows.steps.committee import is_suspended, suspended_problem
from workflows.steps.department_opinions import opinion_request, opinions_waiting_check

SUBJECT_ROLE = "当事人"


@dataclass(frozen=True)
class Declaration:
    title: str
    activity_kind: str
    company_name: str
    company_uscc: str
    role: str
    equity_percent: Decimal
    started_on: datetime.date
    ended_on: datetime.date | None
    account: str
    lead_source: str
    declared_on: datetime.date


def _check_declaration(data: Declaration) -> None:
    text_validate(data.company_name, label=_("company"), field="company_name")
    text_validate(data.role, label=_("role in the company"), field="role")
    text_validate(data.account, label=_("account of the activity"), multiline=True, field="account")
    if not uscc.is_valid(data.company_uscc):
        raise ValidationError(
            {
                "company_uscc": _(
                    "This is not a valid unified social credit code (18 characters with its check character)."
                )
            }
        )
    today = timezone.localdate()
    if data.started_on > today:
        raise ValidationError({"started_on": _("The activity cannot start in the future.")})
    if data.ended_on is not None and data.ended_on < data.started_on:
        raise ValidationError({"ended_on": _("The activity cannot end before it started.")})
    if data.declared_on > today:
        raise ValidationError({"declared_on": _("The declaration date cannot be in the future.")})
    if not Decimal(0) <= data.equity_percent <= Decimal(100):
        raise ValidationError({"equity_percent": _("Equity is a percentage between 0 and 100.")})


def _within_window(catalogue, declared_on: datetime.date, origin: str) -> bool:
    window = catalogue.setting("self_declaration_window")
    starts = datetime.date.fromisoformat(window["from"]) if window.get("from") else None
    ends = datetime.date.fromisoformat(window["to"]) if window.get("to") else None
    return (
        origin == Origin.SELF_DECLARED
        and (starts is None or declared_on >= starts)
        and (ends is None or declared_on <= ends)
    )


def rectification_file(
    *,
    process,
    institution,
    filed_by,
    subject,
    declaration: Declaration,
    origin: str,
    files: list | None = None,
    register_entry=None,
    prefilled_gap: str = "",
) -> Case:
    """Open a case: the researcher's self-declaration, an officer's filing from a lead, or the register's
    overstay (with its gap pre-filled). `files` are the declaration's attachments."""
    _check_declaration(declaration)
    case_type_policy(institution_id=institution.pk, case_type=CaseType.RECTIFICATION)
    catalogue = catalogue_current(institution)
    if catalogue is None:
        raise ValidationError(_("No gap catalogue is in force for this institution; load one first."))
    gap = None
    if prefilled_gap:
        gap = catalogue.items.filter(kind=CatalogueItemKind.GAP, code=prefilled_gap).first()
        if gap is None:
            raise ValidationError(_("Gap %(code)s is not in the catalogue in force.") % {"code": prefilled_gap})
    within_window = _within_window(catalogue, declaration.declared_on, origin)
    with transaction.atomic():
        process.save()
        case = case_file(
            institution=institution,
            case_type=CaseType.RECTIFICATION,
            title=declaration.title,
            filed_by=filed_by,
            subjects=[SubjectSpec(user=subject, role_in_case=SUBJECT_ROLE)],
            payload={"catalogue": str(catalogue), "origin": origin},
        )
        case.process = process
        case.save(update_fields=["process"])
        details = RectificationDetails.objects.create(
            case=case,
            catalogue=catalogue,
            origin=origin,
            lead_source=declaration.lead_source,
            declared_on=declaration.declared_on,
            within_window=within_window,
            activity_kind=declaration.activity_kind,
            company_name=declaration.company_name,
            company_uscc=declaration.company_uscc.upper(),
            role=declaration.role,
            equity_percent=declaration.equity_percent,
            started_on=declaration.started_on,
            ended_on=declaration.ended_on,
            account=declaration.account,
            register_entry=register_entry,
        )
        for uploaded in files or []:
            attachment_add(case=case, uploaded_by=filed_by, uploaded=uploaded, category="declaration")
        if gap is not None:
            _item_create(case, gap, order=1, finding=declaration.account, severity=gap.default_severity)
        case_stage_set(case=case, stage=RectificationStage.ACCEPTANCE)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=filed_by,
            case=case,
            target=details,
            payload={
                "form": "rectification_declaration",
                "origin": origin,
                "lead_source": declaration.lead_source,
                "declared_on": declaration.declared_on.isoformat(),
                "within_window": within_window,
                "activity_kind": declaration.activity_kind,
                "company": declaration.company_name,
                "uscc": details.company_uscc,
                "equity_percent": str(declaration.equity_percent),
                "prefilled_gap": prefilled_gap,
            },
        )
    return case


def _item_create(case, gap, *, order, finding, severity, co_verifiers=(), **overrides) -> RectificationItem:
    """The item and its verifying departments: the lead (`verifier`) first, then the gap's default others
    (catalogue data), then any others the officer named."""
    values = {
        "remedy": gap.remedy,
        "evidence_required": gap.evidence_required,
        "deadline": gap.deadline,
        "deadline_unit": gap.deadline_unit,
        "verifier": gap.verifier,
        **overrides,
    }
    item = RectificationItem.objects.create(
        case=case, gap=gap, order=order, finding=finding, severity=severity, **values
    )
    # The gap's default other verifiers first, then any the officer added.
    departments = [item.verifier, *gap.extra_verifiers, *co_verifiers]
    ItemVerifier.objects.bulk_create(
        [ItemVerifier(item=item, case=case, department=code) for code in dict.fromkeys(departments)]
    )
    return item


def _four_eyes(user, case, node_name: str, what: str) -> None:
    if not is_second_officer(user, case):
        raise ValidationError(_("The officer who filed the case cannot %(what)s.") % {"what": what})
    if taken := separation_refusal(user, case, node_name):
        raise ValidationError(
            _("You took part in this case (%(steps)s); another officer must %(what)s.")
            % {"steps": steps_text(taken), "what": what}
        )


def not_suspended(case: Case) -> None:
    if is_suspended(case):
        raise ValidationError(suspended_problem())


def acceptance_record(*, case: Case, reviewed_by, result: str, reason: str) -> AcceptanceReview:
    """The acceptance check by a second officer: accepted (the configured departments are asked), returned
    for supplement by a working-day deadline, or not accepted with a sealed 不予受理通知书."""
    _four_eyes(reviewed_by, case, "check_acceptance", _("check its acceptance"))
    not_suspended(case)
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if result not in AcceptanceResult.values:
        raise ValidationError(_("Choose one of the offered results."))
    if result == AcceptanceResult.NOT_ACCEPTED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for not accepting the declaration.")})
    if result == AcceptanceResult.SUPPLEMENT and not reason.strip():
        raise ValidationError({"reason": _("Say which materials the subject must supply.")})
    catalogue = case.rectification.catalogue
    with transaction.atomic():
        due = None
        if result == AcceptanceResult.SUPPLEMENT:
            due = add_working_days(timezone.localdate(), case_type_policy_of(case).supplement_working_days)
        review = AcceptanceReview.objects.create(
            case=case, result=result, reason=reason, reviewed_by=reviewed_by, supplement_due=due
        )
        if result == AcceptanceResult.ACCEPTED:
            verify_due = add_working_days(timezone.localdate(), catalogue.setting("verification_working_days"))
            for department in catalogue.setting("opinion_departments"):
                opinion_request(case=case, department=department, due=verify_due)
            case_stage_set(case=case, stage=RectificationStage.VERIFICATION, next_due=verify_due)
        elif result == AcceptanceResult.SUPPLEMENT:
            case_stage_set(case=case, stage=RectificationStage.SUPPLEMENT, next_due=due)
            notify(
                recipients=notices.subjects_of(case),
                kind=notices.SUPPLEMENT_REQUESTED,
                event_key=f"rectification:supplement:{review.pk}",
                title=lambda: (
                    _("Supply materials for case %(number)s by %(due)s") % {"number": case.number, "due": due}
                ),
                body=lambda: reason,
                link=notices.case_link(case),
                case=case,
            )
        else:
            case_stage_set(case=case, stage=RectificationStage.NOT_ACCEPTED)
            letters.refusal_issue(case=case, reason=reason, issued_by=reviewed_by)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=reviewed_by,
            case=case,
            target=review,
            payload={
                "form": "rectification_acceptance",
                "result": result,
                "reason": reason,
                "supplement_due": due.isoformat() if due else None,
            },
        )
    return review


def verification_record(
    *, case: Case, recorded_by, facts_verified: str, discrepancies: str, false_declaration: bool
) -> None:
    """The verified fact sheet, once every department asked has answered."""
    not_suspended(case)
    text_validate(facts_verified, label=_("verified facts"), multiline=True, field="facts_verified")
    text_validate(discrepancies, label=_("discrepancies"), multiline=True, field="discrepancies")
    opinions_waiting_check(case)
    if false_declaration and not discrepancies.strip():
        raise ValidationError({"discrepancies": _("Describe what the declaration concealed.")})
    details = case.rectification
    with transaction.atomic():
        details.facts_verified = facts_verified
        details.discrepancies = discrepancies
        details.false_declaration = false_declaration
        details.save(update_fields=["facts_verified", "discrepancies", "false_declaration"])
        case_stage_set(case=case, stage=RectificationStage.CLASSIFICATION)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=details,
            payload={
                "form": "rectification_verification",
                "facts_verified": facts_verified,
                "discrepancies": discrepancies,
                "false_declaration": false_declaration,
            },
        )


def gaps_classify(*, case: Case, recorded_by, rows: list[dict], negative_codes: list[str]) -> None:
    """The gap list: each row a catalogue code with its finding, severity and remedy (deadline, verifier; the
    evidence required is the catalogue's). A concealed fact puts the false-declaration item of the negative list on the case."""
    not_suspended(case)
    details = case.rectification
    catalogue = details.catalogue
    gaps = {item.code: item for item in catalogue.items.filter(kind=CatalogueItemKind.GAP)}
    negatives = {item.code: item for item in catalogue.items.filter(kind=CatalogueItemKind.NEGATIVE)}
    for index, row in enumerate(rows):
        if row["code"] not in gaps:
            raise ValidationError(
                {
                    "gaps": ValidationError(
                        _("Gap code %(code)s is not in the catalogue."), params={"code": row["code"], "index": index}
                    )
                }
            )
        text_validate(row["finding"], label=_("finding"), multiline=True)
        text_validate(row["remedy"], label=_("remedy"), multiline=True)
        if (
            row["severity"] not in Severity.values
            or row["verifier"] not in Department.values
            or any(code not in Department.values for code in row.get("co_verifiers", []))
        ):
            raise ValidationError(_("Choose one of the offered values."))
        if row["deadline"] < 1:
            raise ValidationError(_("A deadline is at least one day."))
    unknown = [code for code in negative_codes if code not in negatives]
    if unknown:
        raise ValidationError(
            {"negative_codes": _("Not on the negative list: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    false_code = catalogue.setting("false_declaration_negative")
    if details.false_declaration and false_code not in negative_codes:
        raise ValidationError(
            {"negative_codes": _("The declaration concealed a material fact: mark %(code)s.") % {"code": false_code}}
        )
    if not rows and not negative_codes:
        raise ValidationError(_("Record at least one gap, or the negative-list item that applies."))
    with transaction.atomic():
        ItemVerifier.objects.filter(item__case=case).delete()
        case.rectification_items.all().delete()
        for order, row in enumerate(rows, start=1):
            _item_create(
                case,
                gaps[row["code"]],
                order=order,
                finding=row["finding"],
                severity=row["severity"],
                remedy=row["remedy"],
                evidence_required=gaps[row["code"]].evidence_required,
                deadline=row["deadline"],
                deadline_unit=gaps[row["code"]].deadline_unit,
                verifier=row["verifier"],
                co_verifiers=row.get("co_verifiers", []),
            )
        details.negative_hits.set([negatives[code] for code in negative_codes])
        case_stage_set(case=case, stage=RectificationStage.GAP_CONFIRMATION)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=details,
            payload={
                "form": "rectification_gaps",
                "gaps": [
                    {
                        **{k: row[k] for k in ("code", "severity", "deadline", "verifier", "finding", "remedy")},
                        "co_verifiers": list(row.get("co_verifiers", [])),
                        "default_verifiers": list(gaps[row["code"]].extra_verifiers),
                    }
                    for row in rows
                ],
                "negative": negative_codes,
            },
        )


def gaps_confirm(*, case: Case, confirmed_by, confirmed: bool, reason: str) -> None:
    """Four-eyes on the gap list: confirmed, the subject is told (the sealed 合规问题认定告知书) and may state
    their view within the period; returned, back to classification."""
    _four_eyes(confirmed_by, case, "confirm_gaps", _("confirm its gap list"))
    not_suspended(case)
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not confirmed and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the gap list.")})
    with transaction.atomic():
        # The case's own (cached) details: the flow's route reads them right after this.
        details = case.rectification
        details.gaps_confirmed = confirmed
        details.save(update_fields=["gaps_confirmed"])
        if confirmed:
            notice = letters.gap_notice_issue(
                case=case,
                statement_days=details.catalogue.setting("statement_working_days"),
                issued_by=confirmed_by,
            )
            statement_open(case=case, notice=notice)
        else:
            case_stage_set(case=case, stage=RectificationStage.CLASSIFICATION)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=confirmed_by,
            case=case,
            target=details,
            payload={"form": "rectification_gap_confirmation", "confirmed": confirmed, "reason": reason},
        )


def items_arm(case: Case) -> list[RectificationItem]:
    """Set each item's deadline from today, in its own unit (call inside the notice's transaction)."""
    today = timezone.localdate()
    items = list(case.rectification_items.select_related("gap"))
    for item in items:
        item.due_on = add_days(today, item.deadline, working=item.deadline_unit == DeadlineUnit.WORKING_DAYS)
        item.status = ItemStatus.OPEN
        item.save(update_fields=["due_on", "status"])
    return items
