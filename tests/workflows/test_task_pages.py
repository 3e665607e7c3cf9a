"""Task pages keep people oriented: the case beside the form, back to the case page afterwards with what
happened and what is next, no button for what the viewer may not do, a progress bar, plain history."""

import pytest
from django.urls import reverse

from workflows.flows import ExemptionFlow

pytestmark = pytest.mark.django_db


def test_a_task_page_shows_the_case_and_completing_it_returns_to_the_case_page(driver, users):
    case = driver.file()
    client = driver.client_for("reviewer_guet")
    task = driver.task(case, "check_completeness")
    client.post(ExemptionFlow.check_completeness.reverse("assign", args=[case.process_id, task.pk]))
    url = ExemptionFlow.check_completeness.reverse("execute", args=[case.process_id, task.pk])
    response = client.post(url, {"result": "accepted", "reason": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert "“材料完整性审查”已完成。案件现处于“调查核实中”。下一步：" in response.content.decode()

    # The next task's page: the case's evidence and its recent history beside the form, one submit button.
    client = driver.client_for("officer_guet")
    task = driver.task(case, "investigate")
    client.post(ExemptionFlow.investigate.reverse("assign", args=[case.process_id, task.pk]))
    form_page = client.get(ExemptionFlow.investigate.reverse("execute", args=[case.process_id, task.pk]))
    text = form_page.content.decode()
    assert "会议纪要.pdf" in text and "最近记录" in text and "Execute and continue" not in text
    assert "_continue" not in text


def test_cancel_is_offered_only_to_who_may_cancel_and_the_case_page_shows_progress(driver, client_for):
    case = driver.file()
    url = ExemptionFlow.instance.reverse("process_detail", args=[case.process_id])
    officer_page = client_for("officer_guet").get(url)
    assert officer_page.status_code == 200
    assert "/cancel/" not in officer_page.content.decode()
    case_page = client_for("officer_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'class="tol-progress"' in case_page and 'aria-current="step"' in case_page


def test_parties_read_a_plain_history_without_workflow_steps(driver, client_for):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    party = client_for("researcher_zhang").get(reverse("cases:detail", args=[case.pk])).content.decode()
    officer = client_for("officer_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "认领任务" in officer
    assert "认领任务" not in party and "创建任务" not in party
    assert "步骤已完成：材料完整性审查" in party
