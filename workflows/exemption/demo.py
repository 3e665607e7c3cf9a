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
from workflows.exemption import investigation, results
from workflows.exemption import services as exemption
from workflows.exemption.case_type import EXEMPTION
from workflows.exemption.determinations import case_subjects, investigation_rows
from workflows.exemption.flow import ExemptionFlow
from workflows.exemption.models import ExemptionOutcome, IntakeResult
from workflows.exemption.policy import POLICY_DIR, policy_load, policy_version_current
from workflows.exemption.tolerance_list import PolicyItemKind
from workflows.steps import appeal, committee, publicity
from workflows.steps.selectors import appeal_waiting_task

# A minimal well-formed PDF: the evidence files of the demo.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
COMMITTEE = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]

ZHANG = ("researcher_zhang", "项目负责人", "researcher", "教授")
LI = ("researcher_li", "主要完成人", "researcher", "副教授")
LEADER = ("leader_guet", "分管副校长", "leader", "副校长")
MANAGER = ("manager_guet", "定价审批责任人", "manager", "科学技术处处长")

# Publicity of the negotiated price: 15 days in the unit and on a technology market (C3 met), or on
# campus only (C3 computed as not met for the leaders and managers it applies to).
FULL_PUBLICITY = [
    {"kind": "unit", "name": "", "starts_on": datetime.date(2025, 3, 1), "ends_on": datetime.date(2025, 3, 15)},
    {
        "kind": "market",
        "name": "中国技术交易所",
        "starts_on": datetime.date(2025, 3, 1),
        "ends_on": datetime.date(2025, 3, 15),
    },
]
CAMPUS_ONLY = [FULL_PUBLICITY[0] | {"ends_on": datetime.date(2025, 3, 7)}]

CASES = [
    # (title, result, subjects, what it stops at, findings per username: (failing, negatives, mitigating), publicity)
    ("北斗定位模组专利转让尾款无法收回", "一种北斗高精度定位模组", [ZHANG], "waiting_for_check", {}, FULL_PUBLICITY),
    ("智能电网监测软件著作权许可失败", "配电网状态监测软件 V2.0", [LI], "supplement", {}, FULL_PUBLICITY),
    ("毫米波雷达芯片作价入股企业破产", "77GHz 毫米波雷达收发芯片", [ZHANG, LI], "investigation", {}, FULL_PUBLICITY),
    ("工业视觉检测算法许可收益锐减", "基于深度学习的表面缺陷检测方法", [ZHANG], "committee", {}, FULL_PUBLICITY),
    ("桂林米粉自动化生产线技术转让受挫", "米粉自动化蒸煮成型工艺", [LI], "publicity_objection", {}, FULL_PUBLICITY),
    ("柔性传感器中试放大未达指标", "石墨烯柔性压力传感器", [ZHANG], "decided", {}, FULL_PUBLICITY),
    (
        "无人机电池管理技术许可方违约",
        "无人机锂电池管理系统",
        [ZHANG, LI],
        "decided",
        {None: (["C4"], [], ["M1", "M3"])},
        FULL_PUBLICITY,
    ),
    ("光纤传感专利协议定价偏低", "分布式光纤温度传感方法", [LI], "decided", {None: ([], ["N3"], [])}, FULL_PUBLICITY),
    (
        "罗汉果提取物技术转让失败申请复核",
        "罗汉果甜苷高效提取工艺",
        [ZHANG],
        "appeal",
        {None: (["C4"], [], [])},
        FULL_PUBLICITY,
    ),
    (
        # A leader, a manager and a researcher with three outcomes: the price was publicised on campus only
        # (C3 fails for the leader and the manager, not for the researcher); the manager acted to recover
        # the loss (M1), the leader did not.
        "声表面波滤波器专利协议转让定价失当",
        "一种声表面波滤波器及其制备方法",
        [LEADER, MANAGER, ZHANG],
        "decided",
        # With no emergency, the failed C3 makes N8 apply to the leader who fixed the price; the manager
        # did not decide it, which the investigator records as the reason N8 does not apply to him.
        {"leader_guet": ([], ["N8"], []), "manager_guet": ([], [], ["M1"])},
        CAMPUS_ONLY,
    ),
    (
        # The same three people; the leader appeals their own 不予免责 while the others may still appeal theirs
        # (the appeal window stays open; the review will decide the leader's determination only).
        "声表面波滤波器专利作价入股定价失当申请复核",
        "一种声表面波谐振器封装结构",
        [LEADER, MANAGER, ZHANG],
        "appeal:leader_guet",
        {"leader_guet": ([], ["N8"], []), "manager_guet": ([], [], ["M1"])},
        CAMPUS_ONLY,
    ),
]
# What each demo appellant says against their own determination, and the new evidence they bring.
APPEALS = {
    "researcher_zhang": ("转化失败确因新冠疫情后市场突变，属不可预见因素，请求复核。", "市场变化情况说明.pdf"),
    "leader_guet": (
        "定价系紧急情况下临机决定，事后已向领导小组报告并补办集体决策，请求复核。",
        "事后报告及补办会议纪要.pdf",
    ),
}
# Cases whose register rows the demo dates back, so the register shows an overdue acknowledgement.
OVERDUE_DEMO_CASE = "无人机电池管理技术许可方违约"
# The entries each audience's cases cite (E01 leaders, E08 managers, E16 researchers, E19 researchers).
ENTRY_FOR = {"leader": 0, "manager": 7, "researcher": 15}


def _pdf(name):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _file(institution, users, title, result_title, index, subjects, venues):
    officer = users["officer_guet"]
    entries = list(policy_version_current(institution).items.filter(kind=PolicyItemKind.ENTRY).order_by("order"))
    cited = sorted({ENTRY_FOR[audience] for _u, _r, audience, _p in subjects} | {18})
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
                cited_entries=[entries[i] for i in cited],
                pricing_method="negotiated",
                publicity_venues=venues,
                decision=exemption.DecisionFacts(
                    decided_by_body="学校科技成果转化领导小组会议", decided_on=datetime.date(2025, 1, 20)
                ),
                trigger_source="self",
                loss_kind="actual",
            ),
            subjects=[
                SubjectSpec(user=users[username], role_in_case=role, audience=audience, post=post)
                for username, role, audience, post in subjects
            ],
            evidence={
                "minutes": [_pdf("集体决策会议纪要.pdf")],
                "publicity": [_pdf("定价公示记录.pdf")],
                "cause": [_pdf("失败原因说明.pdf")],
            },
        ),
    )


NOT_THE_DECIDER = "定价由分管校领导决定，本人未参与决定，并曾书面建议在技术交易市场同步公示。"


def _findings(case, findings):
    """Every row of the investigation; a person's own rows follow their entry in `findings` (username, or
    None for everyone): conditions met unless failing, other items holding when listed."""
    minutes = case.attachments.filter(category="minutes").first()
    rows = []
    for row in investigation_rows(case, investigation.investigation_items(case), case_subjects(case)):
        if row.not_applicable:
            continue
        username = row.subject.user.username if row.subject else None
        failing, negatives, mitigating = findings.get(username, findings.get(None, ((), (), ())))
        item = row.item
        holds = {
            PolicyItemKind.CONDITION: item.code not in failing,
            PolicyItemKind.NEGATIVE: item.code in negatives,
            PolicyItemKind.MITIGATING: item.code in mitigating,
            PolicyItemKind.EXEMPTING: item.code in mitigating,
        }[item.kind]
        if row.computed is not None:
            holds = row.computed.met
        rows.append(
            {
                "item": item,
                "subject": row.subject,
                "holds": holds,
                "note": f"经核查，{item.title}{'属实' if holds else '不成立'}。",
                "evidence": [minutes],
                "override_reason": NOT_THE_DECIDER if row.forced_by and not holds else "",
            }
        )
    return rows


def _confirmations(case):
    """The second officer confirms every proposal, with the correction order the researcher rule needs."""
    return [
        investigation.Confirmation(
            subject=proposal.subject,
            outcome=proposal.evaluation.proposal,
            liability_scope=("内部考核扣分",) if proposal.evaluation.proposal != ExemptionOutcome.EXEMPT else (),
            reduction_kind="lighter" if proposal.evaluation.proposal == ExemptionOutcome.REDUCED else "",
            remaining_liability="其余责任按学校规定处理。"
            if proposal.evaluation.proposal == ExemptionOutcome.REDUCED
            else "",
            correction_items="完善转化过程记录并报技术转移中心备案。"
            if proposal.evaluation.correction_required
            else "",
        )
        for proposal in investigation.determinations_propose(case)
    ]


def _resolved(case):
    """The committee follows the confirmed determinations: {determination key: outcome}."""
    determinations = {str(d.subject_id): d.outcome for d in investigation.determinations_current(case)}
    keys = [key for key, _label in EXEMPTION.determination_keys(case)]
    return {key: determinations[key] if key else next(iter(determinations.values())) for key in keys}


def _vote_round(case, users, outcomes):
    for username in COMMITTEE:
        committee.conflict_declare(case=case, member=users[username], conflicted=False, note="")
        committee.ballot_cast(case=case, member=users[username], outcomes=outcomes, reason="事实清楚，程序完备。")


def _committee(case, users, *, resolve=True):
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
    outcomes = _resolved(case)
    _vote_round(case, users, outcomes)

    def record():
        text = "经认定委员会表决，形成决议。"
        if list(outcomes) == [""]:
            return committee.resolution_record(case=case, recorded_by=chair, outcome=outcomes[""], text=text)
        return committee.resolution_record(case=case, recorded_by=chair, outcomes=outcomes, text=text)

    task_complete(case, "record_resolution", chair, record)


def _issue(case, users):
    officer = users["officer_guet"]
    task_complete(
        case,
        "issue_decision",
        officer,
        lambda: results.exemption_decision_issue(
            case=case,
            issued_by=officer,
            facts="经调查核实，转化失败系市场需求骤降所致。",
            reasoning="依据容错清单及认定委员会决议作出本决定。",
        ),
    )


def _register(case, users):
    """Some rows acknowledged, the referrals' letters issued, one case's rows overdue."""
    for application in case.result_applications.filter(department="hr"):
        results.result_acknowledge(application=application, user=users["hr_guet"], note="已录入人事档案备查。")
    for referral in case.referrals.all():
        results.referral_letter_issue(referral=referral, issued_by=users["officer_guet"])
    if case.title == OVERDUE_DEMO_CASE:
        # Seed data only: the register's overdue state needs an acknowledgement date already past.
        past = case.result_applications.filter(acknowledged_at__isnull=True)
        past.update(ack_due=datetime.date(2026, 11, 20))


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
    rows = _findings(case, findings)
    task_complete(
        case,
        "investigate",
        officer,
        lambda: investigation.findings_record(case=case, recorded_by=officer, findings=rows),
    )
    task_complete(
        case,
        "evaluate",
        reviewer,
        lambda: investigation.evaluation_confirm(case=case, confirmed_by=reviewer, rows=_confirmations(case)),
    )
    if stop == "committee":
        _committee(case, users, resolve=False)
        return
    _committee(case, users)
    if stop == "publicity_objection":
        publicity.objection_lodge(
            case=case, text="该成果转让价格明显低于同类成果，建议复查定价程序。", lodged_by=users["member4_guet"]
        )
        return
    timer_fire(case, "publicity_period")
    _issue(case, users)
    _register(case, users)
    if stop.startswith("appeal"):
        appellant = stop.partition(":")[2] or "researcher_zhang"
        reasons, evidence = APPEALS.get(appellant, APPEALS["researcher_zhang"])
        appeal.appeal_lodge(
            case=case,
            lodged_by=users[appellant],
            reasons=reasons,
            files=[_pdf(evidence)],
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
        for index, (title, result_title, subjects, stop, findings, venues) in enumerate(CASES):
            case = _file(guet, users, title, result_title, index, subjects, venues)
            _drive(case, users, stop, findings)
            cases.append(case)
    return cases
