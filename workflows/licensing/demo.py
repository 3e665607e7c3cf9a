"""Demo licences at GUET and GXNU in every stage, for licensee_demo's company and another, created by
driving the real flow (workflows.driver) and the services the pages call. Idempotent by title.

Stages after the contract (paying, in breach) need time to have passed: those licences are moved into
the past right after signing (their dates only), as the tests do, so the reports, triggers and overdue
ladder then run on today's date through the same services."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tolerance.models import Case, CaseType
from workflows.driver import flow_start, task_complete, timer_fire
from workflows.licensing import applications, closure, demo_data, payments, services
from workflows.licensing.application_models import LicenceApplication
from workflows.licensing.flow import LicensingFlow
from workflows.licensing.ladder import overdue_ladder_run
from workflows.licensing.models import LicensingOutcome, ReviewResult
from workflows.steps import committee, issuing

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PEOPLE = {
    "GUET": {
        "officer": "officer_guet",
        "reviewer": "reviewer_guet",
        "chair": "chair_guet",
        "finance": "finance_guet",
        "members": ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"],
        "inventor": "researcher_zhang",
    },
    "GXNU": {
        "officer": "officer_gxnu",
        "reviewer": "reviewer_gxnu",
        "chair": "chair_gxnu",
        "finance": "finance_gxnu",
        "members": ["chair_gxnu", "member1_gxnu", "member2_gxnu"],
        "inventor": "researcher_gxnu",
    },
}
CASES = [
    # (institution, title, result, company contact, licence type, where it stops)
    ("GUET", "北斗定位模组普通许可申请", "ZL202210123456.1", "licensee_demo", "ordinary", "review"),
    ("GUET", "雷达信号处理方法独占许可", "ZL202110356789.4", "licensee_demo", "exclusive", "publicity"),
    (
        "GUET",
        "北斗定位模组排他许可（冲突已处理）",
        "ZL202210123456.1",
        "licensee_other",
        "sole",
        "conflict_resolved",
    ),
    ("GUET", "配电网状态监测装置先使用后付费许可", "ZL202310777777.7", "licensee_other", "ordinary", "free_use"),
    ("GUET", "无人机锂电池管理系统许可（付费中）", "ZL202410888888.8", "licensee_demo", "ordinary", "paying"),
    ("GUET", "表面缺陷检测方法许可（违约）", "ZL201910555555.5", "licensee_other", "ordinary", "breach"),
    ("GUET", "柔性压力传感器许可（已转为有偿许可）", "ZL202010987654.3", "licensee_demo", "ordinary", "converted"),
    ("GXNU", "罗汉果甜苷提取工艺许可申请", "ZL202110246810.2", "licensee_other", "ordinary", "review"),
    ("GXNU", "桂花精油微胶囊许可（免费使用期）", "ZL202210135791.3", "licensee_demo", "ordinary", "free_use"),
    ("GXNU", "荔浦芋头保鲜包装许可（已退出）", "ZL202310112233.4", "licensee_demo", "ordinary", "exited"),
    ("GXNU", "水质快速检测试剂盒许可（付费中）", "ZL202010998877.6", "licensee_other", "ordinary", "paying"),
]


def _request(title, result, company, licence_type, inventor):
    today = timezone.localdate()
    return services.LicenceRequest(
        title=title,
        company=company,
        results=[result],
        inventors=[inventor],
        intended_use="用于企业新产品研发与小批量试产。",
        licence_type=licence_type,
        fields_of_use=["*"],
        territories=["450000"],
        start_on=today,
        end_on=today + datetime.timedelta(days=5 * 365),
        free_use_months=12,
        trigger_mode="any_of",
        trigger_date=today + datetime.timedelta(days=365),
        trigger_milestone="首批量产",
        trigger_revenue=None,
        payment_mode="staged",
        fee_total=Decimal("240000.00"),
        instalments=2,
        valuation_reference="" if licence_type == "ordinary" else "中联评报字〔2026〕第118号",
    )


def _committee(case, users, people):
    chair = users[people["chair"]]
    task_complete(
        case, "open_review", chair, lambda: committee.review_open(case=case, opened_by=chair, agenda="审议许可")
    )
    for username in people["members"]:
        committee.conflict_declare(case=case, member=users[username], conflicted=False, note="")
        committee.vote_cast(case=case, member=users[username], outcome=LicensingOutcome.GRANTED, reason="条款合规。")
    task_complete(
        case,
        "record_resolution",
        chair,
        lambda: committee.resolution_record(
            case=case, recorded_by=chair, outcome=LicensingOutcome.GRANTED, text="经表决，同意许可。"
        ),
    )


def _review(case, users, people, reason=""):
    reviewer = users[people["reviewer"]]
    task_complete(
        case,
        "review",
        reviewer,
        lambda: services.licensing_review_record(
            case=case,
            reviewed_by=reviewer,
            result=ReviewResult.ACCEPTED,
            ownership_clear=True,
            inventors_consent=True,
            proceed_reason=reason,
            consent_file=SimpleUploadedFile("共有人同意书.pdf", DEMO_PDF, content_type="application/pdf")
            if case.licensing.results.exclude(co_owners="").exists()
            else None,
        ),
    )


def _grant(case, users, people):
    officer = users[people["officer"]]
    _committee(case, users, people)
    timer_fire(case, "publicity_period")
    task_complete(
        case,
        "issue_decision",
        officer,
        lambda: issuing.case_decision_issue(
            case=case, issued_by=officer, facts="经审查，申请事项属实。", reasoning="符合先使用后付费许可政策。"
        ),
    )
    task_complete(
        case,
        "record_contract",
        officer,
        lambda: services.contract_record(
            case=case,
            recorded_by=officer,
            contract_number=f"{case.number}-HT",
            effective_on=timezone.localdate(),
            contract_file=SimpleUploadedFile("许可合同.pdf", DEMO_PDF, content_type="application/pdf"),
        ),
    )


def _backdate(case, days):
    details = case.licensing
    shift = datetime.timedelta(days=days)
    details.start_on -= shift
    details.contract_effective_on -= shift
    details.free_use_ends_on -= shift
    details.save()


def _trigger(case, users, people, reached_days_ago):
    _backdate(case, 400)
    contact = case.company.contacts.first().user
    report = payments.report_submit(
        case=case,
        submitted_by=contact,
        period_start=case.licensing.contract_effective_on,
        period_end=timezone.localdate() - datetime.timedelta(days=reached_days_ago),
        units=120,
        net_sales=Decimal("356000.00"),
        milestone="首批量产",
        note="首批产品已量产。",
        evidence=SimpleUploadedFile("量产证明.pdf", DEMO_PDF, content_type="application/pdf"),
    )
    payments.report_accept(case=case, report=report, accepted_by=users[people["officer"]])


def _drive(case, users, people, stop):
    case.refresh_from_db()
    if stop == "review":
        return
    _review(
        case,
        users,
        people,
        reason="另一申请尚在审查，经双方协商划分实施地域后继续办理。" if stop == "conflict_resolved" else "",
    )
    if stop in ("publicity", "conflict_resolved"):
        if stop == "publicity":
            _committee(case, users, people)
        return
    _grant(case, users, people)
    case.refresh_from_db()
    if stop == "free_use":
        return
    if stop == "exited":
        today = timezone.localdate()
        closure.licence_exit(
            case=case,
            by=case.company.contacts.first().user,
            notified_on=today,
            effective_on=today + datetime.timedelta(days=30),
            reason="市场变化，决定不再实施。",
        )
        return
    if stop == "converted":
        closure.licence_convert(
            case=case,
            by=users[people["officer"]],
            converted_to=f"{case.number}-PT 普通许可合同",
            reason="企业选择一次性支付许可费。",
        )
        return
    _trigger(case, users, people, reached_days_ago=100 if stop == "breach" else 20)
    case.refresh_from_db()
    first = case.payment_dues.order_by("sequence").first()
    if stop == "paying":
        if first.due_on <= timezone.localdate():
            payments.receipt_record(
                due=first,
                recorded_by=users[people["finance"]],
                amount=first.amount,
                received_on=timezone.localdate(),
                voucher_number=f"财收-{case.pk}",
            )
        return
    # In breach: the first instalment fell due 70 days ago and was never paid.
    for days_ago in (60, 55, 40):
        overdue_ladder_run(timezone.now() - datetime.timedelta(days=days_ago))


WAITING_APPLICATION = "配电网状态监测装置普通许可申请（企业门户）"


def seed_application(*, users, results):
    """An application licensee_demo filed through the portal, waiting for GUET's office. Idempotent."""
    if LicenceApplication.objects.filter(title=WAITING_APPLICATION).exists():
        return None
    today = timezone.localdate()
    return applications.application_submit(
        submitted_by=users["licensee_demo"],
        title=WAITING_APPLICATION,
        results=[results["ZL202310777777.7"]],
        terms={
            "intended_use": "用于配电网在线监测终端的研发与试产。",
            "licence_type": "ordinary",
            "fields_of_use": ["G01R"],
            "territories": ["450300"],
            "start_on": today,
            "end_on": today + datetime.timedelta(days=3 * 365),
            "free_use_months": 12,
            "trigger_mode": "any_of",
            "trigger_date": today + datetime.timedelta(days=365),
            "trigger_milestone": "首笔销售",
            "trigger_revenue": None,
            "payment_mode": "lump",
            "fee_total": Decimal("120000.00"),
            "instalments": 1,
            "royalty_percent": None,
            "valuation_reference": "",
        },
        documents=[SimpleUploadedFile("营业执照.pdf", DEMO_PDF, content_type="application/pdf")],
    )


def seed_cases(*, institutions, users):
    demo_data.seed_policies(institutions)
    companies = demo_data.seed_companies(users)
    results = demo_data.seed_results(institutions)
    seed_application(users=users, results=results)
    titles = [row[1] for row in CASES]
    if Case.objects.filter(case_type=CaseType.PAY_AFTER_USE, title__in=titles).exists():
        return []
    cases = []
    with transaction.atomic():
        for code, title, number, contact, licence_type, stop in CASES:
            people = PEOPLE[code]
            officer = users[people["officer"]]
            request = _request(title, results[number], companies[contact], licence_type, users[people["inventor"]])
            case = flow_start(
                LicensingFlow,
                officer,
                lambda process, request=request, officer=officer, code=code: services.licensing_file(
                    process=process, institution=institutions[code], filed_by=officer, request=request
                ),
            )
            _drive(case, users, people, stop)
            cases.append(case)
    return cases
