"""容错免责认定 in a browser, one journey per role: the officer files a case and runs it to its sealed
decision, the second officer checks, the chair opens the committee review and records its resolution, a
member follows the notice to the vote, the researcher follows his cases (evidence, objection, appeal, the
decision) and anyone verifies the downloaded decision on /verify/.

Each journey starts from a case the seed put in its stage with the code driver (tests/factories.py); the
stages of other roles inside a journey are driven the same way (`by_code`)."""

import re

import pytest
from django.core.management import call_command

from tests.e2e.browser import SAMPLE_PDF, assert_sealed_download, by_code, choose
from tests.factories import (
    exemption_case_accepted,
    exemption_case_decided,
    exemption_case_evaluated,
    exemption_case_filed,
    exemption_case_in_committee,
    exemption_case_in_publicity,
    exemption_committee_votes,
    exemption_evaluation_confirmed,
)
from tolerance import demo
from tolerance.models import Case

pytestmark = pytest.mark.e2e


def seed(users):
    from workflows.exemption.demo import seed_case_type_policies

    seed_case_type_policies(demo.seed_institutions())
    call_command("load_policy", verbosity=0)
    zhang = [users["researcher_zhang"]]
    return {
        "waiting_for_check": exemption_case_filed(filed_by=users["officer_guet"], subjects=zhang),
        "waiting_for_chair": exemption_case_evaluated(users),
        "in_committee": exemption_case_in_committee(users),
        "in_publicity": exemption_case_in_publicity(users),
        "decided": exemption_case_decided(users),
    }


def test_the_officer_files_an_exemption_case_and_runs_it_to_the_sealed_decision(journey, seeded):
    page = journey.login("officer_guet")
    assert "立案并推进容错免责认定案件" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="容错免责立案").click()
    journey.look("exemption-file")
    page.get_by_label("案件名称").fill("激光雷达专利许可收益未能实现")
    page.get_by_label("科技成果").fill("一种固态激光雷达扫描方法")
    choose(page, "转化方式", "许可")
    page.get_by_label("交易对方").fill("桂林漓江智能装备有限公司")
    page.get_by_label("合同编号").fill("GUET-ZH-2025-101")
    page.get_by_label("合同金额（元）").fill("600000")
    page.get_by_label("合同签订日期").fill("2025-04-15")
    page.get_by_label("转化失败认定日期").fill("2026-05-20")
    page.get_by_label("失败情况及原因").fill("合作企业停止产业化投入，约定收益未能实现。")
    page.get_by_label("损失金额（元）").fill("150000")
    entries = page.get_by_role("group", name="所依据的容错清单条目")
    entries.get_by_role("checkbox", name="E16", exact=False).first.check()
    choose(page, "定价方式", "协议定价")
    choose(page, "当事人", "张三")
    page.get_by_label("在案件中的身份").first.fill("项目负责人")
    choose(page, "领导人员、管理人员或科研人员", "科研人员")
    page.get_by_label("职务（如副校长、科研处处长）").first.fill("教授")
    choose(page, "公示场所", "本单位")
    page.get_by_label("起始日期").first.fill("2025-03-01")
    page.get_by_label("截止日期").first.fill("2025-03-15")
    for category in ("minutes", "publicity", "cause"):
        # The file inputs lie under viewflow's upload buttons; they are reached by the field's name.
        page.locator(f"input[type=file][name=evidence_{category}]").set_input_files(SAMPLE_PDF)
    with page.expect_navigation():
        page.get_by_role("button", name="发起", exact=True).click()
    journey.look("exemption-filed")
    main = page.inner_text("main")
    assert "激光雷达专利许可收益未能实现" in main
    assert "材料完整性审查" in main
    # The case page (not viewflow's process page), saying what comes next.
    assert "/cases/" in page.url
    assert "已立案。案件现处于“材料完整性审查中”。下一步" in page.inner_text("body")
    case = Case.objects.get(title="激光雷达专利许可收益未能实现")

    # The second officer accepts the filing; the investigation is the officer's.
    by_code(exemption_case_accepted, seeded.users, case)
    journey.open_task(case, "调查核实各项条件")
    journey.look("exemption-investigation")
    _record_findings(page, case)
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    assert "/cases/" in page.url
    journey.assert_stage("认定意见拟定中", "由另一名经办人确认系统建议的认定结论。")

    # The second officer confirms the evaluation, the committee resolves and publicity passes quietly.
    by_code(_resolved_and_publicised, seeded.users, case)
    journey.open_task(case, "作出决定")
    journey.look("exemption-decision")
    assert page.get_by_label("经查明的事实").input_value()  # proposed from the findings
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look("exemption-decided")
    assert "/cases/" in page.url
    journey.assert_stage("已作出决定，复核申请期内", "当事人可在截止日期前申请一次复核。")
    decision = case.decisions.get()
    assert decision.document_number in page.inner_text("main")
    assert_sealed_download(page, decision.document_number)


def _record_findings(page, case):
    """Every condition met with its evidence, nothing negative, mitigating or exempting present (facts the
    system computed are kept as proposed); a note where none is proposed."""
    from workflows.exemption import investigation
    from workflows.exemption.determinations import case_subjects, investigation_rows
    from workflows.exemption.tolerance_list import PolicyItemKind

    rows = investigation_rows(case, investigation.investigation_items(case), case_subjects(case))
    for row in rows:
        if row.not_applicable or row.computed is not None:
            continue
        met = row.item.kind == PolicyItemKind.CONDITION
        page.locator(f"input[type=radio][name=holds_{row.key}][value={'yes' if met else 'no'}]").check()
        if met:  # a condition found met cites its evidence
            page.locator(f"input[type=checkbox][name=evidence_{row.key}]").first.check()
    for note in page.locator("textarea[name^=note_]").all():
        if not note.input_value():
            note.fill("经核查属实。")


def _resolved_and_publicised(users, case):
    from workflows.driver import task_complete, timer_fire
    from workflows.exemption.models import ExemptionOutcome
    from workflows.steps import committee

    chair = users["chair_guet"]
    exemption_evaluation_confirmed(users, case)
    task_complete(case, "open_review", chair, lambda: committee.review_open(case=case, opened_by=chair, agenda="审议"))
    exemption_committee_votes(users, case)
    task_complete(
        case,
        "record_resolution",
        chair,
        lambda: committee.resolution_record(
            case=case, recorded_by=chair, outcome=ExemptionOutcome.EXEMPT, text="经表决，形成决议。"
        ),
    )
    timer_fire(case, "publicity_period")


def test_the_chair_opens_the_review_and_records_the_resolution(journey, seeded):
    case = seeded.waiting_for_chair
    page = journey.login("chair_guet")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^通知 \d+ 条未读")).click()
    journey.look("chair-notifications")
    with page.expect_navigation():
        page.get_by_role("link", name=f"案件 {case.number} 有新任务：启动委员会审议").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/")  # through the notice's read mark
    journey.look("chair-case")
    journey.assert_stage("委员会审议中")
    journey.open_task(case, "启动委员会审议", from_case_page=False)
    journey.look("chair-open-review")
    page.get_by_label("议程及会议记录").fill("审议激光雷达专利许可失败的免责认定。")
    journey.submit()
    journey.look()
    journey.assert_stage("委员会审议中")

    # The members declare and vote; the chair comes back to the tally.
    by_code(exemption_committee_votes, seeded.users, case)
    journey.open_task(case, "记录委员会决议")
    journey.look("chair-resolution")
    panel = page.inner_text("body")
    assert "计票情况" in panel and "应到5人，回避0人，已投票5人" in panel
    assert "法定人数：非回避委员的" in panel and "免责：5" in panel
    page.get_by_role("radio", name="免责", exact=True).first.check()
    page.get_by_label("决议内容").fill("经表决，5票同意免责，形成决议。")
    journey.submit()
    journey.look("chair-resolved")
    assert f"/cases/{case.pk}/" in page.url
    journey.assert_stage("公示中")


def test_the_second_officer_checks_completeness_from_the_queue(journey, seeded):
    case = seeded.waiting_for_check
    page = journey.login("reviewer_guet")
    page.get_by_role("link", name="待认领").first.click()
    page.wait_for_load_state()
    journey.look("exemption-queue")
    row = page.get_by_role("row").filter(has_text=case.number)
    row.get_by_role("link", name="材料完整性审查").click()
    # A task is claimed before it is done: the claim page, then the task's form.
    page.get_by_role("button", name="认领并继续").click()
    page.get_by_role("radio", name="受理", exact=True).wait_for()
    journey.look("exemption-completeness-check")
    assert case.number in page.inner_text("main")
    page.get_by_role("radio", name="受理", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    case.refresh_from_db()
    assert "调查核实" in page.inner_text("main")


def test_a_member_follows_the_notice_declares_and_votes_with_the_keyboard(journey, seeded):
    case = seeded.in_committee
    page = journey.login("member1_guet")
    main = page.inner_text("main")
    assert "待您参与的委员会事项" in main and case.number in main
    bell = page.get_by_role("link", name=re.compile(r"^通知 \d+ 条未读"))
    with page.expect_navigation():
        bell.click()
    journey.look("committee-notifications")
    with page.expect_navigation():
        page.get_by_role("link", name=f"案件 {case.number} 委员会审议", exact=False).first.click()
    journey.look("committee-conflict")
    # The keyboard alone: the choice, then Tab to the submit button and Enter.
    page.get_by_role("radio", name="否", exact=True).check()
    page.get_by_role("radio", name="否", exact=True).focus()
    with page.expect_navigation():
        _tab_to(page, "提交")
        page.keyboard.press("Enter")
    assert "/vote/" in page.url
    journey.look("committee-vote")
    page.get_by_role("radio", name="免责", exact=True).first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("事实清楚，程序完备。")
    with page.expect_navigation():
        _tab_to(page, "提交")
        page.keyboard.press("Enter")
    journey.look()
    assert "投票已记录。" in page.inner_text("body")
    assert case.number in page.inner_text("main")


def _tab_to(page, button_name, limit=15):
    """Press Tab until the focused element is the button named `button_name` (a keyboard user's way)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => (document.activeElement.innerText || '').trim()") == button_name:
            return
    raise AssertionError(f"Tab never reached the {button_name} button")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_researcher_adds_evidence_objects_downloads_verifies_and_appeals(journey_for, seeded, width):
    """Both widths on the same two cases: an appeal can be lodged once, so the phone only opens its form."""
    journey = journey_for(width)
    in_publicity, decided = seeded.in_publicity, seeded.decided
    page = journey.login("researcher_zhang")
    journey.look("researcher-home")
    main = page.inner_text("main")
    assert "我的案件" in main and in_publicity.number in main and "公示中" in main
    with page.expect_navigation():
        page.get_by_role("link", name=in_publicity.number).click()
    journey.look("researcher-case-publicity")
    assert "拟认定结论正在公示，可提出异议。" in page.inner_text("main")
    # Evidence added on the case page.
    page.get_by_label("文件").set_input_files({**SAMPLE_PDF, "name": "补充说明.pdf"})
    page.get_by_label("说明").fill("市场变化的补充说明")
    with page.expect_navigation():
        page.get_by_role("button", name="上传材料").click()
    journey.look()
    assert "补充说明.pdf" in page.inner_text("main")
    # An objection within the publicity period.
    with page.expect_navigation():
        page.get_by_role("link", name="提出异议").click()
    journey.look("researcher-objection")
    page.get_by_label("异议内容").fill("公示的拟认定结论中当事人职务有误，应为教授。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    assert "待处理" in page.inner_text("main")

    # The decided case: the sealed decision, downloaded, then checked on the public page.
    journey.goto(f"/cases/{decided.pk}/")
    journey.look("researcher-case-decided")
    assert "当事人可在截止日期前申请一次复核。" in page.inner_text("main")
    decision = decided.decisions.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=decision.document_number, exact=True).click()
    pdf = download.value.path()
    journey.goto("/verify/")
    journey.look("verify")
    page.get_by_label("决定书 PDF 文件").set_input_files(pdf)
    with page.expect_navigation():
        page.get_by_role("button", name="验证文件").click()
    journey.look("verify-result")
    assert decision.document_number in page.inner_text("main")

    # An appeal within the appeal window.
    journey.goto(f"/cases/{decided.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="申请复核", exact=False).click()
    journey.look("researcher-appeal")
    if journey.phone:
        return
    page.get_by_label("申请复核的理由").fill("转化失败确因市场突变，属不可预见因素，请求复核。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    assert "复核" in page.inner_text("main")
