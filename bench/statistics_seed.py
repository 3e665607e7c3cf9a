"""Bulk-inserted cases of all three types with the rows the statistics read, for bench/statistics_bench.py.

Each case gets three stage spells (two finished, one open), every third a decision in force; rectification
cases two items of the catalogue; licence cases their terms, a grant, one instalment, and for every other
one a receipt and a trigger event. Raw bulk inserts: driving the flows would take hours at 100,000 a type.
"""

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from tolerance.decisions.models import Decision
from tolerance.models import Case, CaseStageSpell, CaseType
from tolerance.services.cases import case_number_format
from workflows.licensing.ledger import PaymentDue, Receipt, TriggerEvent, TriggerKind
from workflows.licensing.models import LicenceGrant, LicensingDetails, LicensingPolicyVersion, Result
from workflows.rectification.catalogue import CatalogueItem, CatalogueVersion
from workflows.rectification.models import RectificationItem

BATCH = 2000
YEARS = (2023, 2024, 2025)
STAGES = {
    CaseType.EXEMPTION: ("investigation", "committee_review", "appeal_window", "exempt"),
    CaseType.RECTIFICATION: ("verification", "rectifying", "acceptance", "passed"),
    CaseType.PAY_AFTER_USE: ("review", "committee_review", "free_use", "granted"),
}
DECISION_KINDS = {
    CaseType.EXEMPTION: "exemption",
    CaseType.RECTIFICATION: "rectification",
    CaseType.PAY_AFTER_USE: "licence",
}


def _fixtures(institution):
    catalogue, _ = CatalogueVersion.objects.get_or_create(
        institution=institution, number=900, defaults={"effective_from": datetime.date(2020, 1, 1), "title": "bench"}
    )
    gaps = [
        CatalogueItem.objects.get_or_create(
            version=catalogue, code=f"G0{n}", defaults={"kind": "gap", "title": f"gap {n}"}
        )[0]
        for n in range(1, 5)
    ]
    policy, _ = LicensingPolicyVersion.objects.get_or_create(
        institution=institution, number=900, defaults={"effective_from": datetime.date(2020, 1, 1), "data": {}}
    )
    result, _ = Result.objects.get_or_create(
        institution=institution,
        number=f"BENCH-{institution.code}",
        defaults={
            "title": "bench result",
            "legal_status": "valid",
            "expires_on": datetime.date(2040, 1, 1),
            "annuity_paid_until": datetime.date(2030, 1, 1),
            "maturity": "pilot",
        },
    )
    return gaps, policy, result


def seed_statistics_cases(*, count_per_type: int, institutions: list, filers: dict) -> None:
    """`count_per_type` cases of each type, spread over `institutions` and YEARS in turn."""
    fixtures = {institution.code: _fixtures(institution) for institution in institutions}
    now = timezone.now()
    for case_type in (CaseType.EXEMPTION, CaseType.RECTIFICATION, CaseType.PAY_AFTER_USE):
        sequences = {}
        for start in range(0, count_per_type, BATCH):
            plan = []
            for index in range(start, min(count_per_type, start + BATCH)):
                institution = institutions[index % len(institutions)]
                year = YEARS[index % len(YEARS)]
                key = (institution.code, year)
                sequences[key] = sequences.get(key, 0) + 1
                plan.append((index, institution, year, sequences[key]))
            stages = STAGES[case_type]
            cases = Case.objects.bulk_create(
                [
                    Case(
                        institution=institution,
                        case_type=case_type,
                        year=year,
                        sequence=sequence,
                        number=case_number_format(
                            institution_code=institution.code, case_type=case_type, year=year, sequence=sequence
                        )
                        + "-B",
                        title=f"bench {index}",
                        filed_by=filers[institution.code],
                        stage=stages[index % 3],
                        next_due=datetime.date(year, 6, 1) + datetime.timedelta(days=index % 400),
                    )
                    for index, institution, year, sequence in plan
                ]
            )
            spells = []
            decisions = []
            for (index, institution, year, _sequence), case in zip(plan, cases, strict=True):
                entered = datetime.date(year, 1, 2) + datetime.timedelta(days=index % 200)
                first = entered + datetime.timedelta(days=3 + index % 17)
                second = first + datetime.timedelta(days=5 + index % 29)
                spells += [
                    CaseStageSpell(
                        case=case, stage=stages[0], entered_on=entered, left_on=first, working_days=2 + index % 12
                    ),
                    CaseStageSpell(
                        case=case, stage=stages[1], entered_on=first, left_on=second, working_days=3 + index % 20
                    ),
                    CaseStageSpell(case=case, stage=stages[index % 3], entered_on=second),
                ]
                if index % 3 == 2:
                    digest = hashlib.sha256(case.number.encode()).hexdigest()
                    decisions.append(
                        Decision(
                            case=case,
                            institution=institution,
                            kind=DECISION_KINDS[case_type],
                            outcome=stages[3],
                            year=year,
                            sequence=case.pk,
                            document_number=f"B-{case.pk}",
                            verification_code=digest[:12],
                            issue_date=second,
                            appeal_deadline=second,
                            sha256=digest,
                            size=1,
                            page_count=1,
                            signer_fingerprint="bench",
                            signer_subject="bench",
                            signed_at=now,
                            signature_level="B-B",
                            issued_by=filers[institution.code],
                            issued_at=now,
                        )
                    )
            CaseStageSpell.objects.bulk_create(spells, batch_size=BATCH)
            Decision.objects.bulk_create(decisions, batch_size=BATCH)
            if case_type == CaseType.RECTIFICATION:
                _rectification_rows(plan, cases, fixtures)
            elif case_type == CaseType.PAY_AFTER_USE:
                _licensing_rows(plan, cases, fixtures)


def _rectification_rows(plan, cases, fixtures):
    items = []
    for (index, institution, year, _s), case in zip(plan, cases, strict=True):
        gaps = fixtures[institution.code][0]
        for offset in range(2):
            items.append(
                RectificationItem(
                    case=case,
                    gap=gaps[(index + offset) % len(gaps)],
                    order=offset,
                    finding="bench",
                    severity="general",
                    remedy="bench",
                    evidence_required="bench",
                    deadline=20,
                    deadline_unit="wd",
                    verifier="hr",
                    due_on=datetime.date(year, 9, 1) + datetime.timedelta(days=index % 300),
                    status=("open", "passed", "failed", "submitted")[(index + offset) % 4],
                )
            )
    RectificationItem.objects.bulk_create(items, batch_size=BATCH)


def _licensing_rows(plan, cases, fixtures):
    details, grants, dues = [], [], []
    for (index, institution, year, _s), case in zip(plan, cases, strict=True):
        _gaps, policy, result = fixtures[institution.code]
        start = datetime.date(year, 1, 1) + datetime.timedelta(days=index % 360)
        details.append(
            LicensingDetails(
                case=case,
                policy_version=policy,
                intended_use="bench",
                licence_type=("ordinary", "sole", "exclusive")[index % 3],
                start_on=start,
                end_on=start + datetime.timedelta(days=1500),
                free_use_months=12,
                trigger_mode="any_of",
                payment_mode="lump",
                fee_total=Decimal(10000 + index % 5000),
            )
        )
        grants.append(
            LicenceGrant(
                institution=institution,
                result=result,
                case=case,
                licence_type="ordinary",
                start_on=start,
                end_on=start + datetime.timedelta(days=1500),
            )
        )
        dues.append(
            PaymentDue(
                case=case,
                sequence=1,
                basis="bench",
                amount=Decimal(5000 + index % 3000),
                due_on=start + datetime.timedelta(days=365),
            )
        )
    LicensingDetails.objects.bulk_create(details, batch_size=BATCH)
    LicenceGrant.objects.bulk_create(grants, batch_size=BATCH)
    dues = PaymentDue.objects.bulk_create(dues, batch_size=BATCH)
    user = cases[0].filed_by
    Receipt.objects.bulk_create(
        [
            Receipt(due=due, amount=due.amount, received_on=due.due_on, voucher_number="B", recorded_by=user)
            for number, due in enumerate(dues)
            if number % 2 == 0
        ],
        batch_size=BATCH,
    )
    TriggerEvent.objects.bulk_create(
        [
            TriggerEvent(case=due.case, kind=TriggerKind.DATE, occurred_on=due.due_on)
            for number, due in enumerate(dues)
            if number % 2 == 0
        ],
        batch_size=BATCH,
    )
