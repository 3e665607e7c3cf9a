"""陈述与确认 through the real pages: the subject confirms the notified gap list, or states a view the office
answers before the plan (sending the list back once at most); silence past the period is confirmation."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.workflows.rectification.cases import RectificationTestCase
from tolerance.audit.models import AuditEvent
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.rectification import statement
from workflows.rectification.models import GapStatement, RectificationStage, StatementKind


def _last_event():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _forms_after(last):
    events = AuditEvent.objects.filter(pk__gt=last).exclude(
        action__in=["auth.login", "auth.access_denied", "task.assigned"]
    )
    return [e.payload.get("form") or e.payload.get("change") or e.action for e in events]


class StatementStage(RectificationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        driver = cls.class_driver()
        cls.case = driver.file()
        driver.accept(cls.case)
        driver.opinions(cls.case)
        driver.verify(cls.case)
        assert driver.classify(cls.case, driver.gap()).status_code == 302
        driver.done("reviewer_guet", cls.case, "confirm_gaps", {"confirmed": "yes", "reason": ""})

    def statement_page(self, username="researcher_zhang", data=None):
        url = reverse("rectification_pages:statement", args=[self.case.pk])
        client = self.client_for(username)
        return client.post(url, data) if data is not None else client.get(url)

    def test_the_gap_notice_opens_the_period_and_the_subject_sees_it(self):
        case = self.case
        case.refresh_from_db()
        assert case.stage == RectificationStage.STATEMENT
        assert case.next_due == add_working_days(case.decisions.get(kind="rectification_gap_notice").issue_date, 5)
        assert Notification.objects.filter(recipient=self.users["researcher_zhang"], kind="rectification_statement")
        page = self.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
        assert reverse("rectification_pages:statement", args=[case.pk]) in page
        assert case.next_due.strftime("%Y-%m-%d") in page
        form = self.statement_page().content.decode()
        assert "G01" in form and "在职创办企业未经学校审批。" in form
        # The committee cannot open its review yet.
        assert self.driver.task(case, "open_review") is None

    def test_the_subject_confirms_and_the_plan_goes_to_the_committee(self):
        last = _last_event()
        response = self.statement_page(data={"confirmed": "yes", "text": ""})
        assert response.status_code == 302
        self.case.refresh_from_db()
        assert self.case.stage == RectificationStage.COMMITTEE_REVIEW
        assert self.case.gap_statements.get().kind == StatementKind.CONFIRMED
        assert self.driver.task(self.case, "open_review") is not None
        assert "rectification_statement" in _forms_after(last)
        # Once answered, the page says so and a second answer changes nothing.
        again = self.statement_page(data={"confirmed": "no", "text": "再次陈述。"})
        assert again.status_code == 200 and "没有等待" in again.content.decode()
        assert self.case.gap_statements.count() == 1

    def test_bad_input_and_other_people_change_nothing(self):
        last = _last_event()
        response = self.statement_page(data={"confirmed": "no", "text": ""})
        assert response.status_code == 200 and "请说明你对哪些问题有异议及理由" in response.content.decode()
        response = self.statement_page(data={"confirmed": "maybe", "text": ""})
        assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
        assert self.statement_page("officer_guet", {"confirmed": "yes", "text": ""}).status_code == 403
        assert self.statement_page("researcher_li", {"confirmed": "yes", "text": ""}).status_code == 404
        self.case.refresh_from_db()
        assert self.case.stage == RectificationStage.STATEMENT and not GapStatement.objects.exists()
        assert _forms_after(last) == []

    def test_a_statement_is_answered_by_the_office_before_the_plan(self):
        text = "G01所涉企业已于2023年经学院口头同意，请予核实。"
        assert self.statement_page(data={"confirmed": "no", "text": text}).status_code == 302
        case = self.case
        case.refresh_from_db()
        assert case.stage == RectificationStage.STATEMENT_ANSWER
        assert self.driver.task(case, "open_review") is None
        assert Notification.objects.filter(recipient=self.users["officer_guet"], kind="rectification_statement")
        page = self.driver.act("officer_guet", case, "answer_statement", {"answer": "", "reopens": "no"})
        assert page.status_code == 200 and "必填项" in page.content.decode()
        assert case.gap_statements.get().answered_at is None
        # The officer's task page shows the statement.
        task = self.driver.task(case, "answer_statement")
        url = self.driver.task(case, "answer_statement").flow_task.reverse("execute", args=[case.process_id, task.pk])
        assert text in self.client_for("officer_guet").get(url).content.decode()
        self.driver.done(
            "officer_guet", case, "answer_statement", {"answer": "经核实，无书面审批记录，维持认定。", "reopens": "no"}
        )
        case.refresh_from_db()
        statement_row = case.gap_statements.get()
        assert case.stage == RectificationStage.COMMITTEE_REVIEW and not statement_row.reopens
        assert self.driver.task(case, "open_review") is not None
        page = self.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
        assert "维持认定" in page and text in page

    def test_the_office_sends_the_gap_list_back_once(self):
        driver, case = self.driver, self.case
        driver.page_done("researcher_zhang", "statement", case.pk, {"confirmed": "no", "text": "认定有误。"})
        driver.done("officer_guet", case, "answer_statement", {"answer": "重新认定。", "reopens": "yes"})
        case.refresh_from_db()
        assert case.stage == RectificationStage.CLASSIFICATION and driver.task(case, "classify") is not None
        assert driver.classify(case, driver.gap(code="G02", verifier="discipline")).status_code == 302
        driver.done("reviewer_guet", case, "confirm_gaps", {"confirmed": "yes", "reason": ""})
        case.refresh_from_db()
        assert case.stage == RectificationStage.STATEMENT
        assert case.decisions.filter(kind="rectification_gap_notice").count() == 2
        driver.page_done("researcher_zhang", "statement", case.pk, {"confirmed": "no", "text": "仍有异议。"})
        refused = driver.act("officer_guet", case, "answer_statement", {"answer": "再次退回。", "reopens": "yes"})
        assert refused.status_code == 200 and "已退回过一次" in refused.content.decode()
        driver.done("officer_guet", case, "answer_statement", {"answer": "维持认定。", "reopens": "no"})
        case.refresh_from_db()
        assert case.stage == RectificationStage.COMMITTEE_REVIEW

    def test_silence_past_the_period_is_confirmation(self):
        case = self.case
        case.refresh_from_db()
        due = case.next_due
        subject_notices = Notification.objects.filter(
            recipient=self.users["researcher_zhang"], kind="rectification_statement"
        )
        assert subject_notices.count() == 1
        # On the last day: one reminder (an audit event with its nominal date), the period still runs.
        for _run in range(2):
            statement.statement_sweep(moment(due))
        assert subject_notices.count() == 2
        assert (
            AuditEvent.objects.filter(
                action="notification.sent", payload__reminder="statement_due", payload__due_on=due.isoformat()
            ).count()
            == 1
        )
        case.refresh_from_db()
        assert case.stage == RectificationStage.STATEMENT
        # The day after, silence is confirmation, once.
        for _run in range(2):
            statement.statement_sweep(moment(due + datetime.timedelta(days=1)))
        case.refresh_from_db()
        assert case.stage == RectificationStage.COMMITTEE_REVIEW
        assert case.gap_statements.get().kind == StatementKind.DEEMED
        assert self.driver.task(case, "open_review") is not None
        assert AuditEvent.objects.filter(payload__change="rectification_statement_deemed").count() == 1
        page = self.client_for("researcher_zhang").get(f"/cases/{case.pk}/").content.decode()
        assert "视为确认" in page


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
