"""X1 (domain-exemption-fixes.md): the departments' joint opinions between investigation and evaluation,
through the real pages: asked by the officer, answered by each department's contact, the evaluation
waiting for the last one or for the deadline, when the missing ones read 逾期未反馈."""

import datetime

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.testcases import DemoUsersTestCase
from tests.workflows.conftest import Driver, confirmation_data, day_after
from tolerance.audit.models import AuditEvent
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.exemption.models import ExemptionStage
from workflows.exemption.policy import policy_version_current
from workflows.exemption.setup import exemption_sweep
from workflows.steps.department_opinions import DepartmentRequest


class JointOpinionsTest(DemoUsersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_policy", verbosity=0)
        policy = {code: policy_version_current(institution) for code, institution in cls.institutions.items()}
        cls.driver = Driver(cls.login, cls.users, policy)
        cls.case = cls.driver.file()
        cls.driver.done("reviewer_guet", cls.case, "check_completeness", {"result": "accepted", "reason": ""})

    @classmethod
    def login(cls, username):
        client = Client()
        client.force_login(cls.users[username])
        return client

    def page(self, username):
        return self.login(username).get(reverse("cases:detail", args=[self.case.pk])).content.decode()

    def ask(self, departments):
        url = reverse("exemption_register:joint_opinions_ask", args=[self.case.pk])
        return self.login("officer_guet").post(url, {"departments": departments})

    def answer(self, username, department, data):
        request = DepartmentRequest.objects.get(case=self.case, department=department)
        return self.login(username).post(reverse("case_actions:opinion", args=[request.pk]), data)

    def assert_evaluation_waits_for(self, departments):
        """The second officer's confirmation is refused, naming who is awaited, and changes nothing."""
        response = self.driver.act("reviewer_guet", self.case, "evaluate", confirmation_data(self.case))
        assert response.status_code == 200 and f"尚待以下部门出具意见：{departments}" in response.content.decode()
        assert not self.case.evaluations.exists()
        assert not AuditEvent.objects.filter(case_id=self.case.pk, payload__form="rule_evaluation").exists()

    def events(self):
        return AuditEvent.objects.exclude(action="auth.login").count()

    def test_the_evaluation_waits_for_every_opinion_asked(self):
        assert "征求联合研判意见" in self.page("officer_guet")
        # Bad input: nothing chosen, or a department not offered; a Chinese error and nothing changed.
        before = self.events()
        for departments, error in (([], "请至少选择一个征求意见的部门"), (["legal"], "选择一个有效的选项")):
            response = self.ask(departments)
            assert response.status_code == 200 and error in response.content.decode()
        assert not DepartmentRequest.objects.filter(case=self.case).exists() and self.events() == before
        # A researcher cannot ask.
        url = reverse("exemption_register:joint_opinions_ask", args=[self.case.pk])
        assert self.login("researcher_zhang").get(url).status_code == 403

        assert self.ask(["research", "finance"]).status_code == 302
        assert set(self.case.department_requests.values_list("department", flat=True)) == {"research", "finance"}
        assert Notification.objects.filter(case=self.case, recipient=self.users["research_guet"]).exists()
        assert AuditEvent.objects.filter(case_id=self.case.pk, payload__form="exemption_joint_opinions_asked").exists()

        self.driver.investigate(self.case)
        self.assert_evaluation_waits_for("财务处、科学技术处")

        # A department not asked does not see the case; another department asked may not answer for this
        # one; bad input is refused in Chinese and changes nothing.
        assert self.answer("hr_guet", "research", {"opinion": "agree", "text": "同意。"}).status_code == 404
        assert self.answer("finance_guet", "research", {"opinion": "agree", "text": "同意。"}).status_code == 403
        before = self.events()
        response = self.answer("research_guet", "research", {"opinion": "agree", "text": "  "})
        assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
        response = self.answer("research_guet", "research", {"opinion": "maybe", "text": "同意。"})
        assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
        assert self.events() == before
        assert not DepartmentRequest.objects.filter(case=self.case, answered_at__isnull=False).exists()

        ok = {"opinion": "agree", "text": "经核查科研项目档案，转化过程符合规定。"}
        assert self.answer("research_guet", "research", ok).status_code == 302
        self.assert_evaluation_waits_for("财务处")
        page = self.answer("research_guet", "research", ok).content.decode()
        assert "该部门已出具意见" in page
        assert (
            self.answer("finance_guet", "finance", {"opinion": "note", "text": "款项往来已核对。"}).status_code == 302
        )
        assert AuditEvent.objects.filter(case_id=self.case.pk, payload__form="exemption_opinion").count() == 2
        self.driver.done("reviewer_guet", self.case, "evaluate", confirmation_data(self.case))
        self.case.refresh_from_db()
        assert self.case.stage == ExemptionStage.COMMITTEE_REVIEW

        # Officers and the committee read the opinions; the parties never do.
        for username in ("reviewer_guet", "member1_guet"):
            assert "经核查科研项目档案" in self.page(username)
        assert "经核查科研项目档案" not in self.page("researcher_zhang")
        assert "联合研判部门意见" not in self.page("researcher_zhang")

    def test_missing_opinions_lapse_at_the_deadline(self):
        assert self.ask(["research", "audit"]).status_code == 302
        due = DepartmentRequest.objects.get(case=self.case, department="research").due_on
        # Two working days before the deadline the department still silent is reminded, once.
        day = timezone.localdate()
        while add_working_days(day, 2) < due:
            day += datetime.timedelta(days=1)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        assert exemption_sweep(at) == 2 and exemption_sweep(at) == 0
        assert Notification.objects.filter(
            case=self.case, recipient=self.users["research_guet"], event_key__endswith=":reminder"
        ).exists()

        self.driver.investigate(self.case)
        ok = {"opinion": "disagree", "text": "定价依据不足。"}
        assert self.answer("research_guet", "research", ok).status_code == 302
        self.assert_evaluation_waits_for("审计处")
        # 审计处 names no contact and never answers: once its deadline has passed, the case type's sweep
        # records it as 逾期未反馈 and the evaluation may be confirmed.
        assert exemption_sweep(day_after(due)) == 1
        audit = DepartmentRequest.objects.get(case=self.case, department="audit")
        assert audit.lapsed_at is not None and audit.answered_at is None
        event = AuditEvent.objects.get(case_id=self.case.pk, payload__change="opinions_lapsed")
        assert event.payload["departments"] == ["audit"]
        page = self.page("reviewer_guet")
        assert "逾期未反馈" in page and "定价依据不足" in page and "不同意" in page
        self.driver.done("reviewer_guet", self.case, "evaluate", confirmation_data(self.case))
