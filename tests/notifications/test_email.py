import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tolerance.notifications.delivery import outbox_sweep
from tolerance.notifications.kinds import PUBLICITY_OPENED, TASK_AVAILABLE
from tolerance.notifications.models import OutboxEmail
from tolerance.notifications.services import notification_preferences_set, notify

pytestmark = pytest.mark.django_db


def _notify(users, name, kind=TASK_AVAILABLE, key="task:1"):
    with transaction.atomic():
        return notify(recipients=[users[name]], kind=kind, event_key=key, title=lambda: "标题", link="/cases/1/")


def test_a_failed_email_is_retried_by_the_sweep_and_sent_once(users, django_capture_on_commit_callbacks):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail server down")):
        with django_capture_on_commit_callbacks(execute=True):
            [notification] = _notify(users, "member1_guet")
    email = OutboxEmail.objects.get(notification=notification)
    assert (email.status, email.attempts, mail.outbox) == ("pending", 1, [])
    assert "mail server down" in email.last_error

    outbox_sweep(timezone.now())  # before the retry delay: nothing
    assert mail.outbox == []
    later = timezone.now() + datetime.timedelta(hours=1)
    assert outbox_sweep(later) == 1
    assert outbox_sweep(later + datetime.timedelta(hours=1)) == 0  # sent: never again
    [message] = mail.outbox
    assert message.to == [users["member1_guet"].email] and f"/notifications/{notification.pk}/" in message.body
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)


def test_a_person_can_turn_off_email_of_one_kind(users, django_capture_on_commit_callbacks):
    notification_preferences_set(user=users["member1_guet"], email_kinds=[PUBLICITY_OPENED], language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(users, "member1_guet")
        _notify(users, "member1_guet", kind=PUBLICITY_OPENED, key="publicity:1")
    assert [message.subject for message in mail.outbox] == ["标题"]
    assert OutboxEmail.objects.count() == 1
    users["member1_guet"].profile.refresh_from_db()
    assert users["member1_guet"].profile.language == "en"


def test_the_centre_lists_marks_read_and_sets_preferences(users, client_for):
    [notification] = _notify(users, "member1_guet")
    _notify(users, "member2_guet", key="task:2")
    client = client_for("member1_guet")
    page = client.get("/notifications/").content.decode()
    assert "标题" in page and 'class="tol-badge"' in page
    # Another's notification is not found; one's own leads to its link and is read.
    other = users["member2_guet"].notifications.get()
    assert client.get(f"/notifications/{other.pk}/").status_code == 404
    assert client.get(f"/notifications/{notification.pk}/")["Location"] == "/cases/1/"
    assert 'class="tol-badge"' not in client.get("/notifications/").content.decode()
    response = client.post("/notifications/settings/", {"email_kinds": [TASK_AVAILABLE], "language": "en"})
    assert response.status_code == 302
    assert client.post("/notifications/settings/", {"language": "xx"}).status_code == 200  # refused, beside the field
