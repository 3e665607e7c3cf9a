from datetime import timedelta

import pytest
from django.db import transaction
from django.utils.translation import gettext as _

from tolerance.notifications.kinds import TASK_AVAILABLE, register_notification_kind
from tolerance.notifications.models import Notification
from tolerance.notifications.selectors import notifications_for, unread_count
from tolerance.notifications.services import notifications_mark_read, notify
from tolerance.scheduling import register_job, scheduled_job


def _notify_task(users, *names, key="task:1"):
    with transaction.atomic():
        return notify(
            recipients=[users[name] for name in names],
            kind=TASK_AVAILABLE,
            event_key=key,
            title=lambda: _("A task is waiting for you"),
            link="/cases/1/",
        )


def test_each_recipient_is_notified_once_per_event_in_their_language(users):
    written = _notify_task(users, "member1_guet", "member2_guet", "member1_guet")
    assert len(written) == 2
    assert _notify_task(users, "member1_guet", "member2_guet") == []
    assert {n.title for n in Notification.objects.all()} == {"有待办任务"}
    assert unread_count(users["member1_guet"]) == 1


def test_a_person_reads_and_marks_only_their_own(users):
    _notify_task(users, "member1_guet", "member2_guet")
    assert [n.recipient for n in notifications_for(users["member1_guet"])] == [users["member1_guet"]]
    assert notifications_mark_read(user=users["member1_guet"]) == 1
    assert unread_count(users["member1_guet"]) == 0
    assert unread_count(users["member2_guet"]) == 1


def test_a_rolled_back_transition_notifies_nobody(users):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        notify(
            recipients=[users["member1_guet"]],
            kind=TASK_AVAILABLE,
            event_key="task:2",
            title=lambda: "x",
        )
        1 / 0  # noqa: B018 — the transition fails after notifying
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_notify_refuses_outside_a_transaction(users):
    with pytest.raises(RuntimeError):
        notify(recipients=[users["member1_guet"]], kind=TASK_AVAILABLE, event_key="k", title=lambda: "x")
    assert not Notification.objects.exists()


def test_notify_refuses_unknown_kinds(users):
    with pytest.raises(LookupError), transaction.atomic():
        notify(recipients=[users["member1_guet"]], kind="no_such_kind", event_key="k", title=lambda: "x")
    with pytest.raises(ValueError):
        register_notification_kind(TASK_AVAILABLE, "another label")


def test_jobs_register_with_a_positive_interval():
    job = register_job("tests.noop", every=timedelta(minutes=5), run=lambda now: None)
    assert scheduled_job("tests.noop") is job
    with pytest.raises(ValueError):
        register_job("tests.never", every=timedelta(0), run=lambda now: None)
