"""Sending the queued e-mails (OutboxEmail), from the scheduler (`notifications.email`, every
NOTIFICATION_EMAIL_SEND_SECONDS), never from the request that queued them: the user does not wait for
the mail server, and a mail server that is down slows no transition. While no scheduler runs, the
e-mails wait in the table; nothing is lost, they go out once one starts.

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
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tolerance.notifications.models import EmailOptOut, OutboxEmail, OutboxStatus

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


_OUTCOME_FIELDS = ["attempts", "status", "sent_at", "last_error", "next_attempt_at"]
# One sweep sends at most this many: a long backlog is worked off over several runs, each of them short.
SWEEP_LIMIT = 500


def outbox_sweep(now) -> int:
    """The scheduler's job (`notifications.email`): send the e-mails that are due; returns how many went out.

    One e-mail per transaction: it is claimed with `skip_locked` (another sender passes it by and takes
    the next), sent, and marked in that transaction, so no row stays locked longer than one send and
    none is taken twice.
    """
    muted = EmailOptOut.objects.filter(user=OuterRef("notification__recipient"), kind=OuterRef("notification__kind"))
    due = OutboxEmail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).annotate(
        muted=Exists(muted)
    )
    sent = 0
    for _turn in range(SWEEP_LIMIT):
        with transaction.atomic():
            # `of`: only the e-mail's row is locked (its notification is on the nullable side of a join).
            email = due.select_for_update(skip_locked=True, of=("self",)).order_by("next_attempt_at", "pk").first()
            if email is None:
                break
            if email.muted:  # the person turned this kind of e-mail off: the notice stays on the site only
                email.delete()
                continue
            sent += _attempt(email, now)
            email.save(update_fields=_OUTCOME_FIELDS)
    return sent
