"""The registry of periodic jobs the project's own scheduler runs (no cron).

A case type or app registers its jobs from its `ready()`/`setup.register()`:

    register_job("rectification.deadline_reminders", every=timedelta(hours=1), run=deadline_reminders_send)

`run` takes the current time (`now`, aware) and does one sweep; it must be idempotent (the same sweep
twice changes nothing more), so a restart or a second app server never doubles a reminder.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    every: timedelta
    run: Callable[[datetime], object]


_JOBS: dict[str, ScheduledJob] = {}


def register_job(name: str, *, every: timedelta, run: Callable[[datetime], object]) -> ScheduledJob:
    if every <= timedelta(0):
        raise ValueError("A job's interval must be positive.")
    job = ScheduledJob(name=name, every=every, run=run)
    _JOBS[name] = job
    return job


def scheduled_jobs() -> list[ScheduledJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def scheduled_job(name: str) -> ScheduledJob:
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"No scheduled job named {name!r}.") from None
