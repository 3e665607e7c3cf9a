import datetime
import re
import threading
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import exemption_case_filed
from tests.notifications.mail import send_pending_mail
from tests.testcases import DemoUsersTestCase
from tolerance.notifications.delivery import outbox_sweep
from tolerance.notifications.kinds import PUBLICITY_OPENED, TASK_AVAILABLE
from tolerance.notifications.models import Notification, OutboxEmail
from tolerance.notifications.services import email_queue, notification_preferences_set, notify
from workflows.flows import ExemptionFlow


def _notify(users, name, kind=TASK_AVAILABLE, key="task:1"):
    with transaction.atomic():
        return notify(recipients=[users[name]], kind=kind, event_key=key, title=lambda: "标题", link="/cases/1/")


@pytest.mark.django_db
def test_the_change_only_queues_the_email_and_the_scheduler_sends_it_once(users):
    [notification] = _notify(users, "member1_guet")
    assert mail.outbox == []  # nobody waited for the mail server in the request
    assert send_pending_mail() == 1
    assert send_pending_mail() == 0
    [message] = mail.outbox
    assert message.to == [users["member1_guet"].email] and f"/notifications/{notification.pk}/" in message.body


@pytest.mark.django_db
def test_a_failed_email_is_retried_with_a_longer_wait_and_sent_once(users):
    [notification] = _notify(users, "member1_guet")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail server down")):
        assert send_pending_mail() == 0
    email = OutboxEmail.objects.get(notification=notification)
    assert (email.status, email.attempts, mail.outbox) == ("pending", 1, [])
    assert "mail server down" in email.last_error

    assert send_pending_mail() == 0  # before the retry delay: nothing
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("still down")):
        assert outbox_sweep(later) == 0
    email.refresh_from_db()
    assert email.next_attempt_at - later == datetime.timedelta(seconds=2 * settings.NOTIFICATION_EMAIL_RETRY_SECONDS)
    assert outbox_sweep(email.next_attempt_at) == 1
    assert outbox_sweep(email.next_attempt_at + datetime.timedelta(days=1)) == 0  # sent: never again
    [message] = mail.outbox
    assert message.to == [users["member1_guet"].email]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 3)


@pytest.mark.django_db
def test_a_person_can_turn_off_email_of_one_kind(users):
    notification_preferences_set(user=users["member1_guet"], email_kinds=[PUBLICITY_OPENED], language="en")
    _notify(users, "member1_guet")
    _notify(users, "member1_guet", kind=PUBLICITY_OPENED, key="publicity:1")
    send_pending_mail()
    assert [message.subject for message in mail.outbox] == ["标题"]
    assert OutboxEmail.objects.count() == 1
    users["member1_guet"].profile.refresh_from_db()
    assert users["member1_guet"].profile.language == "en"


@pytest.mark.django_db
def test_an_email_turned_off_before_the_scheduler_sends_it_is_not_sent(users):
    _notify(users, "member1_guet")
    notification_preferences_set(user=users["member1_guet"], email_kinds=[], language="en")
    assert send_pending_mail() == 0
    assert mail.outbox == [] and not OutboxEmail.objects.exists()
    assert users["member1_guet"].notifications.count() == 1  # the notice stays on the site


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_email_once(on_postgresql):
    """Two schedulers' e-mail jobs at the same moment (separate connections): each takes rows the other
    has not locked, and every e-mail goes out exactly once."""
    with transaction.atomic():
        for number in range(4):
            email_queue(event_key=f"test:{number}", to=f"hr{number}@example.cn", subject=f"通知{number}", body="正文")
    both_sending = threading.Barrier(2, timeout=10)
    first_send = threading.local()
    real_send = EmailMessage.send

    def send(message, *args, **kwargs):
        # Each sender keeps its first row locked until the other one holds a row too: they truly overlap.
        if not getattr(first_send, "done", False):
            first_send.done = True
            both_sending.wait()
        return real_send(message, *args, **kwargs)

    counts = []

    def scheduler():
        try:
            counts.append(send_pending_mail())
        finally:
            connection.close()

    with mock.patch.object(EmailMessage, "send", send):
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sum(counts) == 4 and min(counts) >= 1, counts
    assert sorted(address for message in mail.outbox for address in message.to) == [
        f"hr{number}@example.cn" for number in range(4)
    ]
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


class HandOffEmailTests(DemoUsersTestCase):
    """The e-mail of a real hand-off: in each recipient's own language, with a link that opens the case."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_policy", verbosity=0)
        reviewer = cls.users["reviewer_guet"].profile
        reviewer.language = "en"
        reviewer.save(update_fields=["language"])

    def test_each_recipient_reads_it_in_their_language_and_the_link_opens_the_case(self):
        reviewer, officer = self.users["reviewer_guet"], self.users["officer_guet"]
        case = exemption_case_filed(filed_by=officer, subjects=[self.users["researcher_zhang"]])
        send_pending_mail()
        [english] = [message for message in mail.outbox if message.to == [reviewer.email]]
        assert english.subject.startswith(f"New task on case {case.number}"), english.subject

        # The link, on the site's public address, marks the notice read and leads to the case page.
        [url] = re.findall(r"https?://\S+/notifications/\d+/", english.body)
        assert url.startswith(settings.PUBLIC_BASE_URL)
        client = self.client_for("reviewer_guet")
        response = client.get(urlsplit(url).path, follow=True)
        assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
        assert response.status_code == 200 and case.number in response.content.decode()
        assert Notification.objects.get(recipient=reviewer, case=case).read_at is not None

        # The reviewer's check hands the investigation on to the officer, who reads Chinese.
        mail.outbox.clear()
        node = ExemptionFlow.check_completeness
        task = node.flow_class.task_class.objects.get(process_id=case.process_id, flow_task=node)
        for action, data in (("assign", {}), ("execute", {"result": "accepted", "reason": ""})):
            assert client.post(node.reverse(action, args=[case.process_id, task.pk]), data).status_code == 302
        assert mail.outbox == []
        send_pending_mail()
        [chinese] = [message for message in mail.outbox if message.to == [officer.email]]
        assert chinese.subject.startswith(f"案件 {case.number} 有新任务"), chinese.subject
        assert "查看：" in chinese.body and "/notifications/" in chinese.body, chinese.body


@pytest.mark.django_db
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
