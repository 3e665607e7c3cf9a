"""先使用后付费 in a browser: the officer files a licence and runs it to the signed contract (the sealed
decision on the case page); the licensee's contact reports the use of a licence in its free-use period and
uploads the payment voucher of one that is being paid, at desktop width and on a phone; the supervisor reads
the statistics of these cases."""

import re

import pytest
from django.utils import timezone

from tests.e2e.browser import SAMPLE_PDF, assert_sealed_download, by_code, choose
from tolerance import demo
from tolerance.models import Case

pytestmark = pytest.mark.e2e


def seed(users):
    from workflows.driver import flow_start
    from workflows.licensing import demo as licensing_demo
    from workflows.licensing import demo_data, services
    from workflows.licensing.flow import LicensingFlow

    institutions = demo.seed_institutions()
    demo_data.seed_policies(institutions)
    companies = demo_data.seed_companies(users)
    results = demo_data.seed_results(institutions)
    people = licensing_demo.PEOPLE["GUET"]
    officer = users[people["officer"]]

    def licence(title, number, stop):
        request = licensing_demo._request(
            title, results[number], companies["licensee_demo"], "ordinary", users[people["inventor"]]
        )
        case = flow_start(
            LicensingFlow,
            officer,
            lambda process: services.licensing_file(
                process=process, institution=institutions["GUET"], filed_by=officer, request=request
            ),
        )
        licensing_demo._drive(case, users, people, stop)
        case.refresh_from_db()
        return case

    return {
        "free_use": licence("北斗定位模组先使用后付费许可", "ZL202210123456.1", "free_use"),
        "paying": licence("无人机锂电池管理系统许可", "ZL202410888888.8", "paying"),
    }


def test_the_officer_files_a_licence_and_runs_it_to_the_signed_contract(journey, seeded):
    page = journey.login("officer_guet")
    with page.expect_navigation():
        page.get_by_role("link", name="登记许可申请").first.click()
    journey.look("licensing-file")
    today = timezone.localdate()
    page.get_by_label("案件名称").fill("雷达信号处理方法先使用后付费许可")
    choose(page, "被许可方", "桂林漓江智能装备有限公司", exact_label=False)
    page.get_by_role("checkbox", name="ZL202110356789.4 一种雷达信号处理方法").check()
    page.get_by_role("checkbox", name="张三").check()
    page.get_by_label("拟实施用途").fill("用于车载雷达新产品的研发与小批量试产。")
    choose(page, "许可类型", "普通许可")
    page.get_by_label("实施领域").fill("*")
    page.get_by_label("实施地域").fill("450000")
    page.get_by_label("许可起始日").fill(str(today))
    page.get_by_label("许可届满日").fill(str(today.replace(year=today.year + 5)))
    page.get_by_label("免费使用期（月）").fill("12")
    choose(page, "触发方式", "任一条件最先成就")
    page.get_by_label("触发日期").fill(str(today.replace(year=today.year + 1)))
    choose(page, "付费方式", "触发后分期支付")
    page.get_by_label("许可费或上限（元）").fill("240000")
    page.get_by_label("分期数").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="发起", exact=True).click()
    journey.look("licensing-filed")
    assert "/cases/" in page.url
    case = Case.objects.get(title="雷达信号处理方法先使用后付费许可")
    journey.assert_stage(case.stage_label)

    # The second officer's review, the committee and a quiet publicity, by code; the decision is the officer's.
    by_code(_reviewed_granted_and_publicised, seeded.users, case)
    journey.open_task(case, "作出许可决定")
    journey.look("licensing-decision")
    journey.submit()
    journey.look()
    decision = case.decisions.get()
    assert decision.document_number in page.inner_text("main")

    journey.open_task(case, "登记已签订的合同")
    journey.look("licensing-contract")
    page.get_by_label("合同编号").fill(f"{case.number}-HT")
    page.get_by_label("合同生效日").fill(str(today))
    page.locator("input[type=file]").first.set_input_files({**SAMPLE_PDF, "name": "许可合同.pdf"})
    journey.submit()
    journey.look("licensing-in-force")
    journey.assert_stage("免费使用期", "被许可方免费实施成果并报告使用情况。")
    assert_sealed_download(page, decision.document_number)


def _reviewed_granted_and_publicised(users, case):
    from workflows.driver import timer_fire
    from workflows.licensing import demo as licensing_demo

    people = licensing_demo.PEOPLE["GUET"]
    licensing_demo._review(case, users, people)
    licensing_demo._committee(case, users, people)
    timer_fire(case, "publicity_period")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_licensee_reports_use_and_uploads_a_payment_voucher(journey_for, seeded, width):
    journey = journey_for(width)
    free_use, paying = seeded.free_use, seeded.paying
    page = journey.login("licensee_demo")
    journey.look("licensee-home")
    assert free_use.number in page.inner_text("main")
    journey.goto("/licences/")
    journey.look("licensee-licences")
    main = page.inner_text("main")
    assert "免费使用期" in main and "按计划付款" in main

    # The usage report of the licence in its free-use period.
    with page.expect_navigation():
        page.get_by_role("link", name=free_use.number).click()
    journey.look("licensee-case-free-use")
    assert "被许可方免费实施成果并报告使用情况。" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="提交使用情况报告").click()
    journey.look("licensee-usage-report")
    page.get_by_label("报告期自").fill(str(free_use.licensing.contract_effective_on))
    page.get_by_label("报告期至").fill(str(free_use.licensing.contract_effective_on))
    page.get_by_label("产销数量").fill("12")
    page.get_by_label("净销售额（元）").fill("36000")
    page.get_by_label("进展与问题").fill("样机已完成，正在小批量试产。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    assert free_use.number in page.inner_text("main")

    # The payment voucher of the licence being paid.
    journey.goto(f"/cases/{paying.pk}/")
    journey.look("licensee-case-paying")
    assert "付款计划" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="上传付款凭证").click()
    journey.look("licensee-payment-voucher")
    page.get_by_label("付款凭证").set_input_files({**SAMPLE_PDF, "name": f"付款凭证-{width}.pdf"})
    page.get_by_label("说明").fill("第1期许可费已汇出。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    journey.look()
    assert f"付款凭证-{width}.pdf" in page.inner_text("main")


def test_the_supervisor_sees_the_statistics(journey):
    """Read-only statistics across institutions. The page is being rebuilt on another branch: only its
    heading and that it shows a table are asserted."""
    page = journey.login("supervisor_city")
    assert "查看各机构的案件统计（只读）" in page.inner_text("main")
    page.get_by_role("heading", name=re.compile("统计")).first.wait_for()
    assert page.get_by_role("table").count() >= 1
    journey.look("supervisor-statistics")
