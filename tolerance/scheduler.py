"""Running the registered jobs (tolerance.scheduling) on their intervals: `manage.py run_scheduler`.

Several schedulers may run at once (one per app server, or a second one started by mistake): each job
runs under a lock of its own — a PostgreSQL advisory lock, or on SQLite a file lock — and, holding it,
checks in the shared ScheduledJobRun row that nobody ran it less than its interval ago. So every due
run happens once, whichever process gets there first.
"""

import contextlib
import fcntl
import hashlib
import logging
import time
import traceback
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tolerance.models import ScheduledJobRun
from tolerance.scheduling import ScheduledJob, scheduled_jobs

logger = logging.getLogger(__name__)


def _advisory_key(name: str) -> int:
    """A stable signed 64-bit key per job name (PostgreSQL's advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(f"tolerance.job:{name}".encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def job_lock(name: str):
    """Yields True if this process holds the job's lock (until the block ends), False if another does."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    lock_dir = settings.SCHEDULER_LOCK_DIR
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def job_run_if_due(job: ScheduledJob, now: datetime) -> bool:
    """Run `job` if it is due and no other scheduler holds it; returns whether it ran here."""
    with job_lock(job.name) as held:
        if not held:
            return False
        with transaction.atomic():
            record, _created = ScheduledJobRun.objects.select_for_update().get_or_create(name=job.name)
            if record.last_started_at is not None and now < record.last_started_at + job.every:
                return False
            record.last_started_at = now
            record.runs += 1
            record.save(update_fields=["last_started_at", "runs"])
        error = ""
        try:
            job.run(now)
        except Exception:  # one failing job must not stop the others; it is tried again next interval
            logger.exception("Scheduled job %s failed", job.name)
            error = traceback.format_exc()[-4000:]
        ScheduledJobRun.objects.filter(name=job.name).update(last_finished_at=timezone.now(), last_error=error)
        return True


def jobs_run_due(now: datetime | None = None) -> list[str]:
    """One pass over every registered job; returns the names of those run."""
    now = now or timezone.now()
    return [job.name for job in scheduled_jobs() if job_run_if_due(job, now)]


def scheduler_loop(*, tick_seconds: float, stop=lambda: False) -> None:
    while not stop():
        jobs_run_due()
        # Outside a request nothing closes the connection: drop it if it broke or aged, as requests do.
        connection.close_if_unusable_or_obsolete()
        time.sleep(tick_seconds)
