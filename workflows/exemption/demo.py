"""Demo cases in every stage, created by driving the real flow: the same start node, task activations
and services the pages use, with the same eligibility checks (four-eyes included).

Publicity periods are working days long; so that decided cases exist on a fresh demo, the publicity
timer of those cases is fired at once, as `workflow_timers` would fire it when the period is over.
Idempotent: nothing is done if the demo cases already exist (they are recognised by title).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tolerance.models import Case, CaseType, CaseTypePolicy
from tolerance.services.cases import SubjectSpec
from workflows.driver import flow_start, task_complete, timer_fire
from workflows.exemption import services as exemption
from workflows.exemption.flow import ExemptionFlow
from workflows.exemption.models import ExemptionOutcome, IntakeResult
from workflows.exemption.policy import POLICY_DIR, policy_load, policy_version_current
from workflows.exemption.tolerance_list import PolicyItemKind
from workflows.steps import appeal, committee, issuing, publicity
from workflows.steps.selectors import appeal_waiting_task

# A minimal well-formed PDF: the evidence files of the demo.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
COMMITTEE = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]

CASES = [
    # (title, result, what it stops at, findings)
    ("北斗定位模组专利转让尾款无法收回", "一种北斗高精度定位模组", "waiting_for_check", {}),
    ("智能电网监测软件著作权许可失败", "配电网状态监测软件 V2.0", "supplement", {}),
    ("毫米波雷达芯片作价入股企业破产", "77GHz 毫米波雷达收发芯片", "investigation", {}),
    ("工业视觉检测算法许可收益锐减", "基于深度学习的表面缺陷检测方法", "committee", {}),
    ("桂林米粉自动化生产线技术转让受挫", "米粉自动化蒸煮成型工艺", "publicity_objection", {}),
    ("柔性传感器中试放大未达指标", "石墨烯柔性压力传感器", ExemptionOutcome.EXEMPT, {}),
    (
        "无人机电池管理技术许可方违约",
        "无人机锂电池管理系统",
        ExemptionOutcome.REDUCED,
        {"failing": ["C3"], "mitigating": ["M1", "M3"]},
    ),
    ("光纤传感专利协议定价偏低", "分布式光纤温度传感方法", ExemptionOutcome.NOT_EXEMPT, {"negatives": ["N8"]}),
    ("罗汉果提取物技术转让失败申请复核", "罗汉果甜苷高效提取工艺", "appeal", {"failing": ["C5"]}),
]


def _pdf(name):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _file(institution, users, title, result_title, index):
    officer = users["officer_guet"]
    entries = list(policy_version_current(institution).items.filter(kind=PolicyItemKind.ENTRY).order_by("order"))
    return flow_start(
        ExemptionFlow,
        officer,
        lambda process: exemption.exemption_file(
            process=process,
            institution=institution,
            filed_by=officer,
            conversion=exemption.ConversionData(
                title=title,
                result_title=result_title,
                route=["transfer", "licence", "equity"][index % 3],
                counterparty="桂林漓江智能装备有限公司",
                contract_number=f"GUET-ZH-2025-{index + 1:03d}",
                contract_amount=Decimal(500000 + 100000 * index),
                contract_signed_on=datetime.date(2025, 4, 15),
                failed_on=datetime.date(2026, 5, 20),
                failure_description="合作企业因下游需求骤降停止产业化投入，约定收益未能实现。",
                loss_amount=Decimal(120000 + 20000 * index),
                cited_entries=[entries[index % len(entries)], entries[18]],
            ),
            subjects=[
                SubjectSpec(user=users["researcher_zhang"], role_in_case="项目负责人"),
                SubjectSpec(user=users["researcher_li"], role_in_case="主要完成人"),
            ],
            evidence={
                "minutes": [_pdf("集体决策会议纪要.pdf")],
                "publicity": [_pdf("定价公示记录.pdf")],
                "cause": [_pdf("失败原因说明.pdf")],
            },
        ),
    )


def _findings(case, failing=(), negatives=(), mitigating=()):
    evidence = list(case.attachments.all()[:1])
    rows = []
    for item in case.exemption.policy_version.items.exclude(kind=PolicyItemKind.ENTRY):
        holds = {
            PolicyItemKind.CONDITION: item.code not in failing,
            PolicyItemKind.NEGATIVE: item.code in negatives,
            PolicyItemKind.MITIGATING: item.code in mitigating,
        }[item.kind]
        rows.append(
            {
                "item": item,
                "holds": holds,
                "note": f"经核查，{item.title}{'属实' if holds else '不成立'}。",
                "evidence": evidence,
            }
        )
    return rows


def _vote_round(case, users, outcome):
    for username in COMMITTEE:
        committee.conflict_declare(case=case, member=users[username], conflicted=False, note="")
        committee.vote_cast(
            case=case,
            member=users[username],
            outcome=outcome,
            reason="事实清楚，程序完备。",
        )


def _committee(case, users, outcome, *, resolve=True):
    chair = users["chair_guet"]
    task_complete(
        case,
        "open_review",
        chair,
        lambda: committee.review_open(case=case, opened_by=chair, agenda="审议容错免责认定"),
    )
    if not resolve:
        for username in COMMITTEE[:2]:
            committee.conflict_declare(case=case, member=users[username], conflicted=False, note="")
        return
    _vote_round(case, users, outcome)
    task_complete(
        case,
        "record_resolution",
        chair,
        lambda: committee.resolution_record(
            case=case, recorded_by=chair, outcome=outcome, text="经认定委员会表决，形成决议。"
        ),
    )


def _issue(case, users):
    officer = users["officer_guet"]
    task_complete(
        case,
        "issue_decision",
        officer,
        lambda: issuing.case_decision_issue(
            case=case,
            issued_by=officer,
            facts="经调查核实，转化失败系市场需求骤降所致。",
            reasoning="依据容错清单及认定委员会决议作出本决定。",
        ),
    )


def _drive(case, users, stop, findings):
    reviewer, officer = users["reviewer_guet"], users["officer_guet"]
    if stop == "waiting_for_check":
        return
    if stop == "supplement":
        task_complete(
            case,
            "check_completeness",
            reviewer,
            lambda: exemption.intake_review_record(
                case=case, reviewed_by=reviewer, result=IntakeResult.SUPPLEMENT, reason="请补充资产评估报告。"
            ),
        )
        return
    task_complete(
        case,
        "check_completeness",
        reviewer,
        lambda: exemption.intake_review_record(
            case=case, reviewed_by=reviewer, result=IntakeResult.ACCEPTED, reason=""
        ),
    )
    if stop == "investigation":
        return
    rows = _findings(case, findings.get("failing", ()), findings.get("negatives", ()), findings.get("mitigating", ()))
    task_complete(
        case, "investigate", officer, lambda: exemption.findings_record(case=case, recorded_by=officer, findings=rows)
    )
    proposal = exemption.evaluation_propose(case).proposal
    task_complete(
        case,
        "evaluate",
        reviewer,
        lambda: exemption.evaluation_confirm(case=case, confirmed_by=reviewer, outcome=proposal, override_reason=""),
    )
    if stop == "committee":
        _committee(case, users, proposal, resolve=False)
        return
    _committee(case, users, proposal)
    if stop == "publicity_objection":
        publicity.objection_lodge(
            case=case, text="该成果转让价格明显低于同类成果，建议复查定价程序。", lodged_by=users["member4_guet"]
        )
        return
    timer_fire(case, "publicity_period")
    _issue(case, users)
    if stop == "appeal":
        appeal.appeal_lodge(
            case=case,
            lodged_by=users["researcher_zhang"],
            reasons="转化失败确因新冠疫情后市场突变，属不可预见因素，请求复核。",
            files=[_pdf("市场变化情况说明.pdf")],
            waiting_task=appeal_waiting_task(case),
        )


# The policy numbers of the demo institutions for this case type (the defaults of CaseTypePolicy otherwise).
DEMO_POLICY = {"GUET": {"document_number_prefix": "桂电容认"}, "GXNU": {"document_number_prefix": "广师容认"}}


def seed_case_type_policies(institutions) -> None:
    for code, settings in DEMO_POLICY.items():
        CaseTypePolicy.objects.get_or_create(
            institution=institutions[code], case_type=CaseType.EXEMPTION, defaults=settings
        )


def seed_cases(*, institutions, users):
    seed_case_type_policies(institutions)
    for code in ("GUET", "GXNU"):
        for path in sorted(POLICY_DIR.glob(f"{code}-v*.json")):
            policy_load(institution=institutions[code], path=path)
    guet = institutions["GUET"]
    titles = [title for title, *_rest in CASES]
    if Case.objects.filter(institution=guet, case_type=CaseType.EXEMPTION, title__in=titles).exists():
        return []
    cases = []
    # One transaction: a failure leaves no half-seeded demo that the title check would then skip.
    with transaction.atomic():
        for index, (title, result_title, stop, findings) in enumerate(CASES):
            case = _file(guet, users, title, result_title, index)
            _drive(case, users, stop, findings)
            cases.append(case)
    return cases
