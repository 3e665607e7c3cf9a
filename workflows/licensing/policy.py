"""先使用后付费 policy data: versions per institution loaded from fixtures/policy/licensing/, read as a
typed object. A version is never edited (the admin shows it read-only): a change is a new version, so a
case keeps the numbers it was filed under."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Institution
from workflows.licensing.conflicts import MatrixPolicy
from workflows.licensing.models import LicensingPolicyVersion

POLICY_DIR = settings.BASE_DIR / "fixtures" / "policy" / "licensing"


OPTIONAL = {
    "report_reminders_days",
    "misses_before_breach",
    "election_working_days",
    "approval_thresholds",
    "related_party_body",
}


@dataclass(frozen=True)
class LicensingPolicy:
    eligible_size_classes: tuple[str, ...]
    credit_flag_effect: str
    min_maturity: str
    allowed_licence_types: tuple[str, ...]
    exclusive_requires_valuation: bool
    free_use_max_months: int
    milestone_codes: tuple[str, ...]
    royalty_percent_max: Decimal
    fee_max_yuan: Decimal
    report_interval_months: int
    report_due_days: int
    pay_within_days: int
    instalment_interval_months: int
    payment_reminders_days: tuple[int, ...]
    demand_after_days: int
    breach_notice_after_days: int
    cure_working_days: int
    exit_notice_days: int
    record_deadline_months: int
    record_reminders_days: tuple[int, ...]
    lapsed_patent_action: str
    conflict_block_on: tuple[str, ...]
    conflict_warn_on: tuple[str, ...]
    # Added by version 2; a version without them has none of these steps (its cases keep running as filed).
    # Usage-report reminders, days before the report's due date (negative: after it).
    report_reminders_days: tuple[int, ...] = ()
    # Missed reports that bring a breach notice; None: missed reports are only reminded.
    misses_before_breach: int | None = None
    # The licensee's election after the trigger (pay, exit, convert) within these working days.
    election_working_days: int | None = None
    # [{"at_least": amount, "body": name}]: a fee or cap at least the amount also needs that body's approval.
    approval_thresholds: tuple[dict, ...] = ()
    # The body that approves a related-party licence after the committee.
    related_party_body: str = ""

    @classmethod
    def from_data(cls, data: dict) -> "LicensingPolicy":
        values = {}
        for name, kind in cls.__annotations__.items():
            if name not in data and name in OPTIONAL:
                continue
            raw = data[name]
            if kind is Decimal:
                values[name] = Decimal(str(raw))
            elif isinstance(raw, list):
                values[name] = tuple(raw)
            else:
                values[name] = raw
        return cls(**values)

    def approval_body_for(self, *, fee_total: Decimal, related_party: bool) -> str:
        """The body that approves after the committee: the related-party body, else the highest amount
        threshold the fee or cap reaches; blank when the committee's resolution is enough."""
        if related_party and self.related_party_body:
            return self.related_party_body
        reached = [row for row in self.approval_thresholds if fee_total >= Decimal(str(row["at_least"]))]
        return max(reached, key=lambda row: Decimal(str(row["at_least"])))["body"] if reached else ""

    @property
    def matrix(self) -> MatrixPolicy:
        return MatrixPolicy(
            block_on=frozenset(self.conflict_block_on),
            warn_on=frozenset(self.conflict_warn_on),
            lapsed_action=self.lapsed_patent_action,
        )


def licensing_version_current(institution, on=None) -> LicensingPolicyVersion:
    on = on or timezone.localdate()
    version = (
        LicensingPolicyVersion.objects.filter(institution=institution, effective_from__lte=on)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ValidationError(_("No pay-after-use licensing policy is in force at this institution."))
    return version


def licensing_policy(case) -> LicensingPolicy:
    """The numbers a case was filed under (its version, frozen)."""
    return LicensingPolicy.from_data(case.licensing.policy_version.data)


def licensing_policy_load(*, institution: Institution, path: Path, loaded_by=None) -> LicensingPolicyVersion | None:
    """Load one version file; a version already present is left as it is (returns None)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if LicensingPolicyVersion.objects.filter(institution=institution, number=data["number"]).exists():
        return None
    LicensingPolicy.from_data(data)  # refuse a file missing a number before anything is stored
    with transaction.atomic():
        version = LicensingPolicyVersion.objects.create(
            institution=institution,
            number=data["number"],
            effective_from=data["effective_from"],
            source=data.get("source", ""),
            data=data,
        )
        audit_record(
            action=AuditAction.POLICY_CHANGED,
            actor=loaded_by,
            target=version,
            payload={"change": "licensing_version_loaded", "institution": institution.code, **data},
        )
    return version


def licensing_policies_load(institution: Institution, loaded_by=None) -> list:
    return [
        licensing_policy_load(institution=institution, path=path, loaded_by=loaded_by)
        for path in sorted(POLICY_DIR.glob(f"{institution.code}-v*.json"))
    ]
