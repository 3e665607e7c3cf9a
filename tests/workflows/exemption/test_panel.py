"""The exemption section of the case page: each viewer sees what is theirs to see and do."""

import pytest
from django.urls import reverse

from tolerance.selectors.policy import case_policy
from tolerance.working_days import add_working_days
from workflows.flows import ExemptionFlow

pytestmark = pytest.mark.django_db
VOTE_REASON = "事实清楚，证据充分。"


def page(client_for, username, case):
    response = client_for(username).get(reverse("cases:detail", args=[case.pk]))
    return response.status_code, response.content.decode()


def test_votes_stay_hidden_until_the_resolution_and_from_parties_always(driver, client_for):
    case = driver.file()
    driver.to_committee(case)
    driver.done("chair_guet", case, "open_review", {"agenda": ""})
    driver.committee(case, "exempt")
    _status, member_view = page(client_for, "member1_guet", case)
    assert VOTE_REASON not in member_view
    task = driver.task(case, "record_resolution")
    chair = client_for("chair_guet")
    chair.post(ExemptionFlow.record_resolution.reverse("assign", args=[case.process_id, task.pk]))
    chair_page = chair.get(ExemptionFlow.record_resolution.reverse("execute", args=[case.process_id, task.pk]))
    assert "免责：5" in chair_page.content.decode() and VOTE_REASON not in chair_page.content.decode()
    driver.done("chair_guet", case, "record_resolution", {"outcome": "exempt", "text": "决议"})
    _status, member_view = page(client_for, "member1_guet", case)
    assert f"免责 — {VOTE_REASON}" in member_view
    status, subject_view = page(client_for, "researcher_zhang", case)
    assert status == 200 and VOTE_REASON not in subject_view and "免责" in subject_view
    assert "应到5人，回避0人，实到5人，5票赞成" in subject_view


def test_actions_offered_to_each_viewer(driver, client_for):
    case = driver.file()
    claim = reverse(
        "exemption:check_completeness:assign", args=[case.process_id, driver.task(case, "check_completeness").pk]
    )
    assert claim in page(client_for, "reviewer_guet", case)[1]
    assert claim not in page(client_for, "officer_guet", case)[1]  # four-eyes: not the filer
    driver.to_committee(case)
    driver.done("chair_guet", case, "open_review", {"agenda": ""})
    _status, member_view = page(client_for, "member2_guet", case)
    assert reverse("case_actions:conflict_declare", args=[case.pk]) in member_view
    driver.committee(case, "exempt")
    driver.done("chair_guet", case, "record_resolution", {"outcome": "exempt", "text": "决议"})
    publicity = case.publicities.get()
    assert publicity.ends_on == add_working_days(publicity.starts_on, case_policy(case).publicity_days)
    _status, subject_view = page(client_for, "researcher_zhang", case)
    assert reverse("case_actions:objection_lodge", args=[case.pk]) in subject_view
    _status, officer_view = page(client_for, "officer_guet", case)
    assert reverse("case_actions:objection_paper", args=[case.pk]) in officer_view
    assert page(client_for, "officer_gxnu", case)[0] == 404
    board = client_for("researcher_gxnu").get(reverse("case_actions:publicity_board")).content.decode()
    assert case.number not in board
