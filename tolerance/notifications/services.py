"""Writing notifications. Call inside the transaction of the change that causes them."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from tolerance.notifications.kinds import notification_kind
from tolerance.notifications.models import Notification


def recipient_language(user) -> str:
    """The language a person reads their notifications in."""
    return getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE


def notify(
    *,
    recipients: Iterable,
    kind: str,
    event_key: str,
    title: Callable[[], str],
    body: Callable[[], str] | None = None,
    link: str = "",
    case=None,
) -> list[Notification]:
    """Notify each recipient once about the event `event_key`; returns the notifications newly written.

    `title` and `body` are called under each recipient's language (pass e.g. `lambda: _("…") % {...}`), so
    every person reads the notice in their own language. Inactive and duplicate recipients are skipped.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("notify must be called inside transaction.atomic with the change it announces.")
    notification_kind(kind)
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    already = set(
        Notification.objects.filter(recipient_id__in=people, event_key=event_key).values_list("recipient_id", flat=True)
    )
    rows = []
    for user_id, user in people.items():
        if user_id in already:
            continue
        with translation.override(recipient_language(user)):
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    event_key=event_key[:200],
                    case=case,
                    title=str(title())[:255],
                    body=str(body()) if body is not None else "",
                    link=link,
                )
            )
    return Notification.objects.bulk_create(rows)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when `ids` is None); returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
