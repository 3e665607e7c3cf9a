"""The scheduler `make run` starts ends a publicity by itself once it is due, and two schedulers at once
(two processes, as on two app servers) fire each timer once."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.sample_case_type.flows import SampleFlow
from tests.sample_case_type.models import SampleOutcome, SampleStage
from tests.workflows.conftest import day_after
from tests.workflows.steps.conftest import SAMPLE_URLS
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import ScheduledJobRun

ROOT = Path(__file__).resolve().parents[3]


def in_publicity(sample, title="试验事项：共享步骤的通用性"):
    case = sample.file(title=title)
    sample.through_committee(case, SampleOutcome.UPHELD)
    assert case.stage == SampleStage.NOTICE
    return case


@pytest.mark.django_db
@pytest.mark.urls(SAMPLE_URLS)
def test_the_scheduler_ends_a_publicity_once_it_is_due(sample):
    case = in_publicity(sample)
    ends_on = case.publicities.get().ends_on
    with mock.patch("django.utils.timezone.now", return_value=day_after(ends_on - datetime.timedelta(days=1))):
        call_command("run_scheduler", once=True, verbosity=0)
    case.refresh_from_db()
    assert case.stage == SampleStage.NOTICE
    with mock.patch("django.utils.timezone.now", return_value=day_after(ends_on)):
        call_command("run_scheduler", once=True, verbosity=0)
    case.refresh_from_db()
    assert case.stage == SampleStage.RULING


def _scheduler(database_url):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TOLERANCE_", "DATABASE_URL"))},
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tolerance.settings_test",
    }
    command = [sys.executable, "manage.py", "run_scheduler", "--once"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls(SAMPLE_URLS)
def test_two_schedulers_at_once_fire_each_timer_once(on_postgresql, sample):
    cases = [in_publicity(sample, title=f"试验事项{n}") for n in (1, 2)]
    # The publicity periods are over: their timers are due now for the schedulers' own clocks.
    timers = Task.objects.filter(flow_task=SampleFlow.publicity_period, status=STATUS.SCHEDULED)
    assert timers.count() == 2
    timers.update(scheduled=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1))

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    runners = [_scheduler(url), _scheduler(url)]
    outputs = [runner.communicate(timeout=240) for runner in runners]
    assert [runner.returncode for runner in runners] == [0, 0], outputs

    for case in cases:
        case.refresh_from_db()
        assert case.stage == SampleStage.RULING
        assert AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.PUBLICITY_CLOSED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TIMER_FIRED).count() == 2
    assert ScheduledJobRun.objects.get(name="workflow.timers").runs == 1


@pytest.mark.django_db
@pytest.mark.urls(SAMPLE_URLS)
def test_demo_time_ends_a_waiting_period_from_the_case_page_only_in_development(sample, client_for, settings):
    from django.urls import reverse

    case = in_publicity(sample)
    url = reverse("cases:demo_time", args=[case.pk])
    settings.DEMO_TIME_ENABLED = False  # as in production, where DJANGO_DEBUG is off
    assert url not in sample.case_page(case)
    assert client_for("officer_guet").post(url).status_code == 404

    settings.DEMO_TIME_ENABLED = True
    assert url in sample.case_page(case)
    assert client_for("researcher_zhang").post(url).status_code == 404  # a party may not
    assert client_for("officer_guet").post(url).status_code == 302
    case.refresh_from_db()
    assert case.stage == SampleStage.RULING
    moved = AuditEvent.objects.get(case_id=case.pk, action=AuditAction.DEMO_TIME_MOVED)
    assert moved.actor_username == "officer_guet" and moved.payload["demo"] is True
    assert "演示" in sample.case_page(case)  # the history says so


def test_production_settings_have_no_demo_time(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TOLERANCE_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="tolerance.settings", DJANGO_SECRET_KEY="x" * 50, TOLERANCE_VAR_DIR=str(tmp_path))
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEMO_TIME_ENABLED)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "False", result.stderr
