import datetime

import pytest
from django.utils import timezone

from tolerance.models import ScheduledJobRun
from tolerance.scheduler import jobs_run_due
from tolerance.scheduling import _JOBS, register_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_test_jobs(monkeypatch):
    """The registry holding only the jobs a test registers."""
    monkeypatch.setattr("tolerance.scheduling._JOBS", {})
    return _JOBS


def test_each_job_runs_once_per_interval_and_a_failing_one_stops_no_other(only_test_jobs):
    ran = []
    register_job("tests.every_minute", every=datetime.timedelta(minutes=1), run=lambda now: ran.append(now))
    register_job("tests.broken", every=datetime.timedelta(minutes=1), run=lambda now: 1 / 0)
    now = timezone.now()
    assert jobs_run_due(now) == ["tests.broken", "tests.every_minute"]
    assert jobs_run_due(now + datetime.timedelta(seconds=30)) == []
    assert jobs_run_due(now + datetime.timedelta(minutes=1)) == ["tests.broken", "tests.every_minute"]
    assert len(ran) == 2
    broken = ScheduledJobRun.objects.get(name="tests.broken")
    assert broken.runs == 2 and "ZeroDivisionError" in broken.last_error
    assert ScheduledJobRun.objects.get(name="tests.every_minute").last_error == ""


def test_the_core_jobs_are_registered():
    from tolerance.scheduling import scheduled_jobs

    names = {job.name for job in scheduled_jobs()}
    assert {
        "workflow.timers",
        "audit.checkpoint",
        "uploads.pending_expire",
        "notifications.email",
        "notifications.deadlines",
    } <= names
