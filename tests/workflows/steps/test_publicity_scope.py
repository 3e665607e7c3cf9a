"""F16: a notice's scope decides who reads it on the publicity board and who may object online.

Four GUET cases about 张三 (信息与通信学院) are in publicity at once, one per scope; each reader sees exactly
the notices their scope reaches, through the real board, the public page and the objection page.
"""

import datetime

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import FiledCaseFactory, ResearcherFactory
from tests.testcases import DemoUsersTestCase
from tolerance.models import CaseType
from workflows.exemption.policy import policy_version_save
from workflows.exemption.tolerance_list import PolicyVersion
from workflows.steps.models import Objection, Publicity, PublicityScope


class PublicityScopeTests(DemoUsersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        officer = cls.users["officer_guet"]
        today = timezone.localdate()
        cls.cases = {}
        for scope in PublicityScope.values:
            case = FiledCaseFactory(
                institution=officer.profile.institution,
                case_type=CaseType.EXEMPTION,
                title=f"公示范围为{scope}的案件",
                filed_by=officer,
                subjects=[cls.users["researcher_zhang"]],
            )
            # Seed data: a notice open today, as publicity_open leaves one.
            Publicity.objects.create(
                case=case,
                scope=scope,
                notice_text=f"公示通知：{scope}范围。",
                starts_on=today,
                ends_on=today + datetime.timedelta(days=7),
                objections_until=today + datetime.timedelta(days=5),
            )
            cls.cases[scope] = case
        # A colleague of 张三's school, who is neither staff nor a party.
        cls.colleague = ResearcherFactory(institution=officer.profile.institution, department="信息与通信学院")

    def board(self, user) -> str:
        client = Client()
        client.force_login(user)
        return client.get(reverse("case_actions:publicity_board")).content.decode()

    def seen(self, page: str) -> set[str]:
        return {scope for scope, case in self.cases.items() if case.number in page}

    def test_each_reader_sees_the_notices_their_scope_reaches(self):
        everyone = set(PublicityScope.values)
        expected = {
            "researcher_li": {"public", "institution"},  # another school, no role on the committee
            "researcher_zhang": everyone,  # the person concerned reads every notice about them
            "member1_guet": everyone,
            "officer_guet": everyone,
            "officer_gxnu": {"public"},  # another institution: only what is published to the public
        }
        for username, scopes in expected.items():
            self.assertEqual(self.seen(self.board(self.users[username])), scopes, username)
        self.assertEqual(self.seen(self.board(self.colleague)), {"public", "institution", "department"})
        self.assertIn("委员会内", self.board(self.users["member1_guet"]))

    def test_the_public_page_needs_no_sign_in_and_shows_only_public_notices(self):
        anonymous = Client()
        page = anonymous.get(reverse("case_actions:public_notices"))
        self.assertEqual(page.status_code, 200)
        self.assertEqual(self.seen(page.content.decode()), {"public"})
        self.assertIn("社会公示", page.content.decode())
        self.assertEqual(anonymous.get(reverse("case_actions:publicity_board")).status_code, 302)

    def test_an_objection_from_outside_the_scope_is_refused_and_nothing_is_recorded(self):
        client = Client()
        client.force_login(self.users["researcher_li"])
        before = Objection.objects.count()
        for scope in ("department", "committee"):
            url = reverse("case_actions:objection_lodge", args=[self.cases[scope].pk])
            self.assertEqual(client.post(url, {"text": "定价偏低。"}).status_code, 404)
        self.assertEqual(Objection.objects.count(), before)
        url = reverse("case_actions:objection_lodge", args=[self.cases["institution"].pk])
        self.assertEqual(client.post(url, {"text": "定价偏低。"}).status_code, 302)
        # Someone of another institution objects online to a notice published to the public.
        gxnu = Client()
        gxnu.force_login(self.users["officer_gxnu"])
        url = reverse("case_actions:objection_lodge", args=[self.cases["public"].pk])
        self.assertEqual(gxnu.post(url, {"text": "社会公众意见。"}).status_code, 302)
        self.assertEqual(Objection.objects.count(), before + 2)

    def test_a_version_naming_an_unknown_scope_is_refused(self):
        version = PolicyVersion(
            institution=self.institutions["GUET"],
            number=90,
            title="测试版本",
            effective_from=datetime.date(2030, 1, 1),
            status="draft",
            rules={"publicity": {"scope": "全省"}},
        )
        with self.assertRaises(ValidationError) as refused:
            policy_version_save(version=version, changed_by=self.users["officer_guet"])
        self.assertIn("未知的公示范围“全省”", str(refused.exception))
        self.assertFalse(PolicyVersion.objects.filter(number=90).exists())
