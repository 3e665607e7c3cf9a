"""Pages whose query count must not grow with the number of cases or tolerance-list items."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PolicyItemFactory
from tests.workflows.conftest import investigation_data
from tests.workflows.lists_fixtures import exemption_flow_fixture, flow_app_fixture, seed_cases_fixture  # noqa: F401
from workflows.flows import ExemptionFlow
from workflows.models import PolicyItemKind, Publicity

pytestmark = pytest.mark.django_db


def _queries(client, method, url, data=None, status=200):
    getattr(client, method)(url, data or {})  # warm: permission caches, content types
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == status, response.content.decode()[:2000]
    return len(captured)


def _in_publicity(cases):
    today = timezone.localdate()
    for case in cases:
        Publicity.objects.create(
            case=case,
            notice_text=f"Notice of {case.number}.",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=7),
            objections_until=today + datetime.timedelta(days=5),
        )


def test_the_publicity_board_costs_the_same_queries_with_more_cases(client_for, seed_cases):
    researcher = client_for("researcher_zhang")
    url = reverse("case_actions:publicity_board")
    _in_publicity(seed_cases(4))
    small = _queries(researcher, "get", url)
    _in_publicity(seed_cases(20))
    response = researcher.get(url)
    assert response.content.decode().count("Notice of ") == 12  # the GUET half of 24 seeded cases
    assert _queries(researcher, "get", url) == small


def _investigation_url(driver, case):
    task = driver.task(case, "investigate")
    client = driver.client_for("officer_guet")
    client.post(ExemptionFlow.investigate.reverse("assign", args=[case.process_id, task.pk]))
    return client, ExemptionFlow.investigate.reverse("execute", args=[case.process_id, task.pk])


def _rejected_findings(case):
    """Evidence picked for every item, but no answers: the form is re-rendered with its errors."""
    evidence = case.attachments.first()
    items = case.exemption.policy_version.items.exclude(kind=PolicyItemKind.ENTRY)
    return {f"evidence_{item.pk}": [evidence.pk] for item in items}


def test_the_investigation_form_costs_the_same_queries_with_more_items(driver):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    client, url = _investigation_url(driver, case)
    shown = _queries(client, "get", url)
    rejected = _queries(client, "post", url, _rejected_findings(case))

    version = case.exemption.policy_version
    PolicyItemFactory.create_batch(10, version=version, kind=PolicyItemKind.MITIGATING)

    assert _queries(client, "get", url) == shown
    assert _queries(client, "post", url, _rejected_findings(case)) == rejected


def _investigated_queries(driver, client_for):
    """Statements of a successful investigation submit (the case moves on to the evaluation)."""
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    client, url = _investigation_url(driver, case)
    data = investigation_data(case)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.findings.count() == len([key for key in data if key.startswith("holds_")])
    return len(captured)


def test_the_investigation_submit_costs_the_same_statements_with_more_items(driver, client_for):
    before = _investigated_queries(driver, client_for)
    assert before <= INVESTIGATION_STATEMENTS, before
    PolicyItemFactory.create_batch(10, version=driver.policy["GUET"], kind=PolicyItemKind.MITIGATING)
    assert _investigated_queries(driver, client_for) == before


# The statements of the steps bench/transitions_bench.py compares with bare Viewflow, as measured on SQLite
# (docs/benchmarks.md has the PostgreSQL figures): a change that adds any fails here, to be justified or cut.
# A change of stage costs 3 (close the open spell, open the next, the case row: the open spell's entry day is on
# the case); the search text is computed once, at filing; the locked process comes with its case.
# A new task's notice costs three: its candidates with their roles (one query), the notice and its e-mail row;
# the scheduler sends the e-mail (asking then whether the person wants it), outside the request.
FILING_STATEMENTS = 55
CLAIM_STATEMENTS = 16
EXECUTE_STATEMENTS = 34
# Issues 10 and 16 ask at most 40 whatever the number of items.
INVESTIGATION_STATEMENTS = 39


def _counted(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data or {})
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(captured)


def test_filing_and_a_claim_and_execute_cost_no_more_statements_than_measured(driver):
    officer = driver.client_for("officer_guet")
    url = ExemptionFlow.start.reverse("execute")
    officer.get(url)  # warm: content types, the form's choices
    case = driver.file()  # and the year's number row: the filing counted is not the year's first
    filing = _counted(officer, url, driver.filing_data())
    task = driver.task(case, "check_completeness")
    reviewer = driver.client_for("reviewer_guet")
    node = ExemptionFlow.check_completeness
    claim = _counted(reviewer, node.reverse("assign", args=[case.process_id, task.pk]))
    execute = _counted(reviewer, node.reverse("execute", args=[case.process_id, task.pk]), {"result": "accepted"})
    assert driver.task(case, "investigate") is not None
    counted = {"filing": filing, "claim": claim, "execute": execute}
    assert filing <= FILING_STATEMENTS and claim <= CLAIM_STATEMENTS and execute <= EXECUTE_STATEMENTS, counted
