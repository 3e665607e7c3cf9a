"""Every URL the exemption flow exposes, for every demo role, on an own and a foreign case.

The rule (workflows.visibility): a case the user may not see is 404 on every page; a party to the case
gets 403 on viewflow's pages (their status page is /cases/<pk>/); a supervisor may look (GET on the
detail pages) but never act (403); the institution's staff pass to viewflow's own task rules, which
may allow (200, or 302 to the next page) or refuse (403) but never 404 on their own case. Nothing 500s,
nothing a GXNU user receives names a GUET case, and a refused POST changes nothing.
"""

import pytest
from django.urls import URLResolver, reverse
from viewflow.workflow import STATUS
from viewflow.workflow.models import Process, Task

from tests.workflows.lists_fixtures import exemption_flow_fixture, flow_app_fixture, seed_cases_fixture  # noqa: F401

STAFF = {"officer_guet", "reviewer_guet", "chair_guet", "member1_guet"}
ROLES = [
    *sorted(STAFF),
    "researcher_zhang",
    "researcher_li",
    "licensee_demo",
    "officer_gxnu",
    "researcher_gxnu",
    "supervisor_city",
]
# Who sees the GUET case the tests use (researcher_zhang is its subject) and the GXNU one.
SEES = {
    "GUET": STAFF | {"researcher_zhang", "supervisor_city"},
    "GXNU": {"officer_gxnu", "researcher_gxnu", "supervisor_city"},
}
PARTIES = {"researcher_zhang", "researcher_li", "licensee_demo", "researcher_gxnu"}
LIST_NAMES = ["index", "inbox", "queue", "archive", "process_list", "task_list", "chart"]


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


@pytest.fixture
def cases_with_every_node(seed_cases, exemption_flow):
    """One GUET and one GXNU case, each with a task at every node, so every node URL has a target.

    No task is claimed, so no task form (which needs a fully filed case) renders: what is tested is
    who gets through to viewflow's own checks, not the task pages themselves (the flow tests do that).
    """
    cases = seed_cases(2)
    for case in cases:
        Task.objects.filter(process_id=case.process_id, status=STATUS.ASSIGNED).update(status=STATUS.NEW, owner=None)
        present = {task.flow_task for task in Task.objects.filter(process_id=case.process_id)}
        Task.objects.bulk_create(
            [
                Task(process_id=case.process_id, flow_task=node, flow_task_type=node.task_type, status=STATUS.NEW)
                for node in exemption_flow.instance.nodes()
                if node not in present
            ]
        )
    return {case.institution.code: case for case in cases}


def _process_urls(flow_app, case):
    """(url name, url) for every URL of the flow application that names this case's process."""
    flow = flow_app._flow_class.instance
    patterns, _app_name, _namespace = flow_app.urls
    tasks = {task.flow_task.name: task for task in Task.objects.filter(process_id=case.process_id).order_by("-pk")}
    urls = []
    for pattern in _patterns(patterns):
        converters = pattern.pattern.converters
        if "task_pk" in converters:
            node = flow.node(str(pattern.pattern).split("/")[1])
            urls.append((pattern.name, node.reverse(pattern.name, args=[case.process_id, tasks[node.name].pk])))
        elif "process_pk" in converters:
            urls.append((pattern.name, flow_app.reverse(pattern.name, args=[case.process_id])))
    return urls


def _expected_get(username, code, url_name):
    if username not in SEES[code]:
        return {404}
    if username in PARTIES:
        return {403}
    if url_name in ("process_detail", "process_chart"):
        return {200}
    if username == "supervisor_city":
        # A task's own pages show what was submitted in it: not to a supervisor, the case not being referred.
        return {403}
    return {200, 302, 403}


def _snapshot(case):
    tasks = Task.objects.filter(process_id=case.process_id).order_by("pk").values_list("pk", "status", "owner_id")
    return list(tasks), Process.objects.filter(pk=case.process_id).values_list("status", flat=True).get()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("code", ["GUET", "GXNU"])
def test_every_flow_url_answers_each_role_as_the_rule_says(client_for, flow_app, cases_with_every_node, username, code):
    case = cases_with_every_node[code]
    client = client_for(username)
    wrong = []
    for url_name, url in _process_urls(flow_app, case):
        response = client.get(url)
        if response.status_code not in _expected_get(username, code, url_name):
            wrong.append((url, response.status_code))
        if username in ("officer_gxnu", "researcher_gxnu"):
            assert cases_with_every_node["GUET"].number not in response.content.decode(), url
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(PARTIES | {"supervisor_city", "officer_gxnu"}))
def test_no_refused_post_changes_the_case(client_for, flow_app, cases_with_every_node, username):
    case = cases_with_every_node["GUET"]
    client = client_for(username)
    before = _snapshot(case)
    expected = 404 if username not in SEES["GUET"] else 403
    for _url_name, url in _process_urls(flow_app, case):
        assert client.post(url, {"_cancel_process": "1"}).status_code == expected, url
    assert _snapshot(case) == before


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_flow_lists_and_start_answer_each_role(client_for, flow_app, cases_with_every_node, exemption_flow, username):
    client = client_for(username)
    guet_number = cases_with_every_node["GUET"].number
    for name in LIST_NAMES:
        response = client.get(flow_app.reverse(name))
        assert response.status_code == (403 if username in PARTIES else 200), name
        if username in ("officer_gxnu", "researcher_gxnu"):
            assert guet_number not in response.content.decode()
    start = client.get(exemption_flow.start.reverse("execute"))
    assert start.status_code in ({200} if username in {"officer_guet", "reviewer_guet", "officer_gxnu"} else {403})


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["officer_gxnu", "researcher_gxnu"])
def test_our_case_pages_show_a_gxnu_user_no_guet_case(client_for, cases_with_every_node, username):
    client = client_for(username)
    guet = cases_with_every_node["GUET"]
    assert guet.number not in client.get(reverse("cases:index")).content.decode()
    assert client.get(reverse("cases:detail", args=[guet.pk])).status_code == 404


def _case_action_urls(case):
    """The flow's own per-case pages (workflows.urls), once mounted in the site's URLconf."""
    from workflows.steps import urls as action_urls

    urls = [
        reverse(f"{action_urls.app_name}:{pattern.name}", args=[case.pk])
        for pattern in action_urls.urlpatterns
        if "case_pk" in pattern.pattern.converters
    ]
    assert urls, "workflows.urls has no per-case pages"
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(set(ROLES) - SEES["GUET"]))
def test_the_flows_case_pages_are_404_for_whoever_may_not_see_the_case(client_for, cases_with_every_node, username):
    guet = cases_with_every_node["GUET"]
    client = client_for(username)
    for url in _case_action_urls(guet):
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 404, url
            assert guet.number not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["officer_gxnu", "supervisor_city"])
def test_bulk_claim_and_release_never_touch_a_case_out_of_reach(client_for, flow_app, cases_with_every_node, username):
    guet = cases_with_every_node["GUET"]
    task = Task.objects.filter(process_id=guet.process_id, status=STATUS.NEW, flow_task_type="HUMAN").first()
    Task.objects.filter(pk=task.pk).update(owner_permission="workflows.officer_task_exemptionprocess")
    before = _snapshot(guet)
    client = client_for(username)
    for name in ("tasks_assign", "tasks_unassign"):
        for data in ({"pk": [task.pk], "_confirm": "1"}, {"select_all": "1", "_confirm": "1"}, {"pk": [task.pk]}):
            response = client.post(flow_app.reverse(name), data)
            assert response.status_code in ({200, 302, 403} if username == "officer_gxnu" else {403}), (name, data)
            assert guet.number not in response.content.decode()
    assert _snapshot(guet) == before
