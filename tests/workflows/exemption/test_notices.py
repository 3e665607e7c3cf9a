"""X5: what the subjects of a 容错 case are told, through its real pages: publicity opened, an objection,
publicity closed, and the appeal window closing at the policy's working days before it does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workflows.conftest import day_after, run_timers
from tolerance.models import CaseTypePolicy
from tolerance.notifications import kinds
from tolerance.notifications.deadlines import deadline_notices_send
from tolerance.notifications.models import Notification
from tolerance.working_days import add_days

pytestmark = pytest.mark.django_db


def told(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("pk"))


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_the_subject_hears_of_publicity_objections_and_the_appeal_window_closing(driver, users, client_for):
    zhang = users["researcher_zhang"]
    case = driver.file()
    driver.to_committee(case)
    driver.through_committee(case, "exempt")
    assert len(told(zhang, kinds.PUBLICITY_OPENED)) == 1
    lodge = reverse("case_actions:objection_lodge", args=[case.pk])
    assert client_for("member1_guet").post(lodge, {"text": "有疑问。"}).status_code == 302
    assert len(told(zhang, kinds.OBJECTION_LODGED)) == 1
    publicity = case.publicities.get()
    run_timers(day_after(publicity.ends_on))
    assert len(told(zhang, kinds.PUBLICITY_CLOSED)) == 1
    objection = publicity.objections.get()
    driver.done(
        "officer_guet",
        case,
        "rule_objections",
        {f"ruling_{objection.pk}": "not_substantive", f"reason_{objection.pk}": "疑问已当面解释。"},
    )
    driver.issue(case)
    case.refresh_from_db()
    due = case.next_due
    policy = CaseTypePolicy.objects.get(institution=case.institution, case_type=case.case_type)
    assert policy.appeal_reminder_working_days == 3 != policy.reminder_working_days

    # The first day from which `due` lies within 3 working days: the day before, nothing; then one reminder.
    near = due
    while add_days(near - datetime.timedelta(days=1), 3, working=True) >= due:
        near -= datetime.timedelta(days=1)
    deadline_notices_send(at(near - datetime.timedelta(days=1)))
    assert told(zhang, kinds.DEADLINE_NEAR) == []
    deadline_notices_send(at(near))
    deadline_notices_send(at(near))
    [reminder] = told(zhang, kinds.DEADLINE_NEAR)
    assert reminder.title == f"案件 {case.number} 的复核申请期于 {due.isoformat()} 届满"
    assert due.isoformat() in reminder.body and "申请复核" in reminder.body
    response = client_for("researcher_zhang").get(reverse("notifications:open", args=[reminder.pk]), follow=True)
    assert response.status_code == 200 and case.number in response.content.decode()
