"""Writes of the exemption flow up to the rule evaluation: filing, intake, supplement, findings."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType
from tolerance.selectors.policy import case_policy, case_type_policy
from tolerance.services.attachments import attachment_add, attachments_add
from tolerance.services.cases import SubjectSpec, case_file, case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.access import is_second_officer
from workflows.exemption.models import (
    ExemptionDetails,
    ExemptionStage,
    IntakeResult,
    IntakeReview,
    LossKind,
    PricingMethod,
    PublicityVenue,
    PublicityVenueKind,
    TriggerSource,
)
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyAudience, PolicyItemKind
from workflows.nodes import separation_refusal, steps_text


@dataclass(frozen=True)
class DecisionFacts:
    """Who decided the conversion and when; an emergency decision taken by one person, when it was
    reported and when the collective procedure was completed afterwards (C2's exception)."""

    decided_by_body: str = ""
    decided_on: datetime.date | None = None
    emergency: bool = False
    emergency_reason: str = ""
    reported_on: datetime.date | None = None
    procedure_completed_on: datetime.date | None = None


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
    pricing_method: str = ""
    objections_received: bool = False
    objection_handling: str = ""
    # Where the price was publicised: dicts of kind, name, starts_on, ends_on.
    publicity_venues: list = field(default_factory=list)
    # How the conversion was decided (C2's facts) and why the case started.
    decision: DecisionFacts | None = None
    trigger_source: str = ""
    accountability_ref: str = ""
    loss_kind: str = ""
    ledger_ref: str = ""


def _check_decision_facts(facts: DecisionFacts):
    text_validate(facts.decided_by_body, label=_("decided by (body)"), field="decided_by_body")
    text_validate(facts.emergency_reason, label=_("the emergency"), multiline=True, field="emergency_reason")
    today = timezone.localdate()
    for name in ("decided_on", "reported_on", "procedure_completed_on"):
        value = getattr(facts, name)
        if value and value > today:
            raise ValidationError({name: _("This date cannot be in the future.")})
    if not facts.emergency:
        if facts.emergency_reason.strip() or facts.reported_on or facts.procedure_completed_on:
            raise ValidationError(
                {"emergency": _("The emergency facts are filled in: say that the decision was taken in an emergency.")}
            )
        return
    if not facts.emergency_reason.strip():
        raise ValidationError({"emergency_reason": _("Describe the emergency that prevented a collective decision.")})
    if not facts.decided_on:
        raise ValidationError({"decided_on": _("Give the date of the emergency decision.")})
    for name in ("reported_on", "procedure_completed_on"):
        value = getattr(facts, name)
        if value and value < facts.decided_on:
            raise ValidationError({name: _("This date cannot precede the decision.")})


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
    if data.pricing_method and data.pricing_method not in PricingMethod.values:
        raise ValidationError({"pricing_method": _("Choose one of the offered pricing methods.")})
    text_validate(
        data.objection_handling, label=_("how the objections were handled"), multiline=True, field="objection_handling"
    )
    if data.trigger_source and data.trigger_source not in TriggerSource.values:
        raise ValidationError({"trigger_source": _("Choose one of the offered reasons.")})
    if data.loss_kind and data.loss_kind not in LossKind.values:
        raise ValidationError({"loss_kind": _("Choose one of the offered kinds of loss.")})
    text_validate(
        data.accountability_ref, label=_("reference of the finding or proceedings"), field="accountability_ref"
    )
    text_validate(data.ledger_ref, label=_("separate ledger number (单列台账)"), field="ledger_ref")
    if data.decision is not None:
        _check_decision_facts(data.decision)
    for index, venue in enumerate(data.publicity_venues):
        text_validate(venue.get("name", ""), label=_("venue name"), field="publicity_venues")
        if venue["kind"] not in PublicityVenueKind.values:
            raise ValidationError({"publicity_venues": _("Choose one of the offered venues.")})
        if venue["ends_on"] < venue["starts_on"]:
            raise ValidationError(
                {
                    "publicity_venues": ValidationError(
                        _("A publicity period cannot end before it starts."), params={"index": index}
                    )
                }
            )
        if venue["kind"] == PublicityVenueKind.PLATFORM and not venue.get("name", "").strip():
            raise ValidationError(
                {
                    "publicity_venues": ValidationError(
                        _("Name the platform the price was publicised on."), params={"index": index}
                    )
                }
            )


def _check_audiences(version, entries, subjects):
    """Under a version that judges each person, everyone named has an audience, and every entry cited
    speaks to at least one of them (the leaders', managers' or researchers' part of the list)."""
    # Naming nobody is case_file's error to give, in its words.
    if not subjects or not (version.rules or {}).get("determination_per_subject"):
        return
    for index, spec in enumerate(subjects):
        if spec.audience not in PolicyAudience.values:
            raise ValidationError(
                {
                    "subjects": ValidationError(
                        _("Say whether “%(name)s” is a leader, a manager or a researcher."),
                        code="subject",
                        params={"name": str(spec.user), "index": index},
                    )
                }
            )
    named = {spec.audience for spec in subjects}
    for entry in entries:
        if entry.audience and entry.audience not in named:
            raise ValidationError(
                {
                    "cited_entries": _(
                        "Entry %(code)s “%(title)s” is for %(audience)s, but no subject of that kind is named."
                    )
                    % {"code": entry.code, "title": entry.title, "audience": PolicyAudience(entry.audience).label}
                }
            )


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
    _check_audiences(version, entries, subjects)
    with transaction.atomic():
        process.save()
        case = case_file(
            institution=institution,
            case_type=CaseType.EXEMPTION,
            title=conversion.title,
            filed_by=filed_by,
            subjects=subjects,
            payload={"policy_version": str(version)},
            staff_subjects=True,
            process=process,
        )
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
            pricing_method=conversion.pricing_method,
            objections_received=conversion.objections_received,
            objection_handling=conversion.objection_handling,
            trigger_source=conversion.trigger_source,
            accountability_ref=conversion.accountability_ref,
            loss_kind=conversion.loss_kind,
            ledger_ref=conversion.ledger_ref,
            **_decision_fields(conversion.decision),
        )
        details.cited_entries.set(entries)
        PublicityVenue.objects.bulk_create(
            [
                PublicityVenue(
                    details=details,
                    kind=venue["kind"],
                    name=venue.get("name", ""),
                    starts_on=venue["starts_on"],
                    ends_on=venue["ends_on"],
                )
                for venue in conversion.publicity_venues
            ]
        )
        attachments_add(
            case=case,
            uploaded_by=filed_by,
            files=[(category, uploaded) for category, files in (evidence or {}).items() for uploaded in files],
        )
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
                "trigger_source": conversion.trigger_source,
                "accountability_ref": conversion.accountability_ref,
                "loss_kind": conversion.loss_kind,
                "ledger_ref": conversion.ledger_ref,
                "decision": {
                    key: value.isoformat() if isinstance(value, datetime.date) else value
                    for key, value in _decision_fields(conversion.decision).items()
                },
            }
            | (
                {
                    "pricing_method": conversion.pricing_method,
                    "objections_received": conversion.objections_received,
                    "objection_handling": conversion.objection_handling,
                    "publicity_venues": [
                        {
                            "kind": v["kind"],
                            "name": v.get("name", ""),
                            "starts_on": v["starts_on"].isoformat(),
                            "ends_on": v["ends_on"].isoformat(),
                        }
                        for v in conversion.publicity_venues
                    ],
                }
                if conversion.pricing_method
                else {}
            ),
        )
    return case


def _decision_fields(facts: DecisionFacts | None) -> dict:
    facts = facts or DecisionFacts()
    return {
        "decided_by_body": facts.decided_by_body,
        "decided_on": facts.decided_on,
        "emergency": facts.emergency,
        "emergency_reason": facts.emergency_reason,
        "reported_on": facts.reported_on,
        "procedure_completed_on": facts.procedure_completed_on,
    }


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


def conversion_check(data: ConversionData) -> None:
    """The filing's checks of the conversion facts, for an application before it is filed (X3)."""
    _check_conversion(data)
