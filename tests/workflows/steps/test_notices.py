"""Every hand-off of a flow notifies the people concerned once, in their language, with a link that works:
driven through the sample case type's real pages, so any case type using the shared steps gets the same."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.notifications.mail import send_pending_mail
from tests.sample_case_type.models import SampleOutcome
from tests.workflows.conftest import day_after, run_timers
from tests.workflows.steps.conftest import SAMPLE_URLS
from tolerance.notifications import kinds
from tolerance.notifications.models import Notification, OutboxEmail

pytestmark = [pytest.mark.django_db, pytest.mark.urls(SAMPLE_URLS)]


def of(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


def opens(client, notification) -> str:
    """Follow the notification's own link as the recipient; returns the page it lands on."""
    response = client.get(reverse("notifications:open", args=[notification.pk]), follow=True)
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None
    return response.content.decode()


def test_each_hand_off_notifies_once_in_the_recipients_language_with_a_working_link(sample, users, client_for):
    zhang, chair, member, officer = (
        users[n] for n in ("researcher_zhang", "chair_guet", "member1_guet", "officer_guet")
    )
    zhang.profile.language = "en"
    zhang.profile.save()

    case = sample.file()
    # The chair may take the committee task: told once, in Chinese, with the case page behind the link.
    [task_notice] = of(chair, kinds.TASK_AVAILABLE)
    assert task_notice.title.startswith(f"案件 {case.number} 有新任务")
    assert case.number in opens(client_for("chair_guet"), task_notice)
    assert not of(officer, kinds.TASK_AVAILABLE)  # the filer's own step is done; nobody else's task

    sample.done("chair_guet", case, "open_review", {"agenda": "审议试验事项"})
    [round_notice] = of(member, kinds.TASK_AVAILABLE)
    assert "申报利益冲突" in round_notice.title
    assert "利益冲突" in opens(client_for("member1_guet"), round_notice)
    assert not [n for n in of(chair, kinds.TASK_AVAILABLE) if "review:" in n.event_key]  # not the one who opened it

    sample.vote(case, SampleOutcome.UPHELD)
    sample.done("chair_guet", case, "record_resolution", {"outcome": SampleOutcome.UPHELD, "text": "形成决议。"})
    [opened] = of(zhang, kinds.PUBLICITY_OPENED)
    assert opened.title.startswith(f"Case {case.number} is in publicity until")
    assert case.number in opens(client_for("researcher_zhang"), opened)
    assert of(officer, kinds.PUBLICITY_OPENED)[0].title.startswith(f"案件 {case.number} 公示")

    url = reverse("case_actions:objection_lodge", args=[case.pk])
    assert client_for("researcher_li").post(url, {"text": "申请事项与事实不符。"}).status_code == 302
    [objection_notice] = of(zhang, kinds.OBJECTION_LODGED)
    assert "李四" not in objection_notice.title + objection_notice.body  # parties never learn who objected

    run_timers(day_after(case.publicities.get().ends_on))
    assert len(of(zhang, kinds.PUBLICITY_CLOSED)) == 1
    objection = case.publicities.get().objections.get()
    assert of(officer, kinds.TASK_AVAILABLE)  # ruling on the objection
    sample.done(
        "officer_guet",
        case,
        "rule_objections",
        {f"ruling_{objection.pk}": "not_substantive", f"reason_{objection.pk}": "与事实相符。"},
    )
    send_pending_mail()  # what the earlier steps queued went out meanwhile
    mail.outbox.clear()
    sample.issue(case)
    send_pending_mail()
    [decision_notice] = of(zhang, kinds.DECISION_ISSUED)
    assert decision_notice.title.startswith("Decision ")
    [hr_notice] = of(users["hr_guet"], kinds.DECISION_ISSUED)
    assert hr_notice.title.startswith("关于案件") and not hr_notice.link
    # Each e-mail carries the deep link of its notification, on the configured public address.
    [email] = [m for m in mail.outbox if m.to == [zhang.email]]
    assert f"/notifications/{decision_notice.pk}/" in email.body
    assert OutboxEmail.objects.get(notification=decision_notice).status == "sent"

    response = client_for("researcher_zhang").post(
        reverse("case_actions:appeal", args=[case.pk]), {"reasons": "有新事实。"}
    )
    assert response.status_code == 302
    assert len(of(officer, kinds.APPEAL_LODGED)) == len(of(chair, kinds.APPEAL_LODGED)) == 1

    # Once per event: nobody has two notices of one event.
    keys = list(Notification.objects.values_list("recipient_id", "event_key"))
    assert len(keys) == len(set(keys))


def test_deadlines_remind_once_within_the_policys_working_days_and_then_say_overdue(sample, users, client_for):
    from tolerance.notifications.deadlines import deadline_notices_send
    from tolerance.working_days import add_days

    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    officer = users["officer_guet"]
    due = case.next_due
    days = [timezone.localdate() + datetime.timedelta(days=n) for n in range((due - timezone.localdate()).days)]
    # GUET's policy reminds 2 working days ahead: before that nothing, from then on one reminder.
    early = [day for day in days if add_days(day, 2, working=True) < due]
    near = next(day for day in days if add_days(day, 2, working=True) >= due)
    if early:
        assert deadline_notices_send(at(early[-1])) == 0
    assert deadline_notices_send(at(near)) >= 1
    assert deadline_notices_send(at(near)) == 0
    [reminder] = of(officer, kinds.DEADLINE_NEAR)
    assert due.isoformat() in reminder.title and case.number in opens(client_for("officer_guet"), reminder)
    deadline_notices_send(day_after(due))
    deadline_notices_send(day_after(due))
    assert len(of(officer, kinds.OVERDUE)) == 1


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
