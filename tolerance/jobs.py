"""The core's periodic jobs, run by `manage.py run_scheduler` (tolerance.scheduler); no cron."""

import logging
from datetime import timedelta

from django.conf import settings

from tolerance.scheduling import register_job

logger = logging.getLogger(__name__)

# How long a held upload waits for its form to be resubmitted (as `pending_uploads_expire` by default).
PENDING_UPLOAD_LIFETIME = timedelta(hours=24)


def workflow_timers_fire(now) -> int:
    """What `manage.py workflow_timers` does: due timers, timed starts, conditions (viewflow's own)."""
    from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

    return fire_due_timers() + fire_due_start_timers() + fire_due_conditions()


def audit_checkpoint_sign(now):
    from tolerance.audit.checkpoints import CheckpointKeyError, checkpoint_make

    try:
        return checkpoint_make(if_changed=True)
    except CheckpointKeyError as error:
        # No signing key configured (e.g. a fresh development copy): say so, keep the other jobs running.
        logger.warning("Audit checkpoint skipped: %s", error)
        return None


def pending_uploads_remove(now) -> int:
    from tolerance.services.pending_uploads import pending_uploads_expire

    return pending_uploads_expire(older_than=PENDING_UPLOAD_LIFETIME)


def register() -> None:
    from tolerance.notifications.deadlines import deadline_notices_send
    from tolerance.notifications.delivery import outbox_sweep

    register_job("workflow.timers", every=timedelta(minutes=1), run=workflow_timers_fire)
    register_job(
        "notifications.email", every=timedelta(seconds=settings.NOTIFICATION_EMAIL_SEND_SECONDS), run=outbox_sweep
    )
    register_job("notifications.deadlines", every=timedelta(hours=1), run=deadline_notices_send)
    register_job("audit.checkpoint", every=timedelta(minutes=10), run=audit_checkpoint_sign)
    register_job("uploads.pending_expire", every=timedelta(hours=1), run=pending_uploads_remove)
