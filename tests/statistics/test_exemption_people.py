"""X4: the people's figures of 容错免责认定 on the statistics page, its exports and the annual report —
outcomes by audience, appeals, referrals and 纠错 orders — exact for each institution's officer (their
own cases only) and masked for the supervisor."""

import datetime

from django.test import Client, TestCase
from django.urls import reverse

from tests.factories import (
    CaseFactory,
    ExemptionDetailsFactory,
    PolicyItemFactory,
    PolicyVersionFactory,
    ResearcherFactory,
)
from tests.statistics.test_statistics import _decision, _on, _tables
from tolerance import demo
from tolerance.audit.models import AuditEvent
from tolerance.models import CaseSubject
from tolerance.statistics.annual import annual_tables
from tolerance.statistics.rollup import statistics_rollup_build
from workflows.exemption.demo import seed_case_type_policies
from workflows.exemption.determinations import subject_name
from workflows.exemption.models import CorrectionOrder, RuleEvaluation, SubjectDetermination
from workflows.exemption.policy import policy_version_current
from workflows.steps.models import Appeal, CommitteeReview
from workflows.steps.referrals import Referral

YEAR = 2025


def _decided(case, officer, people, *, issued):
    """A case decided on `issued`: an earlier evaluation (superseded, all not exempt) and the latest one
    with each person's (audience, outcome); returns the decision and the subjects."""
    version = PolicyVersionFactory(institution=case.institution)
    subjects = []
    for audience, _outcome in people:
        subject = CaseSubject.objects.create(
            case=case, user=ResearcherFactory(institution=case.institution), audience=audience
        )
        subjects.append(subject)
    for outcomes in (["not_exempt"] * len(people), [outcome for _audience, outcome in people]):
        evaluation = RuleEvaluation.objects.create(
            case=case, policy_version=version, proposal="per_subject", outcome="per_subject", confirmed_by=officer
        )
        for subject, outcome in zip(subjects, outcomes, strict=True):
            SubjectDetermination.objects.create(
                evaluation=evaluation, subject=subject, audience=subject.audience, proposal=outcome, outcome=outcome
            )
    return _decision(case, outcome="per_subject", issued=issued), subjects


class ExemptionPeopleStatisticsTest(TestCase):
    """GUET 2025: case A (issued 20 Oct) — two researchers exempt, one manager not exempt; case B (issued
    3 Nov) — one researcher exempt. A's manager appealed and was referred to 纪检 (acknowledged). 纠错:
    A's researchers due 1 Nov, done 30 Oct (on time) and 5 Nov (late); B's researcher due 10 Nov, not done
    (overdue on 15 Dec). GXNU 2025: case D — one researcher exempt, one leader reduced."""

    @classmethod
    def setUpTestData(cls):
        institutions = demo.seed_institutions()
        seed_case_type_policies(institutions)
        cls.users = demo.seed_users(institutions)
        guet, gxnu = institutions["GUET"], institutions["GXNU"]
        cls.guet = guet
        officer = cls.users["officer_guet"]
        a, b = (CaseFactory(institution=guet, filed_by=officer, year=YEAR, subjects=[]) for _ in range(2))
        decision_a, (r1, r2, manager) = _decided(
            a,
            officer,
            [("researcher", "exempt"), ("researcher", "exempt"), ("manager", "not_exempt")],
            issued=datetime.date(2025, 10, 20),
        )
        decision_b, (r3,) = _decided(b, officer, [("researcher", "exempt")], issued=datetime.date(2025, 11, 3))
        appeal = Appeal.objects.create(case=a, subject_key=str(manager.pk), lodged_by=manager.user, reasons="复核理由")
        # lodged_at is stamped on creation: dated back to the case's year, as a real appeal would be.
        Appeal.objects.filter(pk=appeal.pk).update(lodged_at=datetime.datetime(2025, 10, 25, 9, tzinfo=datetime.UTC))
        Referral.objects.create(
            case=a,
            decision=decision_a,
            subject=manager,
            to_department="discipline",
            outcome="not_exempt",
            ack_due=datetime.date(2025, 11, 1),
            received_at=datetime.datetime(2025, 10, 28, 9, tzinfo=datetime.UTC),
        )
        due = datetime.date(2025, 11, 1)
        for subject, done in ((r1, datetime.date(2025, 10, 30)), (r2, datetime.date(2025, 11, 5))):
            CorrectionOrder.objects.create(
                case=a, decision=decision_a, subject=subject, items="整改", due=due, done_on=done
            )
        CorrectionOrder.objects.create(
            case=b, decision=decision_b, subject=r3, items="整改", due=datetime.date(2025, 11, 10)
        )
        d = CaseFactory(institution=gxnu, filed_by=cls.users["officer_gxnu"], year=YEAR, subjects=[])
        _decided(
            d,
            cls.users["officer_gxnu"],
            [("researcher", "exempt"), ("leader", "reduced")],
            issued=datetime.date(2025, 9, 1),
        )
        # Entries cited: A relies on E1 and E2, B on E1, D (GXNU) on its own G1.
        e1, e2 = (PolicyItemFactory(version=PolicyVersionFactory(institution=guet), code=code) for code in ("E1", "E2"))
        cls.names = [subject_name(link) for link in (r1, r2, manager)] + [manager.user.get_username()]
        ExemptionDetailsFactory(
            case=a,
            cited_entries=[e1, e2],
            failure_description=f"{cls.names[0]}与{cls.names[2]}（{cls.names[3]}）转让的专利未能实施，合同解除。",
        )
        ExemptionDetailsFactory(case=b, cited_entries=[e1])
        ExemptionDetailsFactory(
            case=d, cited_entries=[PolicyItemFactory(version=PolicyVersionFactory(institution=gxnu), code="G1")]
        )
        cls.titles = {item.code: item.title for item in (e1, e2)}
        # 组织机构和制度建设: GUET's list in force approved by 桂电发〔2025〕8号; its committee resolved A and B at
        # one sitting on 15 Oct and A's appeal round on 10 Nov — two meetings; a round left open is none.
        version = policy_version_current(guet, on=datetime.date(2025, 12, 31))
        version.approval_doc_no = "桂电发〔2025〕8号"
        version.save(update_fields=["approval_doc_no"])
        cls.version = version
        for case, number, resolved in (
            (a, 1, "2025-10-15 09:00"),
            (b, 1, "2025-10-15 15:00"),
            (a, 2, "2025-11-10 10:00"),
            (b, 2, None),
        ):
            CommitteeReview.objects.create(
                case=case,
                round=number,
                opened_by=officer,
                # A's second round is the review of its appeal.
                is_appeal=(case, number) == (a, 2),
                resolved_at=datetime.datetime.fromisoformat(f"{resolved}+08:00") if resolved else None,
            )
        with _on(datetime.date(2025, 12, 15)):
            statistics_rollup_build()

    def _client(self, username):
        client = Client()
        client.force_login(self.users[username])
        return client

    def _page(self, username):
        return _tables(self._client(username).get(reverse("statistics:page")))

    def test_an_officer_sees_the_hand_computed_figures_of_their_own_institution(self):
        guet = self._page("officer_guet")
        # Columns: audience, exempt, reduced, not exempt, people. Only the latest evaluation counts.
        audiences = {row[0]: row[1:] for row in guet["exemption_audiences"]}
        self.assertEqual(audiences["科研人员"], [3, 0, 0, 3])
        self.assertEqual(audiences["管理人员"], [0, 0, 1, 1])
        self.assertEqual(audiences["领导人员"], [0, 0, 0, 0])
        self.assertEqual(guet["exemption_cited"], [[f"E1 {self.titles['E1']}", 2], [f"E2 {self.titles['E2']}", 1]])
        self.assertEqual(guet["exemption_appeals"], [["已复核决定", 1], ["待复核", 0]])
        self.assertEqual(guet["exemption_referrals"], [["纪检监察机构", 1, 1]])
        corrections = {row[0]: row[1:] for row in guet["exemption_corrections"]}
        self.assertEqual(corrections["按期完成纠错"], [1, 50])
        self.assertEqual(corrections["逾期完成纠错"], [1, 50])
        self.assertEqual(corrections["逾期未纠错"], [1, None])

        # GXNU's officer: D only, none of GUET's people, appeals, referrals or orders.
        gxnu = self._page("officer_gxnu")
        audiences = {row[0]: row[1:] for row in gxnu["exemption_audiences"]}
        self.assertEqual(audiences["科研人员"], [1, 0, 0, 1])
        self.assertEqual(audiences["领导人员"], [0, 1, 0, 1])
        self.assertEqual(audiences["管理人员"], [0, 0, 0, 0])
        self.assertEqual([row[0][:2] for row in gxnu["exemption_cited"]], ["G1"])
        self.assertEqual(gxnu["exemption_appeals"], [["已复核决定", 0], ["待复核", 0]])
        self.assertEqual(gxnu["exemption_referrals"], [])
        self.assertEqual({row[1] for row in gxnu["exemption_corrections"]}, {0})

    def test_the_export_and_the_annual_report_state_the_same_figures(self):
        csv = self._client("officer_guet").get(reverse("statistics:export", args=["exemption_audiences", "csv"]))
        self.assertEqual(csv.status_code, 200)
        lines = csv.content.decode("utf-8-sig").splitlines()
        self.assertIn("科研人员,3,0,0,3", lines)
        self.assertIn("管理人员,0,0,1,1", lines)
        tables = {
            table.key: table.rows
            for table in annual_tables(self.users["officer_guet"], institution=self.guet, year=YEAR)
        }
        audiences = {row[0]: row[1:] for row in tables["exemption_audiences"]}
        self.assertEqual(audiences["科研人员"], [3, 0, 0, 3])
        self.assertEqual(audiences["管理人员"], [0, 0, 1, 1])
        self.assertEqual(tables["exemption_cited"][0][1], 2)
        self.assertEqual(tables["exemption_appeals"], [["已复核决定", 1], ["待复核", 0]])
        self.assertEqual(tables["exemption_referrals"], [["纪检监察机构", 1, 1]])
        (organisation,) = tables["exemption_organisation"]
        self.assertEqual(organisation[0], self.guet.name_zh)
        self.assertEqual(organisation[1], f"{self.version.title} v{self.version.number}")
        self.assertEqual((organisation[2], organisation[4]), ("桂电发〔2025〕8号", 2))

    def test_a_supervisor_sees_every_institution_with_small_counts_masked(self):
        supervisor = self._page("supervisor_city")
        audiences = {row[0]: row[1:] for row in supervisor["exemption_audiences"]}
        # Researchers exempt: GUET's 3 and GXNU's 1 = 4, shown; the one manager and the one leader masked.
        self.assertEqual(audiences["科研人员"][0], 4)
        self.assertEqual(audiences["管理人员"][2], "<3")
        self.assertEqual(audiences["领导人员"][1], "<3")
        self.assertEqual(supervisor["exemption_appeals"][0][1], "<3")
        csv = self._client("supervisor_city").get(reverse("statistics:export", args=["exemption_referrals", "csv"]))
        self.assertIn("<3", csv.content.decode("utf-8-sig"))

    def test_the_typical_cases_export_names_nobody_and_is_for_the_officers_only(self):
        register = self._client("officer_guet").get(reverse("exemption_register:register")).content.decode()
        self.assertIn(reverse("exemption_register:typical_cases", args=["xlsx"]), register)
        response = self._client("officer_guet").get(reverse("exemption_register:typical_cases", args=["csv"]))
        self.assertEqual(response.status_code, 200)
        text = response.content.decode("utf-8-sig")
        lines = text.splitlines()
        # A header and GUET's two decided cases in the order issued (A 20 Oct, B 3 Nov); none of GXNU's.
        self.assertEqual(len(lines), 3)
        self.assertIn("当事人1与当事人3（当事人3）转让的专利未能实施", lines[1])
        self.assertIn("当事人3（管理人员）：不予免责", lines[1])
        self.assertIn("E1 ", lines[2])
        for name in self.names:
            self.assertNotIn(name, text)
        event = AuditEvent.objects.filter(action="export.made").latest("id")
        self.assertEqual((event.payload["what"], event.payload["rows"]), ("exemption:typical_cases", 2))
        xlsx = self._client("officer_guet").get(reverse("exemption_register:typical_cases", args=["xlsx"]))
        self.assertEqual(xlsx.status_code, 200)
        for username in ("supervisor_city", "researcher_zhang"):
            refused = self._client(username).get(reverse("exemption_register:typical_cases", args=["csv"]))
            self.assertEqual(refused.status_code, 403)
