"""X3 (domain-exemption-fixes.md): a person concerned applies for 容错 through the portal; an officer
adopts it (the filing page pre-filled, trigger 自行申请, the number taken only then) or declines it with
a reason; the applicant is told either way. Through the real pages."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.testcases import DemoUsersTestCase
from tests.workflows.conftest import Driver, pdf, subject_rows
from tolerance.audit.models import AuditEvent
from tolerance.models import Case
from tolerance.notifications.models import Notification
from workflows.exemption.application_models import SelfApplication, SelfApplicationStatus
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyItemKind

FACTS = {
    "title": "李四：储能材料专利许可失败的容错申请",
    "result_title": "一种固态电解质制备方法（ZL202210001234.5）",
    "route": "licence",
    "counterparty": "桂林某新能源有限公司",
    "contract_number": "GUET-XK-2024-007",
    "contract_amount": "500000.00",
    "contract_signed_on": "2024-05-10",
    "failed_on": "2026-03-31",
    "failure_description": "被许可方因融资失败停止中试，许可费未能收回。",
    "loss_amount": "200000.00",
    "role_in_case": "项目负责人",
    "audience": "researcher",
    "post": "",
}


class SelfApplicationTest(DemoUsersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_policy", verbosity=0)
        cls.policy = {code: policy_version_current(institution) for code, institution in cls.institutions.items()}
        entries = cls.policy["GUET"].items.filter(kind=PolicyItemKind.ENTRY).order_by("order")
        cls.entries = [entries[15].pk, entries[18].pk]

    @classmethod
    def login(cls, username):
        client = Client()
        client.force_login(cls.users[username])
        return client

    def apply(self, username="researcher_li", **overrides):
        data = {**FACTS, "cited_entries": self.entries, "evidence_minutes": pdf("会议纪要.pdf"), **overrides}
        data = {key: value for key, value in data.items() if value is not None}
        return self.login(username).post(reverse("exemption_register:self_apply"), data)

    def written(self):
        # Logging a test client in is an audit event of its own: count the rest.
        return (SelfApplication.objects.count(), AuditEvent.objects.exclude(action="auth.login").count())

    def test_bad_applications_are_refused_in_chinese_and_change_nothing(self):
        assert "自行申请" in self.login("researcher_li").get("/").content.decode()
        assert self.login("researcher_li").get(reverse("exemption_register:self_apply")).status_code == 200
        before = self.written()
        for overrides, error in (
            ({"evidence_minutes": None}, "请附上证据材料"),
            ({"failed_on": "2024-01-01"}, "转化失败日期不能早于合同签订日期"),
            ({"cited_entries": []}, "这个字段是必填项"),
        ):
            response = self.apply(**overrides)
            assert response.status_code == 200 and error in response.content.decode(), error
        assert self.written() == before
        # A company's contact is no person concerned.
        assert self.login("licensee_demo").get(reverse("exemption_register:self_apply")).status_code == 403

    def test_an_officer_declines_with_a_reason_and_adopts_without_a_gap(self):
        assert self.apply().status_code == 302
        declined = SelfApplication.objects.get()
        assert declined.status == SelfApplicationStatus.WAITING
        assert Notification.objects.filter(recipient=self.users["officer_guet"], kind="exemption_self_application")
        assert AuditEvent.objects.filter(payload__form="exemption_self_application").exists()
        url = reverse("exemption_register:self_application", args=[declined.pk])
        # Another researcher does not see it; the applicant cannot decide on it.
        assert self.login("researcher_zhang").get(url).status_code == 404
        assert self.login("researcher_li").post(url, {"reason": "自己同意"}).status_code == 403

        officer = self.login("officer_guet")
        assert "依据本申请立案" in officer.get(url).content.decode()
        before = self.written()
        response = officer.post(url, {"reason": ""})
        assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
        assert self.written() == before
        assert officer.post(url, {"reason": "所述损失系合同约定范围内的正常经营风险，无需认定。"}).status_code == 302
        declined.refresh_from_db()
        assert declined.status == SelfApplicationStatus.DECLINED and declined.case is None
        notice = Notification.objects.get(recipient=self.users["researcher_li"], event_key__endswith=":declined")
        assert "正常经营风险" in notice.body
        assert "正常经营风险" in self.login("researcher_li").get(url).content.decode()

        assert self.apply(title="李四：储能材料专利许可失败（补充后再次申请）").status_code == 302
        adopted = SelfApplication.objects.exclude(pk=declined.pk).get()
        adopt_url = reverse("exemption_register:self_application_adopt", args=[adopted.pk])
        page = officer.get(adopt_url).content.decode()
        assert "补充后再次申请" in page and "桂林某新能源有限公司" in page
        driver = Driver(self.login, self.users, self.policy)

        def filing(subject):
            data = driver.filing_data(
                **{key: value for key, value in FACTS.items() if key not in ("role_in_case", "audience", "post")},
                cited_entries=self.entries,
                **subject_rows((self.users[subject].pk, "项目负责人")),
            )
            data.pop("evidence_minutes")  # the application's minutes count as filed
            return {**data, "title": adopted.title}

        # Dropping the applicant from the subjects is refused, and nothing is filed.
        response = officer.post(adopt_url, filing("researcher_zhang"))
        assert response.status_code == 200 and "申请人必须是本案的当事人之一" in response.content.decode()
        assert not Case.objects.exists()
        data = filing("researcher_li")
        response = officer.post(adopt_url, data)
        assert response.status_code == 302

        case = Case.objects.get()
        adopted.refresh_from_db()
        assert adopted.status == SelfApplicationStatus.ADOPTED and adopted.case == case
        # The declined application took no number: the adopted one is the year's first.
        assert case.number.endswith("-0001")
        assert case.exemption.trigger_source == "self"
        assert case.subject_links.filter(user=self.users["researcher_li"]).exists()
        assert case.attachments.filter(category="minutes", original_name="会议纪要.pdf").exists()
        assert Notification.objects.filter(recipient=self.users["researcher_li"], title__contains=case.number).exists()
        # The adopting officer filed it: a second officer checks its completeness.
        assert driver.task(case, "check_completeness") is not None
        assert "自行申请" in self.login("researcher_li").get(reverse("cases:detail", args=[case.pk])).content.decode()
