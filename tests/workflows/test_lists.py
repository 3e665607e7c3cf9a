"""The flow's list pages: filtered by case visibility, keyset-paged, a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workflows.lists_fixtures import exemption_flow_fixture, flow_app_fixture, seed_cases_fixture  # noqa: F401
from workflows import lists

LIST_PAGES = ["index", "inbox", "queue", "archive", "process_list", "task_list"]


def _get(client, flow_app, name, query=""):
    return client.get(flow_app.reverse(name) + query)


def _queries_for(client, flow_app, name):
    _get(client, flow_app, name)  # warm: permission caches, content types
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, flow_app, name)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_page_costs_the_same_queries_with_ten_times_the_cases(client_for, seed_cases, flow_app, name):
    officer = client_for("officer_guet")
    seed_cases(6)
    small = _queries_for(officer, flow_app, name)
    seed_cases(60)
    assert _queries_for(officer, flow_app, name) == small


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_gxnu_officer_sees_no_guet_case_on_any_list(client_for, seed_cases, flow_app, name):
    cases = seed_cases(8)
    response = _get(client_for("officer_gxnu"), flow_app, name)
    body = response.content.decode()
    assert response.status_code == 200
    assert not [case.number for case in cases if case.institution.code == "GUET" and case.number in body]
    if name in ("process_list", "task_list"):
        assert [case.number for case in cases if case.institution.code == "GXNU" and case.number in body]


@pytest.mark.django_db
def test_the_inbox_lists_exactly_the_officers_claimed_tasks(client_for, seed_cases, flow_app):
    cases = seed_cases(12)
    body = _get(client_for("officer_guet"), flow_app, "inbox").content.decode()
    # The seed claims the investigation of every third case (index 1, 4, …) for its institution's officer.
    claimed = {case.number for index, case in enumerate(cases) if index % 3 == 1 and case.institution.code == "GUET"}
    shown = set(re.findall(r"GUET-MZ-\d{4}-\d{4,}", body))
    assert shown == claimed


@pytest.mark.django_db
def test_following_next_page_walks_every_case_once_in_a_stable_order(client_for, seed_cases, flow_app, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 4)
    cases = seed_cases(22)
    officer = client_for("officer_guet")
    seen, query = [], ""
    for _page in range(10):
        response = _get(officer, flow_app, "process_list", query)
        seen += re.findall(r"GUET-MZ-\d{4}-\d{4,}", response.content.decode())
        next_before = response.context["next_before"]
        if next_before is None:
            break
        query = f"?before={next_before}"
    expected = [case.number for case in reversed(cases) if case.institution.code == "GUET"]
    assert seen == expected


@pytest.mark.django_db
def test_the_step_filter_keeps_to_the_step_across_pages(client_for, seed_cases, flow_app, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    seed_cases(30)
    response = _get(client_for("officer_guet"), flow_app, "task_list", "?node=evaluate")
    assert response.context["selected_node"].name == "evaluate"
    assert all(task.flow_task.name == "evaluate" for task in response.context["rows"])
    assert 'href="?node=evaluate&amp;before=' in response.content.decode()


@pytest.mark.django_db
def test_the_queue_offers_no_choice_per_case_and_writes_no_session(client_for, seed_cases, flow_app):
    officer = client_for("officer_guet")
    seed_cases(4)
    options_before = _get(officer, flow_app, "queue").content.decode().count("<option")
    seed_cases(40)
    response = _get(officer, flow_app, "queue")
    assert len(response.context["rows"]) > 4
    assert response.content.decode().count("<option") == options_before
    assert "vf-pin-location" not in officer.session


@pytest.mark.django_db
def test_a_supervisor_sees_every_institution_but_has_nothing_to_claim(client_for, seed_cases, flow_app):
    cases = seed_cases(6)
    supervisor = client_for("supervisor_city")
    listed = _get(supervisor, flow_app, "process_list").content.decode()
    assert all(case.number in listed for case in cases)
    assert list(_get(supervisor, flow_app, "queue").context["rows"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["researcher_zhang", "licensee_demo"])
def test_parties_do_not_get_the_flow_pages(client_for, seed_cases, flow_app, username):
    seed_cases(4)
    client = client_for(username)
    assert [_get(client, flow_app, name).status_code for name in LIST_PAGES] == [403] * len(LIST_PAGES)


@pytest.mark.django_db
def test_menu_badges_stop_counting_at_the_cap(users, seed_cases, exemption_flow):
    seed_cases(30)
    queue = lists.queue_tasks(users["officer_guet"], exemption_flow)
    assert lists.CappedCount(queue, cap=2).count == "2+"
    assert lists.CappedCount(queue, cap=100).count == str(queue.count())


@pytest.mark.django_db
def test_the_queue_does_not_offer_the_filer_the_four_eyes_check_of_their_own_case(users, seed_cases, exemption_flow):
    seed_cases(12)
    four_eyes = {exemption_flow.check_completeness, exemption_flow.evaluate}
    filer_queue = lists.queue_tasks(users["officer_guet"], exemption_flow).select_related("process__case")
    reviewer_queue = lists.queue_tasks(users["reviewer_guet"], exemption_flow)
    offered_own_checks = [
        task
        for task in filer_queue
        if task.flow_task in four_eyes and task.process.case.filed_by == users["officer_guet"]
    ]
    assert offered_own_checks == []
    assert any(task.flow_task in four_eyes for task in reviewer_queue)
