"""Writes of the exemption flow up to the rule evaluation: filing, intake, supplement, findings."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType
from tolerance.selectors.policy import case_policy, case_type_policy
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import SubjectSpec, case_file, case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.access import is_second_officer
from workflows.exemption import rules
from workflows.exemption.models import (
    ExemptionDetails,
    ExemptionOutcome,
    ExemptionStage,
    Finding,
    IntakeResult,
    IntakeReview,
    RuleEvaluation,
)
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyItem, PolicyItemKind
from workflows.nodes import separation_refusal, steps_text


@dataclass(frozen=True)
class ConversionData:
    title: str
    result_title: str
    route: str
    counterparty: str
    contract_number: str
    contract_amount: Decimal
    contract_signed_on: datetime.date
    failed_on: datetime.date
    failure_description: str
    loss_amount: Decimal
    cited_entries: list = field(default_factory=list)


def _check_conversion(data: ConversionData):
    text_validate(data.result_title, label=_("research result"), field="result_title")
    text_validate(data.counterparty, label=_("counterparty"), field="counterparty")
    text_validate(data.contract_number, label=_("contract number"), field="contract_number")
    text_validate(data.failure_description, label=_("what failed"), multiline=True, field="failure_description")
    if data.loss_amount < 0 or data.contract_amount < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if data.failed_on < data.contract_signed_on:
        raise ValidationError({"failed_on": _("The failure cannot predate the contract.")})
    if data.failed_on > timezone.localdate():
        raise ValidationError({"failed_on": _("The failure date cannot be in the future.")})


def exemption_file(
    *,
    process,
    institution,
    filed_by,
    conversion: ConversionData,
    subjects: list[SubjectSpec],
    evidence: dict[str, list] | None = None,
):
    """File the case for a new exemption process: the Case, its details and the evidence by condition.

    `evidence` maps a category to its files: uploaded files or the filer's held uploads (PendingUpload).
    """
    _check_conversion(conversion)
    case_type_policy(institution_id=institution.pk, case_type=CaseType.EXEMPTION)
    version = policy_version_current(institution)
    if version is None:
        raise ValidationError(_("No tolerance list is in force for this institution; load one first."))
    entries = list(conversion.cited_entries)
    if not entries:
        raise ValidationError(_("Cite at least one tolerance list entry."))
    if any(entry.version_id != version.pk or entry.kind != PolicyItemKind.ENTRY for entry in entries):
        raise ValidationError(_("Only entries of the tolerance list in force can be cited."))
    with transaction.atomic():
        process.save()
        case = case_file(
            institution=institution,
            case_type=CaseType.EXEMPTION,
            title=conversion.title,
            filed_by=filed_by,
            subjects=subjects,
            payload={"policy_version": str(version)},
        )
        case.process = process
        case.save(update_fields=["process"])
        details = ExemptionDetails.objects.create(
            case=case,
            policy_version=version,
            result_title=conversion.result_title,
            route=conversion.route,
            counterparty=conversion.counterparty,
            contract_number=conversion.contract_number,
            contract_amount=conversion.contract_amount,
            contract_signed_on=conversion.contract_signed_on,
            failed_on=conversion.failed_on,
            failure_description=conversion.failure_description,
            loss_amount=conversion.loss_amount,
        )
        details.cited_entries.set(entries)
        for category, files in (evidence or {}).items():
            for uploaded in files:
                attachment_add(case=case, uploaded_by=filed_by, uploaded=uploaded, category=category)
        case_stage_set(
            case=case,
            stage=ExemptionStage.COMPLETENESS_CHECK,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=filed_by,
            case=case,
            target=details,
            payload={
                "form": "exemption_filing",
                "route": conversion.route,
                "contract_number": conversion.contract_number,
                "contract_amount": str(conversion.contract_amount),
                "loss_amount": str(conversion.loss_amount),
                "contract_signed_on": conversion.contract_signed_on.isoformat(),
                "failed_on": conversion.failed_on.isoformat(),
                "cited_entries": [e.code for e in entries],
            },
        )
    return case


def intake_review_record(*, case: Case, reviewed_by, result: str, reason: str) -> IntakeReview:
    """The completeness check by an officer other than the filer."""
    if not is_second_officer(reviewed_by, case):
        raise ValidationError(_("The officer who filed the case cannot check its completeness."))
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    # The same separation of duties as the flow's check_completeness node (flow.py, `.Excludes`).
    if taken := separation_refusal(reviewed_by, case, "check_completeness"):
        raise ValidationError(
            _("You took part in this case (%(steps)s); another officer must check its completeness.")
            % {"steps": steps_text(taken)}
        )
    if result not in IntakeResult.values:
        raise ValidationError(_("Choose one of the offered results."))
    if result != IntakeResult.ACCEPTED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning or refusing the filing.")})
    with transaction.atomic():
        due = None
        if result == IntakeResult.SUPPLEMENT:
            due = add_working_days(timezone.localdate(), case_policy(case).supplement_working_days)
        review = IntakeReview.objects.create(
            case=case, result=result, reason=reason, supplement_due=due, reviewed_by=reviewed_by
        )
        if result == IntakeResult.ACCEPTED:
            case_stage_set(case=case, stage=ExemptionStage.INVESTIGATION)
        elif result == IntakeResult.SUPPLEMENT:
            case_stage_set(
                case=case,
                stage=ExemptionStage.SUPPLEMENT_REQUESTED,
                next_due=due,
            )
        else:
            case_stage_set(case=case, stage=ExemptionStage.REFUSED)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=reviewed_by,
            case=case,
            target=review,
            payload={
                "form": "completeness_check",
                "result": result,
                "reason": reason,
                "supplement_due": due.isoformat() if due else None,
            },
        )
    return review


def intake_latest(case: Case) -> IntakeReview | None:
    return case.intake_reviews.order_by("-id").first()


def supplement_submit(*, case: Case, submitted_by, note: str, files: list) -> None:
    """The filer answers a request for supplement; the case goes back to the completeness check.

    `files`: uploaded files or the filer's held uploads (PendingUpload).
    """
    if not note.strip() and not files:
        raise ValidationError(_("Explain what was supplemented or upload at least one file."))
    text_validate(note, label=_("note"), multiline=True, field="note")
    with transaction.atomic():
        attachments = [
            attachment_add(case=case, uploaded_by=submitted_by, uploaded=uploaded, category="supplement")
            for uploaded in files
        ]
        case_stage_set(
            case=case,
            stage=ExemptionStage.COMPLETENESS_CHECK,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=submitted_by,
            case=case,
            target=case,
            payload={"form": "supplement", "note": note, "files": [a.original_name for a in attachments]},
        )


def policy_items_for(case: Case, kind: str):
    return PolicyItem.objects.filter(version=case.exemption.policy_version, kind=kind).order_by("order", "code")


def findings_record(*, case: Case, recorded_by, findings: list[dict]) -> None:
    """Record the investigator's finding for every condition, negative item and mitigating factor.

    Each dict: item (PolicyItem), holds (bool), note (str), evidence (attachments of this case).
    A re-investigation replaces the earlier findings; the audit trail keeps them.
    """
    version_id = case.exemption.policy_version_id
    expected = set(
        PolicyItem.objects.filter(version_id=version_id).exclude(kind=PolicyItemKind.ENTRY).values_list("pk", flat=True)
    )
    given = {row["item"].pk for row in findings}
    if given != expected:
        raise ValidationError(_("Record a finding for every condition, negative-list item and mitigating factor."))
    for row in findings:
        text_validate(row["note"], label=_("finding"), multiline=True, field=f"note_{row['item'].pk}")
        if any(attachment.case_id != case.pk for attachment in row["evidence"]):
            raise ValidationError(_("Evidence must be attached to this case."))
        if row["item"].kind == PolicyItemKind.CONDITION and row["holds"] and not row["evidence"]:
            raise ValidationError(
                _("Condition “%(title)s” is marked met: link the evidence that shows it.")
                % {"title": row["item"].title}
            )
    with transaction.atomic():
        _findings_store(case=case, recorded_by=recorded_by, findings=findings)
        case_stage_set(case=case, stage=ExemptionStage.RULE_EVALUATION)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=case,
            payload={
                "form": "investigation",
                "findings": [
                    {
                        "item": row["item"].code,
                        "kind": row["item"].kind,
                        "holds": row["holds"],
                        "note": row["note"],
                        "evidence": [a.pk for a in row["evidence"]],
                    }
                    for row in findings
                ],
            },
        )


def _findings_store(*, case: Case, recorded_by, findings: list[dict]) -> None:
    """Write the findings and their evidence in a fixed number of statements, whatever the number of items."""
    existing = {finding.item_id: finding for finding in Finding.objects.select_for_update().filter(case=case)}
    now = timezone.now()
    stored = []
    for row in findings:
        finding = existing.get(row["item"].pk) or Finding(case=case, item=row["item"])
        finding.holds, finding.note, finding.recorded_by, finding.recorded_at = (
            row["holds"],
            row["note"],
            recorded_by,
            now,
        )
        stored.append((finding, row["evidence"]))
    updated = [finding for finding, _evidence in stored if finding.pk is not None]
    if updated:
        Finding.objects.bulk_update(updated, ["holds", "note", "recorded_by", "recorded_at"])
    Finding.objects.bulk_create([finding for finding, _evidence in stored if finding.pk is None])
    links = Finding.evidence.through
    links.objects.filter(finding__in=[finding.pk for finding, _evidence in stored]).delete()
    links.objects.bulk_create(
        [
            links(finding_id=finding.pk, attachment_id=attachment.pk)
            for finding, evidence in stored
            for attachment in {attachment.pk: attachment for attachment in evidence}.values()
        ]
    )


def evaluation_propose(case: Case) -> rules.Evaluation:
    """Run the rules over the case's recorded findings."""
    recorded = {f.item_id: f.holds for f in case.findings.all()}

    def inputs(kind):
        return [
            rules.ItemFinding(code=i.code, title=i.title, holds=recorded.get(i.pk))
            for i in policy_items_for(case, kind)
        ]

    return rules.evaluate(
        conditions=inputs(PolicyItemKind.CONDITION),
        negatives=inputs(PolicyItemKind.NEGATIVE),
        mitigating=inputs(PolicyItemKind.MITIGATING),
        negative_mitigable=case.exemption.policy_version.negative_mitigable,
    )


def evaluation_confirm(*, case: Case, confirmed_by, outcome: str, override_reason: str) -> RuleEvaluation:
    """Four-eyes: an officer other than the filer and the investigator confirms the proposal or overrides it
    with a reason."""
    if not is_second_officer(confirmed_by, case):
        raise ValidationError(_("The officer who filed the case cannot confirm its evaluation."))
    text_validate(override_reason, label=_("override reason"), multiline=True, field="override_reason")
    # The same separation of duties as the flow's evaluate node: the investigator does not confirm either.
    if taken := separation_refusal(confirmed_by, case, "evaluate"):
        raise ValidationError(
            _("You took part in this case (%(steps)s); another officer must confirm its evaluation.")
            % {"steps": steps_text(taken)}
        )
    if outcome not in ExemptionOutcome.values:
        raise ValidationError(_("Choose one of the offered outcomes."))
    # The stored explanation is read on every page in the site's language, whoever confirmed it.
    with translation.override(settings.LANGUAGE_CODE):
        proposal = evaluation_propose(case)
    if outcome != proposal.proposal and not override_reason.strip():
        raise ValidationError({"override_reason": _("Give a written reason for overriding the proposed outcome.")})
    with transaction.atomic():
        evaluation = RuleEvaluation.objects.create(
            case=case,
            policy_version=case.exemption.policy_version,
            proposal=proposal.proposal,
            explanation={"summary": proposal.summary, "lines": proposal.lines},
            outcome=outcome,
            override_reason=override_reason if outcome != proposal.proposal else "",
            confirmed_by=confirmed_by,
        )
        case_stage_set(case=case, stage=ExemptionStage.COMMITTEE_REVIEW)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=confirmed_by,
            case=case,
            target=evaluation,
            payload={
                "form": "rule_evaluation",
                "proposal": proposal.proposal,
                "outcome": outcome,
                "override_reason": evaluation.override_reason,
            },
        )
    return evaluation
