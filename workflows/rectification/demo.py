"""Demo rectification cases of GUET and GXNU in every stage and outcome, and register entries near expiry
and one overstay, all created through the real flow (workflows.driver) and services.

Deadlines run from today, so the demo moves items through their states by the same services the pages
call; the overstay is the register's own sweep run on the day after the entry ended.
Idempotent: a demo case that already exists (recognised by title) is not made again.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from tolerance.models import Case, CaseType, CaseTypePolicy
from tolerance.selectors.departments import department_contacts
from workflows.driver import flow_start, task_complete
from workflows.rectification import (
    commitment,
    intake,
    items,
    notices,
    register_services,
    results,
    services,
    statement,
    sweeps,
)
from workflows.rectification.flow import RectificationFlow
from workflows.rectification.models import ItemStatus, Origin
from workflows.rectification.policy import catalogue_load_all
from workflows.rectification.register import RegisterKind
from workflows.steps import appeal, committee
from workflows.steps.department_opinions import opinion_give
from workflows.steps.selectors import appeal_waiting_task

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DEMO_POLICY = {"GUET": {"document_number_prefix": "桂电整改"}, "GXNU": {"document_number_prefix": "广师整改"}}
STAFF = {
    "GUET": {
        "officer": "officer_guet",
        "reviewer": "reviewer_guet",
        "chair": "chair_guet",
        "committee": ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"],
        "subject": "researcher_zhang",
    },
    "GXNU": {
        "officer": "officer_gxnu",
        "reviewer": "reviewer_gxnu",
        "chair": "chair_gxnu",
        "committee": ["chair_gxnu", "member1_gxnu", "member2_gxnu"],
        "subject": "researcher_gxnu",
    },
}
# Made-up companies: the first 17 characters of their unified social credit codes (the check character is computed).
COMPANIES = [
    ("桂林漓江微电子科技有限公司", "91450300MA5K8R3X0"),
    ("桂林七星智能传感有限公司", "91450300MA5KAB2C1"),
    ("广西山水新材料科技有限公司", "91450300MA5L3Q7W2"),
]
GUET_CASES = [
    # (title, gap codes, how far it goes)
    ("张三在职创办微电子公司未经审批", ["G01"], "acceptance"),
    ("张三持股未报备", ["G02"], "verification"),
    ("张三兼任企业董事未报备", ["G02"], "gap_confirmation"),
    ("张三兼职取酬未报备", ["G03", "G02"], "committee"),
    ("张三利用职务成果未履行转化程序", ["G04", "G09"], "rectifying"),
    ("张三离岗期满补办延期整改合格", ["G07"], "passed"),
    ("张三无偿使用实验室资源整改不合格", ["G09"], "failed"),
    ("张三申报隐瞒代持股权", ["G02"], "false_declaration"),
    ("张三与学校关联交易申请复核", ["G10"], "appeal"),
    ("张三兼任企业监事待陈述确认", ["G02"], "statement"),
    ("张三对违规取酬认定提出陈述申辩", ["G03"], "statement_answer"),
    ("张三签署整改承诺书整改中", ["G01"], "committed"),
    ("张三跨单位兼职不属于整改范围", [], "not_accepted"),
    ("张三担任企业顾问待补正材料", [], "supplement"),
    ("张三持股纪检在查中止办理", [], "suspended"),
    ("张三违规取酬依纪检结果终结", [], "terminated"),
]
GXNU_CASES = [
    ("韦五兼职未审批", ["G01"], "verification"),
    ("韦五在职创办企业整改中", ["G01", "G03"], "rectifying"),
    ("韦五未报备持股整改合格", ["G02"], "passed"),
    ("韦五收入未报备整改不合格", ["G03"], "failed"),
    ("韦五兼职申报待补正材料", [], "supplement"),
]


def uscc_valid(stem: str) -> str:
    """Complete a 17-character stem with its check character."""
    return stem + uscc.calc_check_digit(stem)


def _pdf(name):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def seed_case_type_policies(institutions) -> None:
    for code, settings in DEMO_POLICY.items():
        CaseTypePolicy.objects.get_or_create(
            institution=institutions[code], case_type=CaseType.RECTIFICATION, defaults=settings
        )


def file_case(institution, users, staff, title, index):
    officer = users[staff["officer"]]
    name, stem = COMPANIES[index % len(COMPANIES)]
    declaration = services.Declaration(
        title=title,
        activity_kind=["own_venture", "shareholding", "part_time"][index % 3],
        company_name=name,
        company_uscc=uscc_valid(stem),
        role="股东、监事",
        equity_percent=Decimal("15.00"),
        started_on=datetime.date(2022, 3, 1),
        ended_on=None,
        account="2022年起在该公司持股并担任监事，未办理兼职审批，未申报收入。",
        lead_source="annual_check",
        declared_on=timezone.localdate(),
    )
    return flow_start(
        RectificationFlow,
        officer,
        lambda process: services.rectification_file(
            process=process,
            institution=institution,
            filed_by=officer,
            subject=users[staff["subject"]],
            declaration=declaration,
            origin=Origin.OFFICER_FILED,
            files=[_pdf("自查申报表.pdf")],
        ),
    )


def _committee(case, users, staff, outcome):
    chair = users[staff["chair"]]
    task_complete(case, "open_review", chair, lambda: committee.review_open(case=case, opened_by=chair, agenda="审议"))
    for username in staff["committee"]:
        member = users[username]
        committee.conflict_declare(case=case, member=member, conflicted=False, note="")
        committee.vote_cast(case=case, member=member, outcome=outcome, reason="事实清楚，方案可行。")
    task_complete(
        case,
        "record_resolution",
        chair,
        lambda: committee.resolution_record(case=case, recorded_by=chair, outcome=outcome, text="经表决形成决议。"),
    )


def _to_plan(case, users, staff, codes, *, false_declaration=False, confirm=True, statement_stop=""):
    officer, reviewer = users[staff["officer"]], users[staff["reviewer"]]
    task_complete(
        case,
        "check_acceptance",
        reviewer,
        lambda: services.acceptance_record(case=case, reviewed_by=reviewer, result="accepted", reason=""),
    )
    for request in case.department_requests.all():
        contact = department_contacts(case.institution, request.department).first()
        opinion_give(request=request, given_by=contact, opinion="agree", text="经核对人事、财务档案，情况属实。")
    task_complete(
        case,
        "verify",
        officer,
        lambda: services.verification_record(
            case=case,
            recorded_by=officer,
            facts_verified="经工商登记、人事档案及财务记录核对，申报事实属实。",
            discrepancies="申报未列明代持股份。" if false_declaration else "",
            false_declaration=false_declaration,
        ),
    )
    catalogue = case.rectification.catalogue
    gaps = {item.code: item for item in catalogue.items.all()}
    rows = [
        {
            "code": code,
            "finding": f"经核查存在“{gaps[code].title}”情形。",
            "severity": gaps[code].default_severity,
            "remedy": gaps[code].remedy,
            "deadline": gaps[code].deadline,
            "verifier": gaps[code].verifier,
        }
        for code in codes
    ]
    negatives = [catalogue.setting("false_declaration_negative")] if false_declaration else []
    task_complete(
        case,
        "classify",
        officer,
        lambda: services.gaps_classify(case=case, recorded_by=officer, rows=rows, negative_codes=negatives),
    )
    if not confirm:
        return
    task_complete(
        case,
        "confirm_gaps",
        reviewer,
        lambda: services.gaps_confirm(case=case, confirmed_by=reviewer, confirmed=True, reason=""),
    )
    if statement_stop == "statement":
        return
    subject = users[staff["subject"]]
    if statement_stop == "statement_answer":
        statement.statement_submit(
            case=case, stated_by=subject, confirmed=False, text="G03所涉收入已于2023年经学院书面同意，不属于违规取酬。"
        )
        return
    statement.statement_submit(case=case, stated_by=subject, confirmed=True, text="")


def _rectify(case, users, staff, *, passed: bool):
    officer = users[staff["officer"]]
    task_complete(case, "issue_notice", officer, lambda: items.notice_issue(case=case, issued_by=officer))
    subject = users[staff["subject"]]
    # A failing item is returned until the returns allowed are used up.
    rounds = 1 if passed else case.rectification.catalogue.setting("max_returns_per_item") + 1
    commitment.commitment_sign(case=case, signed_by=subject)
    for item in case.rectification_items.all():
        for _round in range(rounds):
            items.evidence_submit(
                item=item, submitted_by=subject, note="已完成整改并提交证明材料。", files=[_pdf("整改材料.pdf")]
            )
            _review(case, item, accepted=passed)


def _review(case, item, *, accepted: bool):
    """Each verifying department in turn (the gap's default others too); a return ends the round."""
    for department in item.departments:
        item.refresh_from_db()
        verifier = notices.verifiers_of(case, department)[0]
        if item.status != ItemStatus.SUBMITTED or not items.item_may_verify(verifier, item):
            continue
        items.item_review(
            item=item, reviewed_by=verifier, accepted=accepted, note="" if accepted else "材料不符合要求。"
        )


def _issue(case, users, staff):
    officer = users[staff["officer"]]
    task_complete(
        case,
        "issue_decision",
        officer,
        lambda: results.rectification_decision_issue(
            case=case, issued_by=officer, facts="经查明……", reasoning="综上所述……"
        ),
    )


def drive(case, users, staff, codes, stop):
    if stop == "acceptance":
        return
    if stop == "not_accepted":
        reviewer = users[staff["reviewer"]]
        task_complete(
            case,
            "check_acceptance",
            reviewer,
            lambda: services.acceptance_record(
                case=case, reviewed_by=reviewer, result="not_accepted", reason="所涉活动不属于创业行为。"
            ),
        )
        return
    if stop == "supplement":
        reviewer = users[staff["reviewer"]]
        task_complete(
            case,
            "check_acceptance",
            reviewer,
            lambda: services.acceptance_record(
                case=case, reviewed_by=reviewer, result="supplement", reason="请补充工商登记信息和兼职审批材料。"
            ),
        )
        return
    if stop in ("suspended", "terminated"):
        officer = users[staff["officer"]]
        intake.case_suspend(case=case, suspended_by=officer, reason="纪委办正在调查同一事实。")
        if stop == "terminated":
            intake.case_terminate(case=case, closed_by=officer, result="纪委办已作出处理，本案终结。")
        return
    if stop == "verification":
        reviewer = users[staff["reviewer"]]
        task_complete(
            case,
            "check_acceptance",
            reviewer,
            lambda: services.acceptance_record(case=case, reviewed_by=reviewer, result="accepted", reason=""),
        )
        return
    _to_plan(
        case,
        users,
        staff,
        codes,
        false_declaration=stop == "false_declaration",
        confirm=stop != "gap_confirmation",
        statement_stop=stop,
    )
    if stop in ("gap_confirmation", "statement", "statement_answer"):
        return
    if stop == "committee":
        chair = users[staff["chair"]]
        task_complete(
            case, "open_review", chair, lambda: committee.review_open(case=case, opened_by=chair, agenda="审议整改方案")
        )
        return
    if stop == "false_declaration":
        _committee(case, users, staff, "failed")
        _issue(case, users, staff)
        return
    _committee(case, users, staff, "plan_approved")
    if stop in ("rectifying", "committed"):
        officer = users[staff["officer"]]
        task_complete(case, "issue_notice", officer, lambda: items.notice_issue(case=case, issued_by=officer))
        if stop == "committed":
            commitment.commitment_sign(case=case, signed_by=users[staff["subject"]])
        return
    _rectify(case, users, staff, passed=stop != "failed")
    _committee(case, users, staff, "failed" if stop == "failed" else "passed")
    _issue(case, users, staff)
    if stop == "failed":
        # The discipline office has acknowledged its referral; the other body's is still awaited.
        referral = case.referrals.filter(to_department="discipline").first()
        contact = department_contacts(case.institution, "discipline").first()
        if referral is not None and contact is not None:
            results.referral_receipt(referral=referral, user=contact, note="已收悉，按规定处理。")
    if stop == "appeal":
        subject = users[staff["subject"]]
        appeal.appeal_lodge(
            case=case,
            lodged_by=subject,
            reasons="关联交易已按市场价格重新审批，请求复核。",
            files=[],
            waiting_task=appeal_waiting_task(case),
        )


def _register(institutions, users):
    today = timezone.localdate()
    officer = users["officer_guet"]
    entries = []
    for index, (days_left, kind) in enumerate(
        [(80, RegisterKind.LEAVE), (25, RegisterKind.PART_TIME), (5, RegisterKind.OWN_VENTURE)]
    ):
        end = today + datetime.timedelta(days=days_left)
        name, stem = COMPANIES[index]
        entries.append(
            register_services.register_entry_add(
                recorded_by=officer,
                person=users["researcher_li" if index % 2 else "researcher_zhang"],
                kind=kind,
                company_name=name,
                company_uscc=uscc_valid(stem),
                project="高频微波器件产业化项目",
                approval_document=f"桂电人〔{end.year - 3}〕{10 + index}号",
                approved_on=end.replace(year=end.year - 3) - datetime.timedelta(days=10),
                start_on=end.replace(year=end.year - 3),
                end_on=end,
            )
        )
    # An entry that ended yesterday: the sweep finds the overstay and opens a G07 case.
    end = today - datetime.timedelta(days=1)
    name, stem = COMPANIES[2]
    register_services.register_entry_add(
        recorded_by=officer,
        person=users["researcher_li"],
        kind=RegisterKind.LEAVE,
        company_name=name,
        company_uscc=uscc_valid(stem),
        project="柔性电子材料中试",
        approval_document=f"桂电人〔{end.year - 3}〕8号",
        approved_on=end.replace(year=end.year - 3) - datetime.timedelta(days=10),
        start_on=end.replace(year=end.year - 3),
        end_on=end,
    )
    sweeps.register_expiry_sweep(timezone.now())
    return entries


def seed_cases(*, institutions, users):
    seed_case_type_policies(institutions)
    for code in ("GUET", "GXNU"):
        catalogue_load_all(institutions[code])
    titles = [title for title, *_rest in GUET_CASES + GXNU_CASES]
    # A demo seeded before a case was added to the plan gets only the new cases.
    existing = set(
        Case.objects.filter(case_type=CaseType.RECTIFICATION, title__in=titles).values_list("title", flat=True)
    )
    if len(existing) == len(titles):
        return []
    cases = []
    with transaction.atomic():
        for code, plan in (("GUET", GUET_CASES), ("GXNU", GXNU_CASES)):
            staff = STAFF[code]
            for index, (title, codes, stop) in enumerate(plan):
                if title in existing:
                    continue
                case = file_case(institutions[code], users, staff, title, index)
                drive(case, users, staff, codes, stop)
                cases.append(case)
        if not existing:
            _register(institutions, users)
    return cases
