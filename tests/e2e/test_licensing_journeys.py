"""先使用后付费 in a browser: the licensee's contact reports the use of a licence in its free-use period and
uploads the payment voucher of one that is being paid, at desktop width and on a phone; the supervisor reads
the statistics of these cases."""

import re

import pytest

from tests.e2e.browser import SAMPLE_PDF
from tolerance import demo

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
