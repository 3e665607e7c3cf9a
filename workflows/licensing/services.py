"""Filing a licence case, its review with the conflict check, the checks again before the committee and
the decision, and recording the signed contract and its CNIPA record. Each write is one transaction with
its audit event; a rule tied to one field raises ValidationError({"field": message})."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case, CaseType, Company
from tolerance.notifications.services import notify
from tolerance.services.attachments import attachment_add
from tolerance.services.cases import SubjectSpec, case_file, case_stage_set
from tolerance.text import text_validate
from workflows.access import is_case_officer
from workflows.licensing import conflicts as matrix
from workflows.licensing.conflict_service import conflict_record, grants_sync, licence_conflicts_find
from workflows.licensing.models import (
    LicenceType,
    LicensingDetails,
    LicensingReview,
    LicensingStage,
    Maturity,
    PaymentMode,
    ReviewResult,
)
from workflows.licensing.notices import CONFLICT_FOUND
from workflows.licensing.policy import LicensingPolicy, licensing_version_current

MATURITY_ORDER = list(Maturity.values)
CENT = Decimal("0.01")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later, or that month's last day if it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def company_contacts(company: Company) -> list:
    return [contact.user for contact in company.contacts.filter(is_active=True).select_related("user")]


@dataclass(frozen=True)
class LicenceRequest:
    title: str
    company: Company
    results: list
    intended_use: str
    licence_type: str
    fields_of_use: list
    territories: list
    start_on: datetime.date
    end_on: datetime.date
    free_use_months: int
    trigger_date: datetime.date | None
    trigger_milestone: str
    trigger_revenue: Decimal | None
    trigger_mode: str
    payment_mode: str
    fee_total: Decimal
    instalments: int = 1
    royalty_percent: Decimal | None = None
    valuation_reference: str = ""
    inventors: list = field(default_factory=list)


def _money(value, name):
    if value is None:
        return
    if not isinstance(value, Decimal) or value != value.quantize(CENT) or value <= 0:
        raise ValidationError({name: _("Enter a positive amount in yuan with at most two decimal places.")})


def licence_request_check(institution, request: LicenceRequest, policy: LicensingPolicy) -> None:
    """Every rule the policy sets on the terms asked for; raises ValidationError({field: message})."""
    text_validate(request.intended_use, label=_("intended use"), multiline=True, field="intended_use")
    if request.company.size_class not in policy.eligible_size_classes:
        raise ValidationError(
            {"company": _("The policy does not allow pay-after-use licences to companies of this size.")}
        )
    if request.company.credit_flagged_on and policy.credit_flag_effect == "block":
        raise ValidationError({"company": _("This company carries a credit flag from an earlier breach.")})
    if not company_contacts(request.company):
        raise ValidationError({"company": _("The company has no active contact to act for it.")})
    if not request.results:
        raise ValidationError({"results": _("Choose the results to be licensed.")})
    for result in request.results:
        if result.institution_id != institution.pk:
            raise ValidationError(
                {"results": _("Result “%(result)s” is not in this institution's ledger.") % {"result": result}}
            )
        if not result.listed:
            raise ValidationError(
                {"results": _("Result “%(result)s” is not listed for pay-after-use licensing.") % {"result": result}}
            )
        if MATURITY_ORDER.index(result.maturity) < MATURITY_ORDER.index(policy.min_maturity):
            raise ValidationError(
                {"results": _("Result “%(result)s” is not mature enough for this licence.") % {"result": result}}
            )
    if request.licence_type not in policy.allowed_licence_types:
        raise ValidationError({"licence_type": _("The policy does not allow this licence type.")})
    if (
        request.licence_type != LicenceType.ORDINARY
        and policy.exclusive_requires_valuation
        and not request.valuation_reference.strip()
    ):
        raise ValidationError({"valuation_reference": _("A sole or exclusive licence needs a valuation report.")})
    if not request.fields_of_use:
        raise ValidationError({"fields_of_use": _("Name at least one field of use.")})
    if not request.territories:
        raise ValidationError({"territories": _("Name at least one territory.")})
    if request.end_on <= request.start_on:
        raise ValidationError({"end_on": _("The licence must end after it starts.")})
    if not 0 <= request.free_use_months <= policy.free_use_max_months:
        raise ValidationError(
            {
                "free_use_months": _("The free-use period may be at most %(max)s months.")
                % {"max": policy.free_use_max_months}
            }
        )
    if request.trigger_date is None and not request.trigger_milestone and request.trigger_revenue is None:
        raise ValidationError(
            {"trigger_date": _("Agree at least one payment trigger: a date, a milestone or net sales.")}
        )
    if request.trigger_date is not None and not request.start_on <= request.trigger_date <= request.end_on:
        raise ValidationError({"trigger_date": _("The trigger date must fall within the licence term.")})
    if request.trigger_milestone and request.trigger_milestone not in policy.milestone_codes:
        raise ValidationError({"trigger_milestone": _("This milestone is not one the policy lists.")})
    _money(request.trigger_revenue, "trigger_revenue")
    _money(request.fee_total, "fee_total")
    if request.fee_total > policy.fee_max_yuan:
        raise ValidationError(
            {"fee_total": _("The fee exceeds the policy's cap of %(max)s yuan.") % {"max": policy.fee_max_yuan}}
        )
    if request.payment_mode == PaymentMode.STAGED and request.instalments < 2:
        raise ValidationError({"instalments": _("Instalments need at least two payments.")})
    if request.payment_mode == PaymentMode.ROYALTY:
        rate = request.royalty_percent
        if rate is None or rate <= 0 or rate > policy.royalty_percent_max:
            raise ValidationError(
                {
                    "royalty_percent": _("The royalty must be above 0 and at most %(max)s%% of net sales.")
                    % {"max": policy.royalty_percent_max}
                }
            )


def licensing_file(*, process, institution, filed_by, request: LicenceRequest) -> Case:
    """File the application for the company (the officer acting for it)."""
    version = licensing_version_current(institution)
    policy = LicensingPolicy.from_data(version.data)
    licence_request_check(institution, request, policy)
    subjects = [SubjectSpec(user=user, role_in_case="被许可企业联系人") for user in company_contacts(request.company)]
    subjects += [SubjectSpec(user=user, role_in_case="发明人") for user in request.inventors]
    with transaction.atomic():
        process.save()
        case = case_file(
            institution=institution,
            case_type=CaseType.PAY_AFTER_USE,
            title=request.title,
            filed_by=filed_by,
            subjects=subjects,
            payload={"company": request.company.uscc, "licence_type": request.licence_type},
        )
        case.process = process
        case.company = request.company
        case.save(update_fields=["process", "company"])
        details = LicensingDetails.objects.create(
            case=case,
            policy_version=version,
            intended_use=request.intended_use,
            licence_type=request.licence_type,
            fields_of_use=list(request.fields_of_use),
            territories=list(request.territories),
            start_on=request.start_on,
            end_on=request.end_on,
            free_use_months=request.free_use_months,
            trigger_mode=request.trigger_mode,
            trigger_date=request.trigger_date,
            trigger_milestone=request.trigger_milestone,
            trigger_revenue=request.trigger_revenue,
            payment_mode=request.payment_mode,
            fee_total=request.fee_total,
            instalments=request.instalments if request.payment_mode == PaymentMode.STAGED else 1,
            royalty_percent=request.royalty_percent if request.payment_mode == PaymentMode.ROYALTY else None,
            valuation_reference=request.valuation_reference,
        )
        details.results.set(request.results)
        grants_sync(details)
        case_stage_set(case=case, stage=LicensingStage.REVIEW)
    return case


def conflicts_blocking(records) -> list:
    return [r for r in records if r["level"] == matrix.BLOCK]


def licensing_review_record(
    *,
    case,
    reviewed_by,
    result,
    ownership_clear,
    inventors_consent,
    reason="",
    proceed_reason="",
    consent_file=None,
    related_party=False,
    related_party_disclosure="",
) -> LicensingReview:
    """The second officer's review: eligibility findings and the conflict check, which blocks, needs a
    consent on file, or may be passed with a written reason. A related party must be disclosed; it (or the
    amount) sets the body that approves after the committee, as the policy names it."""
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    text_validate(
        related_party_disclosure, label=_("related-party disclosure"), multiline=True, field="related_party_disclosure"
    )
    if related_party and not related_party_disclosure.strip():
        raise ValidationError(
            {"related_party_disclosure": _("Disclose who holds shares in the licensee and how they are related.")}
        )
    text_validate(proceed_reason, label=_("reason for proceeding"), multiline=True, field="proceed_reason")
    if not is_case_officer(reviewed_by, case):
        raise ValidationError(_("Only an officer of the institution can review this case."))
    with transaction.atomic():
        records = [conflict_record(c) for c in licence_conflicts_find(case, lock=True)]
        if result == ReviewResult.ACCEPTED:
            if not ownership_clear:
                raise ValidationError({"ownership_clear": _("Ownership must be clear and undisputed to proceed.")})
            if not inventors_consent:
                raise ValidationError({"inventors_consent": _("Every inventor's consent is missing or incomplete.")})
            if conflicts_blocking(records):
                raise ValidationError(_("A conflict blocks this licence; it cannot go to the committee."))
            if any(r["level"] == matrix.CONSENT for r in records) and consent_file is None:
                raise ValidationError({"consent_file": _("Attach the written consent the conflict check asks for.")})
            if any(r["level"] == matrix.WARN for r in records) and not proceed_reason.strip():
                raise ValidationError({"proceed_reason": _("Give the reason for proceeding past the warnings.")})
        elif not reason.strip():
            raise ValidationError({"reason": _("Give the reason for refusing.")})
        if consent_file is not None:
            attachment_add(case=case, uploaded_by=reviewed_by, uploaded=consent_file, category="licensing_consent")
        details = case.licensing
        policy = LicensingPolicy.from_data(details.policy_version.data)
        details.related_party = related_party
        details.related_party_disclosure = related_party_disclosure.strip() if related_party else ""
        details.approval_body = policy.approval_body_for(fee_total=details.fee_total, related_party=related_party)
        details.save(update_fields=["related_party", "related_party_disclosure", "approval_body"])
        if result == ReviewResult.ACCEPTED and any(r["code"] == "truncate" for r in records):
            expiry = min(r.expires_on for r in details.results.all())
            details.truncated_from, details.end_on = details.end_on, expiry
            details.save(update_fields=["truncated_from", "end_on"])
            grants_sync(details)
        review = LicensingReview.objects.create(
            case=case,
            stage=case.stage,
            result=result,
            ownership_clear=ownership_clear,
            inventors_consent=inventors_consent,
            conflicts=records,
            proceed_reason=proceed_reason,
            reason=reason,
            reviewed_by=reviewed_by,
        )
        case_stage_set(
            case=case,
            stage=LicensingStage.COMMITTEE_REVIEW if result == ReviewResult.ACCEPTED else LicensingStage.REFUSED,
        )
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=reviewed_by,
            case=case,
            target=review,
            payload={
                "form": "licensing_review",
                "result": result,
                "conflicts": records,
                "proceed_reason": proceed_reason,
                "reason": reason,
                "related_party": related_party,
                "related_party_disclosure": details.related_party_disclosure,
                "approval_body": details.approval_body,
            },
        )
        if records:
            notify(
                recipients=[case.filed_by, reviewed_by],
                kind=CONFLICT_FOUND,
                event_key=f"licensing:conflict:{review.pk}",
                title=lambda: _("Conflicts found for licence %(case)s") % {"case": case.number},
                link=f"/cases/{case.pk}/",
                case=case,
            )
    return review


def review_latest(case) -> LicensingReview | None:
    return case.licensing_reviews.order_by("-id").first()


def conflicts_recheck(case, *, stage_label) -> list:
    """Run again before the committee and before the decision: a block stops the step, and so does any
    conflict the review did not see (and pass with its reason or consent). Call inside the step's
    transaction: the result rows stay locked until it ends."""
    records = [conflict_record(c) for c in licence_conflicts_find(case, lock=True)]
    if conflicts_blocking(records):
        raise ValidationError(
            _("A conflict with another licence now blocks this case; %(step)s is not possible.") % {"step": stage_label}
        )
    review = review_latest(case)
    passed = {(r["code"], r["result_id"], r["other_case_id"]) for r in (review.conflicts if review else [])}
    if any((r["code"], r["result_id"], r["other_case_id"]) not in passed for r in records):
        raise ValidationError(_("A new conflict appeared since the review; the case must be reviewed again."))
    return records


def contract_record(*, case, recorded_by, contract_number, effective_on, contract_file) -> LicensingDetails:
    """The signed contract: the CNIPA record falls due 3 months (policy) after it takes effect, and the
    free-use period starts."""
    text_validate(contract_number, label=_("contract number"), field="contract_number")
    if not contract_number.strip():
        raise ValidationError({"contract_number": _("Enter the contract number.")})
    decision = case.decisions.filter(kind="licence").order_by("-id").first()
    if decision is None:
        raise ValidationError(_("The licence decision has not been issued."))
    if effective_on < decision.issued_at.date():
        raise ValidationError({"effective_on": _("The contract cannot take effect before the licence decision.")})
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("Record the contract once it has taken effect.")})
    with transaction.atomic():
        details = LicensingDetails.objects.select_for_update().get(case=case)
        policy = LicensingPolicy.from_data(details.policy_version.data)
        attachment_add(case=case, uploaded_by=recorded_by, uploaded=contract_file, category="licensing_contract")
        details.contract_number = contract_number.strip()
        details.contract_effective_on = effective_on
        details.record_due_on = add_months(effective_on, policy.record_deadline_months)
        details.free_use_ends_on = add_months(effective_on, details.free_use_months)
        details.save()
        case_stage_set(case=case, stage=LicensingStage.FREE_USE, next_due=details.record_due_on)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=details,
            payload={
                "form": "licensing_contract",
                "contract_number": details.contract_number,
                "effective_on": effective_on.isoformat(),
                "record_due_on": details.record_due_on.isoformat(),
                "free_use_ends_on": details.free_use_ends_on.isoformat(),
            },
        )
    return details


def cnipa_record_file(*, case, recorded_by, filed_on, record_number) -> LicensingDetails:
    text_validate(record_number, label=_("record number"), field="record_number")
    if not record_number.strip():
        raise ValidationError({"record_number": _("Enter the CNIPA record number.")})
    if not is_case_officer(recorded_by, case):
        raise ValidationError(_("Only an officer of the institution can record this."))
    with transaction.atomic():
        details = LicensingDetails.objects.select_for_update().get(case=case)
        if details.contract_effective_on is None:
            raise ValidationError(_("Record the contract first."))
        if filed_on < details.contract_effective_on or filed_on > timezone.localdate():
            raise ValidationError(
                {"filed_on": _("The filing date must be between the contract's effective date and today.")}
            )
        details.record_filed_on, details.record_number = filed_on, record_number.strip()
        details.save(update_fields=["record_filed_on", "record_number"])
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=recorded_by,
            case=case,
            target=details,
            payload={
                "form": "licensing_cnipa_record",
                "filed_on": filed_on.isoformat(),
                "record_number": details.record_number,
                "late": filed_on > details.record_due_on,
            },
        )
    return details
