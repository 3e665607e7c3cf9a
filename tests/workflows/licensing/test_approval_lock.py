"""Two chairs approve conflicting exclusive licences of the same result at the same moment, on
PostgreSQL with a connection each: the result rows are locked in the approving transaction, so exactly
one approval passes and the other is told of the conflict, with nothing changed."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflows.test_concurrency import _race
from workflows.licensing.flow import LicensingFlow
from workflows.licensing.models import LicensingStage

pytestmark = pytest.mark.postgres


def _at_resolution(driver, case, chair, members):
    driver.done(chair, case, "open_review", {"agenda": "审议独占许可"})
    for username in members:
        client = driver.client_for(username)
        declared = client.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"})
        assert declared.status_code == 302
        voted = client.post(reverse("case_actions:vote", args=[case.pk]), {"outcome": "granted", "reason": "同意。"})
        assert voted.status_code == 302
    task = driver.task(case, "record_resolution")
    client = driver.client_for(chair)
    assign = LicensingFlow.record_resolution.reverse("assign", args=[case.process_id, task.pk])
    assert client.post(assign).status_code == 302
    return LicensingFlow.record_resolution.reverse("execute", args=[case.process_id, task.pk])


@pytest.mark.django_db(transaction=True)
def test_two_conflicting_approvals_at_once_one_wins_the_other_sees_the_conflict(
    on_postgresql, licence_driver, users, licensing
):
    driver = licence_driver
    exclusive = {"licence_type": "exclusive", "valuation_reference": "中联评报字〔2026〕第7号"}
    first = driver.file(title="雷达信号处理方法独占许可（甲）", **exclusive)
    second = driver.file(
        title="雷达信号处理方法独占许可（乙）", company=licensing["companies"]["licensee_other"].pk, **exclusive
    )
    # Each is still under review when the other is checked: a warning, passed with a reason.
    for case in (first, second):
        assert driver.review(case, proceed_reason="另一申请尚在审查，由委员会择一批准。").status_code == 302
    members = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]
    urls = [_at_resolution(driver, case, "chair_guet", members) for case in (first, second)]

    def approve(url):
        client = Client()
        client.force_login(users["chair_guet"])
        return lambda: client.post(url, {"outcome": "granted", "text": "经表决，同意独占许可。"})

    responses = _race(approve(urls[0]), approve(urls[1]))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302], statuses
    loser = responses[[r.status_code for r in responses].index(200)]
    assert "冲突" in loser.content.decode()
    for case in (first, second):
        case.refresh_from_db()
    stages = sorted([first.stage, second.stage])
    assert stages == sorted([LicensingStage.PUBLICITY, LicensingStage.COMMITTEE_REVIEW]), stages
    waiting = first if first.stage == LicensingStage.COMMITTEE_REVIEW else second
    assert driver.task(waiting, "record_resolution") is not None
    assert not waiting.publicities.exists()
