"""Bulk seeding of licensing cases for the list benchmarks: half GUET, half GXNU, alternating between the
two demo companies, half in the free-use period and half paying with one open instalment; and one portal
application per ten cases. Rows only (no flow tasks): the licensing lists read cases, dues and
applications."""

import datetime
from decimal import Decimal

from tolerance.models import Case, CaseType
from workflows.licensing.application_models import LicenceApplication
from workflows.licensing.ledger import PaymentDue
from workflows.licensing.models import LicensingStage

BATCH = 5000


def seed_licensing_cases(*, count, institutions, companies, filer, start=0):
    today = datetime.date.today()
    codes = ["GUET", "GXNU"]
    company_list = list(companies.values())
    for first in range(start, start + count, BATCH):
        rows = range(first, min(first + BATCH, start + count))
        cases = Case.objects.bulk_create(
            [
                Case(
                    institution=institutions[codes[index % 2]],
                    case_type=CaseType.PAY_AFTER_USE,
                    year=2001,
                    sequence=index + 1,
                    number=f"{codes[index % 2]}-XK-2001-{index + 1:06d}",
                    title=f"成果许可（{index}）",
                    filed_by=filer[codes[index % 2]],
                    company=company_list[(index // 2) % 2],
                    stage=LicensingStage.PAYING if index % 4 >= 2 else LicensingStage.FREE_USE,
                )
                for index in rows
            ]
        )
        PaymentDue.objects.bulk_create(
            [
                PaymentDue(
                    case=case,
                    sequence=1,
                    basis="许可费",
                    amount=Decimal("100000.00"),
                    due_on=today + datetime.timedelta(days=index % 300),
                )
                for index, case in zip(rows, cases, strict=True)
                if case.stage == LicensingStage.PAYING
            ]
        )
        LicenceApplication.objects.bulk_create(
            [
                LicenceApplication(
                    institution=case.institution,
                    company=case.company,
                    submitted_by=filer[codes[index % 2]],
                    title=f"许可申请（{index}）",
                    intended_use="bench",
                    licence_type="ordinary",
                    start_on=today,
                    end_on=today + datetime.timedelta(days=365),
                    free_use_months=12,
                    trigger_mode="any_of",
                    payment_mode="lump",
                    fee_total=Decimal("1000.00"),
                )
                for index, case in zip(rows, cases, strict=True)
                if index % 10 == 0
            ]
        )
