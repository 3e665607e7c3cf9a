"""E-mail in tests: requests only queue it (OutboxEmail); the scheduler's job sends it."""

from django.utils import timezone

from tolerance.scheduling import scheduled_job


def send_pending_mail() -> int:
    """What the scheduler's next `notifications.email` run does: send every queued e-mail that is due
    (into `mail.outbox` under the test mail backend); returns how many went out. A test that reads
    `mail.outbox` after a change runs this first, as a user would wait for the scheduler."""
    return scheduled_job("notifications.email").run(timezone.now())
