"""离岗创业合规整改 in a browser: the officer files a case on a lead; the officer issues the rectification
notice of an approved plan and, once the items are accepted and the committee has passed them, the sealed
decision; the department that verifies a rectification item accepts the evidence the researcher submitted."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.e2e.browser import SAMPLE_PDF, assert_sealed_download, by_code, choose
from tolerance import demo

pytestmark = pytest.mark.e2e


def seed(users):
    from workflows.rectification import demo as rectification_demo
    from workflows.rectification import items
    from workflows.rectification.policy import catalogue_load_all

    institutions = demo.seed_institutions()
    rectification_demo.seed_case_type_policies(institutions)
    catalogue_load_all(institutions["GUET"])
    staff = rectification_demo.STAFF["GUET"]
    case = rectification_demo.file_case(institutions["GUET"], users, staff, "张三利用职务成果未履行转化程序", 0)
    rectification_demo.drive(case, users, staff, ["G04"], "rectifying")
    item = case.rectification_items.get()
    evidence = SimpleUploadedFile("许可合同.pdf", SAMPLE_PDF["buffer"], content_type="application/pdf")
    items.evidence_submit(item=item, submitted_by=users["researcher_zhang"], note="已签订许可合同。", files=[evidence])
    approved = rectification_demo.file_case(institutions["GUET"], users, staff, "张三兼职取酬未经审批", 0)
    rectification_demo._to_plan(approved, users, staff, ["G04"])
    rectification_demo._committee(approved, users, staff, "plan_approved")
    return {"rectifying": case, "plan_approved": approved}


def test_the_officer_files_a_rectification_case(journey):
    page = journey.login("officer_guet")
    with page.expect_navigation():
        page.get_by_role("link", name="登记合规整改案件").click()
    journey.look("rectification-file")
    page.get_by_label("案件名称").fill("张三在职创办企业未经审批")
    choose(page, "创业活动", "在职创办企业", exact_label=False)
    page.get_by_role("textbox", name=re.compile(r"^企业\*?$")).fill("桂林漓江微电子科技有限公司")
    page.get_by_label("统一社会信用代码").fill("91450300MA5K8R3X07")
    page.get_by_label("在企业中的职务").fill("股东、监事")
    page.get_by_label("持股比例（%）").fill("15")
    page.get_by_label("活动开始日期").fill("2022-03-01")
    page.get_by_label("活动情况说明", exact=False).fill("2022年起在该公司持股并担任监事，未办理兼职审批。")
    page.locator("input[type=file][name=files]").set_input_files({**SAMPLE_PDF, "name": "自查申报表.pdf"})
    choose(page, "当事人", "张三", exact_label=False)
    choose(page, "线索来源", "年度核查", exact_label=False)
    page.get_by_label("线索接收日期").fill(str(timezone.localdate()))
    with page.expect_navigation():
        page.get_by_role("button", name="发起", exact=True).click()
    journey.look("rectification-filed")
    main = page.inner_text("main")
    assert "张三在职创办企业未经审批" in main
    assert "受理审查" in main
    assert "/cases/" in page.url  # the case page, not viewflow's process page


def test_the_department_verifier_accepts_a_rectification_item(journey, seeded):
    case = seeded.rectifying
    page = journey.login("assets_guet")
    assert case.number in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name=case.number).first.click()
    journey.look("rectification-case-verifier")
    main = page.inner_text("main")
    assert "整改实施中" in main and "已提交材料，待验收" in main
    with page.expect_navigation():
        page.get_by_role("link", name="验收或退回").click()
    journey.look("rectification-item-review")
    # The verifier sees what is decided: the item and the researcher's evidence.
    review = page.inner_text("main")
    assert "整改方式与应提交材料" in review and "已签订许可合同。" in review
    page.get_by_role("radio", name="是", exact=True).check()
    page.get_by_label("说明", exact=False).fill("许可合同已签订并备案，验收合格。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    assert case.number in page.inner_text("main")
    assert "已提交材料，待验收" not in page.inner_text("main")


def test_the_officer_issues_the_notice_and_after_the_rectification_the_sealed_decision(journey, seeded):
    case = seeded.plan_approved
    journey.login("officer_guet")
    page = journey.open_task(case, "签发整改通知书")
    journey.look("rectification-notice")
    page.get_by_role("checkbox").first.check()
    journey.submit()
    journey.look()
    journey.assert_stage("整改实施中")

    # The researcher rectifies, the department accepts, the committee passes the rectification.
    by_code(_rectified_and_passed, seeded.users, case)
    journey.open_task(case, "作出决定")
    journey.look("rectification-decision")
    journey.submit()
    journey.look("rectification-decided")
    assert f"/cases/{case.pk}/" in page.url
    journey.assert_stage("已作出决定，复核申请期内", "当事人可在截止日期前申请一次复核。")
    decision = case.decisions.order_by("pk").last()  # the decision, after the letters and the notice
    assert decision.document_number in page.inner_text("main")
    assert_sealed_download(page, decision.document_number)


def _rectified_and_passed(users, case):
    from workflows.rectification import demo as rectification_demo
    from workflows.rectification import items, notices

    staff = rectification_demo.STAFF["GUET"]
    case.refresh_from_db()  # the seed's copy still has the stage before the notice
    for item in case.rectification_items.all():
        evidence = SimpleUploadedFile("整改材料.pdf", SAMPLE_PDF["buffer"], content_type="application/pdf")
        items.evidence_submit(
            item=item, submitted_by=users[staff["subject"]], note="已完成整改并提交证明材料。", files=[evidence]
        )
        items.item_review(item=item, reviewed_by=notices.verifiers_of(case, item.verifier)[0], accepted=True, note="")
    rectification_demo._committee(case, users, staff, "passed")
