"""F14: an exemption case opened from a rectification case, filled in from it and related to it once filed,
through the real pages (the rectification case's page offers it; the filing page is pre-filled)."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.testcases import DemoUsersTestCase
from tests.workflows.conftest import Driver, pdf
from tests.workflows.rectification.conftest import Driver as RectificationDriver
from tolerance.audit.models import AuditEvent
from tolerance.models import Case, CaseType
from workflows.exemption.policy import policy_version_current
from workflows.flows import ExemptionFlow
from workflows.rectification.demo import seed_case_type_policies
from workflows.rectification.policy import catalogue_load_all


class PrefillFromRectificationTests(DemoUsersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_policy", verbosity=0)
        seed_case_type_policies(cls.institutions)
        catalogues = {code: catalogue_load_all(cls.institutions[code])[0] for code in ("GUET", "GXNU")}
        cls.policy = {code: policy_version_current(institution) for code, institution in cls.institutions.items()}
        cls.source = RectificationDriver(cls.login, cls.users, catalogues).file(
            title="张三离岗创办企业经营失败", activity_kind="leave", company_name="桂林漓江微电子科技有限公司"
        )

    @classmethod
    def login(cls, username):
        client = Client()
        client.force_login(cls.users[username])
        return client

    def start_url(self, source_pk):
        return f"{ExemptionFlow.start.reverse('execute')}?from={source_pk}"

    def test_the_rectification_case_offers_it_and_the_filing_page_is_pre_filled(self):
        officer = self.login("officer_guet")
        page = officer.get(reverse("cases:detail", args=[self.source.pk])).content.decode()
        self.assertIn(self.start_url(self.source.pk), page.replace("&amp;", "&"))
        self.assertIn("据此案件发起容错免责认定", page)
        # The researcher concerned does not file cases: no such offer on their page.
        mine = self.login("researcher_zhang").get(reverse("cases:detail", args=[self.source.pk])).content.decode()
        self.assertNotIn(self.start_url(self.source.pk), mine.replace("&amp;", "&"))
        form = officer.get(self.start_url(self.source.pk)).context["form"]
        self.assertEqual(form.initial["counterparty"], "桂林漓江微电子科技有限公司")
        self.assertEqual(form.initial["accountability_ref"], self.source.number)
        e18 = self.policy["GUET"].items.get(code="E18")
        self.assertEqual(form.initial["cited_entries"], [e18.pk])
        self.assertEqual(form.subjects.forms[0].initial["user"], self.users["researcher_zhang"].pk)

    def test_filing_it_relates_the_two_cases_on_both_sides(self):
        data = Driver(self.login, self.users, self.policy).filing_data(
            cited_entries=[self.policy["GUET"].items.get(code="E18").pk], evidence_minutes=pdf("会议纪要.pdf")
        )
        response = self.login("officer_guet").post(self.start_url(self.source.pk), data)
        self.assertEqual(response.status_code, 302)
        case = Case.objects.get(case_type=CaseType.EXEMPTION)
        self.assertEqual(list(case.related_cases.all()), [self.source])
        self.assertEqual(list(self.source.related_cases.all()), [case])
        self.assertEqual(AuditEvent.objects.filter(payload__change="related_case_added").count(), 2)
        page = self.login("officer_guet").get(reverse("cases:detail", args=[self.source.pk])).content.decode()
        self.assertIn(case.number, page)

    def test_a_source_that_cannot_open_one_is_refused_in_chinese_and_nothing_is_filed(self):
        officer = self.login("officer_guet")
        page = officer.get(self.start_url("abc"), follow=True).content.decode()
        self.assertIn("没有可据以发起认定的此编号案件", page)
        other = self.login("officer_gxnu").get(self.start_url(self.source.pk)).content.decode()
        self.assertIn("没有可据以发起认定的此编号案件", other)
        before = (Case.objects.count(), AuditEvent.objects.filter(payload__change="related_case_added").count())
        data = Driver(self.login, self.users, self.policy).filing_data()
        response = officer.post(self.start_url("abc"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("没有可据以发起认定的此编号案件", response.content.decode())
        self.assertEqual(
            (Case.objects.count(), AuditEvent.objects.filter(payload__change="related_case_added").count()), before
        )
