"""A failed rectification's referrals through the shared sweep (workflows.steps.referrals, the exemption's
too): a reminder before the acknowledgement is due, escalation to the officers once overdue, and the
case's archiving waits until every referral is acknowledged or escalated."""

import datetime

from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from tests.workflows.conftest import day_after, run_timers
from tests.workflows.rectification.cases import RectificationTestCase
from tolerance.audit.models import AuditEvent
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.rectification import demo
from workflows.rectification.models import RectificationStage
from workflows.steps.appeal import appeal_deadline
from workflows.steps.referrals import referrals_sweep


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


class FailedCaseReferrals(RectificationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        staff = demo.STAFF["GUET"]
        cls.case = demo.file_case(cls.institutions["GUET"], cls.users, staff, "张三无偿使用实验室资源", 0)
        # Failed: referred to 纪委办 (acknowledged by the demo) and 人事处 (awaited).
        demo.drive(cls.case, cls.users, staff, ["G09"], "failed")

    def setUp(self):
        super().setUp()
        self.hr = self.case.referrals.get(to_department="hr")

    def window_ends(self):
        run_timers(day_after(appeal_deadline(self.case)))
        self.case.refresh_from_db()

    def test_archiving_waits_until_the_last_body_acknowledges(self):
        assert self.case.referrals.get(to_department="discipline").received_at is not None
        self.window_ends()
        assert self.case.process.status != PROCESS.DONE
        assert self.driver.task(self.case, "await_referrals") is not None
        self.driver.page_done("hr_guet", "referral_ack", self.hr.pk, {"note": "已收悉，按处分规定办理。"})
        self.case.refresh_from_db()
        assert self.case.stage == RectificationStage.CLOSED and self.case.process.status == PROCESS.DONE

    def test_the_sweep_reminds_then_escalates_and_releases_the_archiving(self):
        reminders = Notification.objects.filter(
            recipient=self.users["hr_guet"], kind="rectification_referral_ack_due", case=self.case
        )
        # On the day of the decision nothing is due yet.
        assert referrals_sweep(moment(self.hr.sent_on)) == 0 and not reminders.exists()
        assert referrals_sweep(moment(self.hr.ack_due)) == 1 and reminders.count() == 1
        assert referrals_sweep(moment(self.hr.ack_due)) == 0
        self.hr.refresh_from_db()
        assert self.hr.reminded_at is not None and self.hr.escalated_at is None
        assert AuditEvent.objects.filter(
            action="notification.sent", payload__reminder="acknowledgement_due", payload__department="hr"
        ).exists()
        self.window_ends()
        assert self.driver.task(self.case, "await_referrals") is not None
        overdue = moment(add_working_days(self.hr.ack_due, 1) + datetime.timedelta(days=14))
        assert referrals_sweep(overdue) == 1 and referrals_sweep(overdue) == 0
        self.hr.refresh_from_db()
        assert self.hr.escalated_at is not None
        assert Notification.objects.filter(
            recipient=self.users["officer_guet"], kind="rectification_referral_escalated", case=self.case
        ).exists()
        assert AuditEvent.objects.filter(payload__change="acknowledgement_overdue", case_id=self.case.pk).count() == 1
        self.case.refresh_from_db()
        assert self.case.stage == RectificationStage.CLOSED and self.case.process.status == PROCESS.DONE
        # The body may still acknowledge after the escalation.
        page = self.client_for("hr_guet").get(reverse("rectification_pages:referral_ack", args=[self.hr.pk]))
        assert page.status_code == 200
