"""Sending the queued e-mails (OutboxEmail): right after the causing transaction commits, and again from
the scheduler's sweep for whatever failed or was left behind.

Never twice: each e-mail is sent while its row is locked (`skip_locked`: a second sender passes it by)
and marked sent in that same transaction, so a concurrent or later sweep finds it sent. The Message-ID
is fixed per e-mail, so even a resend after a crash between the mail server's acceptance and our
commit is recognisable as the same message.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from tolerance.notifications.models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)


def _message(email: OutboxEmail) -> EmailMessage:
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    domain = settings.PUBLIC_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": f"<{digest}@{domain}>"},
    )


def _retry_delay(attempts: int) -> timedelta:
    # Doubling waits: a mail server down for an hour is not hammered, a brief failure is soon retried.
    return timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _attempt(email: OutboxEmail, now) -> bool:
    """Send one locked e-mail and note the outcome on it (saved by the caller); True if it went out."""
    email.attempts += 1
    try:
        _message(email).send()
    except Exception as error:  # any transport failure is retried; the notice itself is on the site
        logger.warning("E-mail %s failed (attempt %s): %s", email.key, email.attempts, error)
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
            email.status = OutboxStatus.FAILED
        else:
            email.next_attempt_at = now + _retry_delay(email.attempts)
        return False
    email.status = OutboxStatus.SENT
    email.sent_at = timezone.now()
    return True


def _commit_without_flush_wait() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL record reaches the disk: the
    request that queued the e-mail does not wait for a second flush. A crash in that instant forgets the
    'sent' mark, and the sweep resends with the same Message-ID (as after any crash mid-send)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


_OUTCOME_FIELDS = ["attempts", "status", "sent_at", "last_error", "next_attempt_at"]


def outbox_send(*, keys=None, now=None) -> int:
    """Send the due e-mails (only those named by `keys` if given); returns how many went out.

    With `keys` (the few e-mails one transaction just queued, sent right after it commits) they are locked,
    sent and marked together: four statements whatever their number. A crash between the mail server's
    acceptance and that commit resends the batch with the same Message-IDs. The sweep (no `keys`) takes
    one e-mail per transaction, so a long backlog never holds many rows locked at once.
    """
    now = now or timezone.now()
    due = OutboxEmail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    if keys is not None:
        with transaction.atomic():
            _commit_without_flush_wait()
            emails = list(due.filter(key__in=list(keys)).select_for_update(skip_locked=True).order_by("pk"))
            sent = sum(_attempt(email, now) for email in emails)
            OutboxEmail.objects.bulk_update(emails, _OUTCOME_FIELDS)
        return sent
    sent = 0
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            email = due.select_for_update(skip_locked=True).filter(pk=pk).first()
            if email is None:
                continue
            sent += _attempt(email, now)
            email.save(update_fields=_OUTCOME_FIELDS)
    return sent


def outbox_sweep(now) -> int:
    """The scheduler's job: retry what is due."""
    return outbox_send(now=now)
