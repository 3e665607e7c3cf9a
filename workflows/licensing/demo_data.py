"""The licensing demo's ledger: companies and their contacts, each institution's results, and the type's
policy settings. Idempotent; used by the demo seeding and by the tests as their fixtures."""

import datetime

from django.utils import timezone

from tolerance.models import CaseType, CaseTypePolicy, Company, CompanyContact, CompanySize, DayCount
from workflows.licensing.models import LegalStatus, Maturity, Result
from workflows.licensing.policy import licensing_policies_load

COMPANIES = [
    # (USCC, name, size, region, contact)
    ("91450300MA5K8QXY1P", "桂林漓江智能装备有限公司", CompanySize.SMALL, "450300", "licensee_demo"),
    ("91450300MA5N2TRB4E", "桂林桂北新材料科技有限公司", CompanySize.MICRO, "450300", "licensee_other"),
]

# Publicity of a price is "不少于15日" [教技3号; HUST]: calendar days, 本单位 + 技术交易市场.
CASE_TYPE_POLICY = {
    "GUET": {"document_number_prefix": "桂电许可", "publicity_days": 15, "objection_days": 15},
    "GXNU": {"document_number_prefix": "桂师许可", "publicity_days": 15, "objection_days": 15},
}

RESULTS = {
    # number, title, maturity, extra
    "GUET": [
        ("ZL202110356789.4", "一种雷达信号处理方法", Maturity.PILOT, {}),
        ("ZL202210123456.1", "北斗高精度定位模组", Maturity.INDUSTRIAL, {}),
        ("ZL202010987654.3", "石墨烯柔性压力传感器", Maturity.PILOT_SMALL, {"co_owners": "桂林理工大学"}),
        (
            "ZL201910555555.5",
            "工业视觉表面缺陷检测方法",
            Maturity.PILOT,
            {"open_licence_declared_on": datetime.date(2025, 6, 1)},
        ),
        ("ZL202310777777.7", "配电网状态监测装置", Maturity.PILOT, {}),
        ("ZL202410888888.8", "无人机锂电池管理系统", Maturity.PILOT, {}),
    ],
    "GXNU": [
        ("ZL202110246810.2", "罗汉果甜苷高效提取工艺", Maturity.PILOT, {}),
        ("ZL202210135791.3", "桂花精油微胶囊制备方法", Maturity.PILOT_SMALL, {}),
        ("ZL202310112233.4", "荔浦芋头保鲜包装方法", Maturity.PILOT, {}),
        ("ZL202010998877.6", "漓江水质快速检测试剂盒", Maturity.PILOT, {}),
    ],
}


def seed_companies(users) -> dict[str, Company]:
    companies = {}
    for uscc, name, size, region, contact in COMPANIES:
        company, _created = Company.objects.get_or_create(
            uscc=uscc, defaults={"name": name, "size_class": size, "region_code": region}
        )
        CompanyContact.objects.get_or_create(user=users[contact], defaults={"company": company})
        companies[contact] = company
    return companies


def seed_policies(institutions) -> None:
    for code, settings in CASE_TYPE_POLICY.items():
        CaseTypePolicy.objects.get_or_create(
            institution=institutions[code],
            case_type=CaseType.PAY_AFTER_USE,
            defaults={**settings, "publicity_day_count": DayCount.CALENDAR},
        )
        licensing_policies_load(institutions[code])


def seed_results(institutions) -> dict[str, Result]:
    results = {}
    today = timezone.localdate()
    for code, rows in RESULTS.items():
        for number, title, maturity, extra in rows:
            results[number], _created = Result.objects.get_or_create(
                institution=institutions[code],
                number=number,
                defaults={
                    "title": title,
                    "maturity": maturity,
                    "legal_status": LegalStatus.VALID,
                    "expires_on": today + datetime.timedelta(days=15 * 365),
                    "annuity_paid_until": today + datetime.timedelta(days=365),
                    **extra,
                },
            )
    return results
