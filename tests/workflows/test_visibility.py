"""Every URL of a flow application checks case visibility; lost lock races are a 409 page."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.urls import URLResolver
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from tests.workflows.lists_fixtures import exemption_flow_fixture, flow_app_fixture, seed_cases_fixture  # noqa: F401
from workflows.visibility import processes_visible_to, tasks_visible_to


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


def _new_task(case, node):
    return Task.objects.get(process_id=case.process_id, status="NEW", flow_task=node)


def test_every_url_of_the_flow_application_is_guarded(flow_app, exemption_flow):
    patterns, _app_name, _namespace = flow_app.urls
    url_patterns = list(_patterns(patterns))
    unguarded = [
        str(pattern.pattern) for pattern in url_patterns if not hasattr(pattern.callback, "visibility_url_name")
    ]
    assert unguarded == []
    guarded_process_urls = {pattern.name for pattern in url_patterns if "process_pk" in pattern.pattern.converters}
    assert {
        "process_detail",
        "process_chart",
        "process_cancel",
        "index",
        "detail",
        "assign",
        "unassign",
        "execute",
    } <= guarded_process_urls


@pytest.mark.django_db
def test_selectors_give_each_institution_only_its_processes_and_tasks(users, seed_cases, exemption_flow):
    cases = seed_cases(6)
    guet_processes = {case.process_id for case in cases if case.institution.code == "GUET"}
    assert set(processes_visible_to(users["officer_guet"]).values_list("pk", flat=True)) == guet_processes
    assert (
        set(tasks_visible_to(users["chair_guet"], [exemption_flow]).values_list("process_id", flat=True))
        == guet_processes
    )
    assert set(processes_visible_to(users["researcher_li"])) == set()


@pytest.mark.django_db
def test_a_visible_process_cannot_open_another_processs_task(client_for, seed_cases, exemption_flow):
    guet_case, gxnu_case = seed_cases(2)
    foreign_task = Task.objects.get(process_id=gxnu_case.process_id, flow_task=exemption_flow.investigate)
    url = exemption_flow.investigate.reverse("detail", args=[guet_case.process_id, foreign_task.pk])
    assert client_for("officer_guet").get(url).status_code == 404


@pytest.mark.django_db
def test_an_invisible_case_is_404_before_any_permission_check(client_for, seed_cases, flow_app):
    guet_case, _gxnu_case = seed_cases(2)
    url = flow_app.reverse("process_detail", args=[guet_case.process_id])
    assert client_for("researcher_gxnu").get(url).status_code == 404
    assert client_for("researcher_zhang").get(url).status_code == 403
    assert client_for("officer_guet").get(url).status_code == 200


class _DeadlockDetected(Exception):
    sqlstate = "40P01"


def _deadlock():
    error = OperationalError("deadlock detected")
    error.__cause__ = _DeadlockDetected()
    return error


@pytest.mark.django_db
@pytest.mark.parametrize("conflict", [FlowLockFailed("Lock failed"), _deadlock()], ids=["lock_failed", "deadlock"])
def test_a_lost_lock_race_is_a_friendly_409_and_changes_nothing(
    client_for, seed_cases, exemption_flow, monkeypatch, conflict
):
    @contextmanager
    def contended(flow_class, process_pk):
        raise conflict
        yield

    monkeypatch.setattr(exemption_flow, "lock_impl", contended)
    case = seed_cases(1)[0]
    task = _new_task(case, exemption_flow.investigate)
    url = exemption_flow.investigate.reverse("assign", args=[case.process_id, task.pk])
    response = client_for("reviewer_guet").post(url, HTTP_REFERER="http://testserver" + url)
    assert response.status_code == 409
    assert response.context["retry_url"] == "http://testserver" + url
    task.refresh_from_db()
    assert (task.status, task.owner_id) == ("NEW", None)


@pytest.mark.django_db
def test_other_database_errors_are_not_dressed_up_as_conflicts(client_for, seed_cases, exemption_flow, monkeypatch):
    @contextmanager
    def broken(flow_class, process_pk):
        raise OperationalError("disk full")
        yield

    monkeypatch.setattr(exemption_flow, "lock_impl", broken)
    case = seed_cases(1)[0]
    task = _new_task(case, exemption_flow.investigate)
    url = exemption_flow.investigate.reverse("assign", args=[case.process_id, task.pk])
    with pytest.raises(OperationalError):
        client_for("reviewer_guet").post(url)


@pytest.mark.django_db
def test_the_409_page_never_links_to_another_site(client_for, seed_cases, exemption_flow, monkeypatch):
    @contextmanager
    def contended(flow_class, process_pk):
        raise FlowLockFailed("Lock failed")
        yield

    monkeypatch.setattr(exemption_flow, "lock_impl", contended)
    case = seed_cases(1)[0]
    task = _new_task(case, exemption_flow.investigate)
    url = exemption_flow.investigate.reverse("assign", args=[case.process_id, task.pk])
    response = client_for("reviewer_guet").post(url, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 409
    assert "evil.example" not in response.content.decode()
