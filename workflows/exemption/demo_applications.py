"""Demo data for X1 and X3, through the services as the pages call them: three people's own applications
(one waiting, one declined with its reason, one adopted as a case), and on the adopted case the
departments' joint opinions asked, two answered and one (审计处, which names no contact) awaited."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tolerance.services.cases import SubjectSpec
from workflows.driver import task_complete
from workflows.exemption import joint_opinions, self_applications
from workflows.exemption import services as exemption
from workflows.exemption.application_models import SelfApplication
from workflows.exemption.demo import DEMO_PDF
from workflows.exemption.flow import ExemptionFlow
from workflows.exemption.models import IntakeResult
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyItemKind
from workflows.steps.department_opinions import opinion_give

# (applicant, role, audience, post, title, entry index, what the office does)
APPLICATIONS = [
    ("researcher_li", "项目负责人", "researcher", "", "李四：压电陶瓷专利许可失败的容错申请", 18, "waiting"),
    ("researcher_zhang", "主要完成人", "researcher", "", "张三：天线阵列技术转让尾款未收回的容错申请", 18, "declined"),
    (
        "manager_guet",
        "转化项目经办负责人",
        "manager",
        "科学技术处处长",
        "吴处长：中试基地作价投资失败的容错申请",
        8,
        "adopted",
    ),
]
FACTS = {
    "result_title": "一种高频压电陶瓷制备工艺（ZL202010567890.1）",
    "route": "licence",
    "counterparty": "桂林桂北新材料科技有限公司",
    "contract_number": "GUET-XK-2024-031",
    "contract_amount": Decimal("600000.00"),
    "contract_signed_on": datetime.date(2024, 9, 1),
    "failed_on": datetime.date(2026, 4, 30),
    "failure_description": "被许可方因主要客户流失停止量产，约定的许可费未能收回。",
    "loss_amount": Decimal("240000.00"),
}
OPINIONS = {
    "research": ("agree", "经核查科研项目档案，转化过程按规定履行了审批程序。"),
    "finance": ("note", "已收款项与合同约定一致，未收款项已挂账催收。"),
}


def seed_self_applications(*, institutions, users) -> list:
    guet = institutions["GUET"]
    if SelfApplication.objects.filter(institution=guet, title__in=[row[4] for row in APPLICATIONS]).exists():
        return []
    officer, reviewer = users["officer_guet"], users["reviewer_guet"]
    entries = list(policy_version_current(guet).items.filter(kind=PolicyItemKind.ENTRY).order_by("order"))
    done = []
    with transaction.atomic():
        for username, role, audience, post, title, entry, fate in APPLICATIONS:
            facts = {**FACTS, "title": title}
            application = self_applications.self_application_submit(
                submitted_by=users[username],
                facts=facts,
                role_in_case=role,
                audience=audience,
                post=post,
                cited_entries=[entries[entry]],
                documents={"minutes": [SimpleUploadedFile("集体决策会议纪要.pdf", DEMO_PDF, "application/pdf")]},
            )
            if fate == "declined":
                self_applications.self_application_decline(
                    application=application,
                    declined_by=officer,
                    reason="所述损失系合同约定范围内的正常经营风险，未涉及责任追究，无需启动容错认定。",
                )
            elif fate == "adopted":
                case = ExemptionFlow.start_application.run(
                    application=application,
                    adopted_by=officer,
                    conversion=exemption.ConversionData(**facts, cited_entries=[entries[entry]]),
                    subjects=[SubjectSpec(user=users[username], role_in_case=role, audience=audience, post=post)],
                    evidence={},
                )
                _joint_opinions(case, officer, reviewer, users)
            done.append(application)
    return done


def _joint_opinions(case, officer, reviewer, users) -> None:
    task_complete(
        case,
        "check_completeness",
        reviewer,
        lambda: exemption.intake_review_record(
            case=case, reviewed_by=reviewer, result=IntakeResult.ACCEPTED, reason=""
        ),
    )
    case.refresh_from_db()
    joint_opinions.joint_opinions_ask(case=case, asked_by=officer, departments=["research", "finance", "audit"])
    for request in case.department_requests.filter(department__in=OPINIONS):
        opinion, text = OPINIONS[request.department]
        opinion_give(request=request, given_by=users[f"{request.department}_guet"], opinion=opinion, text=text)
