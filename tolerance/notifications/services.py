"""Writing notifications. Call inside the transaction of the change that causes them."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tolerance.notifications.kinds import notification_kind, notification_kinds
from tolerance.notifications.models import EmailOptOut, Notification, OutboxEmail


def recipient_language(user) -> str:
    """The language a person reads their notifications in."""
    return getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE


def recipient_address(user) -> str:
    return user.email or getattr(getattr(user, "profile", None), "email", "") or ""


def notification_url(notification: Notification) -> str:
    """The deep link of a notification: opening it marks it read and goes where it points."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("notifications:open", args=[notification.pk])


def _email_text(notification: Notification) -> str:
    parts = [notification.body] if notification.body else []
    parts.append(_("Open: %(url)s") % {"url": notification_url(notification)})
    parts.append(_("You can choose which notices you receive by e-mail on the site, under Notifications."))
    return "\n\n".join(parts)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    event_key: str,
    title: Callable[[], str],
    body: Callable[[], str] | None = None,
    link: str = "",
    case=None,
    new_event: bool = False,
) -> list[Notification]:
    """Notify each recipient once about the event `event_key`; returns the notifications newly written.

    `title` and `body` are called under each recipient's language (pass e.g. `lambda: _("…") % {...}`), so
    every person reads the notice in their own language. Inactive and duplicate recipients are skipped.
    Each notice of a person with an address also goes out by e-mail: the e-mail is queued here, in the
    same transaction, and the scheduler sends it once it commits, unless by then the person has turned
    e-mail of this kind off. `new_event` says the event happened in this very transaction (a task just
    created), so nobody can have been told of it yet and the check is skipped.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("notify must be called inside transaction.atomic with the change it announces.")
    notification_kind(kind)
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    already = set()
    if not new_event:
        already = set(
            Notification.objects.filter(recipient_id__in=people, event_key=event_key[:200]).values_list(
                "recipient_id", flat=True
            )
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
    written = Notification.objects.bulk_create(rows)
    _emails_queue(written)
    return written


def _emails_queue(notifications: list[Notification]) -> None:
    # Whether the person wants it is asked when it is sent (tolerance.notifications.delivery), not here:
    # the request reads nothing for it, and a kind turned off meanwhile is not sent either.
    emails = []
    for notification in notifications:
        address = recipient_address(notification.recipient)
        if not address:
            continue
        with translation.override(recipient_language(notification.recipient)):
            emails.append(
                OutboxEmail(
                    key=f"notification:{notification.pk}",
                    notification=notification,
                    to=address,
                    subject=notification.title,
                    body=_email_text(notification),
                )
            )
    _outbox_write(emails)


def _outbox_write(emails: list[OutboxEmail]) -> None:
    if not emails:
        return
    # Sent by the scheduler's job (tolerance.notifications.delivery), which sees the rows once the change
    # commits: the request does not wait for the mail server, and a rolled-back change sends nothing.
    OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True)


def email_queue(*, event_key: str, to: str, subject: str, body: str) -> None:
    """E-mail a mailbox that has no account here (e.g. an institution's HR office), once per event.
    Call inside the causing transaction; written in the site's language by the caller."""
    if not connection.in_atomic_block:
        raise RuntimeError("email_queue must be called inside transaction.atomic with the change it announces.")
    _outbox_write([OutboxEmail(key=f"{event_key}:{to}"[:300], to=to, subject=subject[:255], body=body)])


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when `ids` is None); returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_preferences_set(*, user, email_kinds: Iterable[str], language: str) -> None:
    """Which kinds reach `user` by e-mail (the others stay on the site only), and their language."""
    wanted = set(email_kinds)
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=kind.code) for kind in notification_kinds() if kind.code not in wanted]
        )
        profile = getattr(user, "profile", None)
        if profile is not None and profile.language != language:
            profile.language = language
            profile.save(update_fields=["language"])
