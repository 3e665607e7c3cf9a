"""Appeal per person (issue #10 item 2): each person named in a decision appeals their own determination, and
the appeal review decides only theirs, through the real pages.

One case naming a leader (不予免责), a manager (减责) and a researcher (免责) is decided once for the class;
each test appeals it in its own rolled-back transaction.
"""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import STATUS

from tests.testcases import DemoUsersTestCase
from tests.workflows.conftest import (
    MEMBERS,
    Driver,
    confirmation_data,
    day_after,
    run_timers,
    subject_rows,
    venue_rows,
)
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from workflows.exemption.determinations import case_subjects
from workflows.exemption.models import ExemptionOutcome, ExemptionStage
from workflows.exemption.policy import policy_version_current
from workflows.exemption.tolerance_list import PolicyItemKind, PolicyVersion
from workflows.models import Appeal, CommitteeReview
from workflows.steps.appeal import appeal_deadline

# Campus-only price publicity: C3 fails for the leader and the manager, not for the researcher.
CAMPUS_ONLY = venue_rows(("unit", "", "2025-02-01", "2025-02-07"), ("", "", "", ""))
OUTCOMES = {"leader_guet": "not_exempt", "manager_guet": "reduced", "researcher_zhang": "exempt"}


class PerPersonAppealTests(DemoUsersTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("load_policy", verbosity=0)
        policy = {code: policy_version_current(institution) for code, institution in cls.institutions.items()}
        cls.driver = Driver(cls.login, cls.users, policy)
        entries = list(policy["GUET"].items.filter(kind=PolicyItemKind.ENTRY).order_by("order"))
        cls.case = cls.driver.file(
            **cls.driver.filing_data(
                cited_entries=[entries[0].pk, entries[7].pk, entries[15].pk],
                **subject_rows(
                    (cls.users["leader_guet"].pk, "分管副校长", "leader", "副校长"),
                    (cls.users["manager_guet"].pk, "定价审批责任人", "manager", "科学技术处处长"),
                    (cls.users["researcher_zhang"].pk, "项目负责人", "researcher", "教授"),
                ),
                **CAMPUS_ONLY,
            )
        )
        cls.links = {link.user.username: link for link in case_subjects(cls.case)}
        driver, case = cls.driver, cls.case
        driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
        driver.investigate(case, per_subject={"manager_guet": ((), (), ("M1",))})
        driver.done("reviewer_guet", case, "evaluate", confirmation_data(case))
        driver.through_committee(case, cls.by_key(OUTCOMES))
        run_timers(day_after(case.publicities.get().ends_on))
        driver.issue(case)
        cls.first = Decision.objects.get(case=case, kind="exemption")

    @classmethod
    def login(cls, username):
        client = Client()
        client.force_login(cls.users[username])
        return client

    @classmethod
    def by_key(cls, outcomes):
        return {cls.links[username].pk: outcome for username, outcome in outcomes.items()}

    def appeal(self, username, reasons="认定所依据的事实有误，请求复核。", client=None):
        client = client or self.login(username)
        return client.post(reverse("case_actions:appeal", args=[self.case.pk]), {"reasons": reasons})

    def window_ends(self):
        run_timers(day_after(appeal_deadline(self.case)))
        self.case.refresh_from_db()

    def test_one_person_appeals_and_the_review_changes_only_their_outcome(self):
        case = self.case
        leader_client = self.login("leader_guet")
        response = self.appeal("leader_guet", client=leader_client)
        self.assertEqual(response.status_code, 302)
        # The others judged in the same decision may still appeal theirs: the window stays open.
        case.refresh_from_db()
        self.assertEqual(case.stage, ExemptionStage.APPEAL_WINDOW)
        self.assertEqual(self.driver.task(case, "await_appeal", statuses=(STATUS.NEW,)).status, STATUS.NEW)
        self.assertIn("申请复核期于", leader_client.get(response.url).content.decode())
        manager_page = self.login("manager_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
        self.assertIn(reverse("case_actions:appeal", args=[case.pk]), manager_page)
        # A person sees the appeal against their own determination; staff see every appeal.
        self.assertNotIn("认定所依据的事实有误", manager_page)
        officer_page = self.login("officer_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
        self.assertIn("认定所依据的事实有误", officer_page)

        self.window_ends()
        self.assertEqual(case.stage, ExemptionStage.APPEAL_REVIEW)
        self.assertTrue(AuditEvent.objects.filter(case_id=case.pk, payload__change="appeal_review_begun").exists())
        self.driver.done("chair_guet", case, "open_review", {"agenda": "复核周副校长的认定"})
        self.assertTrue(CommitteeReview.objects.get(case=case, round=2).is_appeal)
        member = self.login("member1_guet")
        member.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"})
        vote_page = member.get(reverse("case_actions:vote", args=[case.pk])).content.decode()
        leader, manager = self.links["leader_guet"], self.links["manager_guet"]
        self.assertIn(f'name="outcome_{leader.pk}"', vote_page)
        self.assertNotIn(f'name="outcome_{manager.pk}"', vote_page)
        # Only the appealed person is voted on and resolved.
        vote = {f"outcome_{leader.pk}": "reduced", "reason": "新证据表明已事后报告。"}
        self.assertEqual(member.post(reverse("case_actions:vote", args=[case.pk]), vote).status_code, 302)
        self.driver.committee(case, {leader.pk: "reduced"}, voters=[name for name in MEMBERS if name != "member1_guet"])
        self.driver.done(
            "chair_guet", case, "record_resolution", {f"outcome_{leader.pk}": "reduced", "text": "复核决议。"}
        )
        review = CommitteeReview.objects.get(case=case, round=2)
        rows = {row["key"]: row for row in review.determinations}
        self.assertEqual(rows[str(leader.pk)]["outcome"], "reduced")
        self.assertTrue(rows[str(manager.pk)]["standing"])
        self.assertEqual(review.outcome, "per_subject")
        # The case page states each person's outcome of the round, the unappealed ones as standing.
        page = self.login("manager_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
        self.assertIn("吴处长：减责（未申请复核，维持原认定）", page)
        self.assertNotIn("None票", page)
        # GUET publicises an appeal review's result only where the version says so (F18): straight to issue.
        case.refresh_from_db()
        self.assertEqual(case.stage, ExemptionStage.APPEAL_REVIEW)
        self.driver.issue(case)
        second = Decision.objects.exclude(pk=self.first.pk).get(case=case, kind="exemption")
        self.assertEqual(second.supersedes_id, self.first.pk)
        stated = {row["name"]: row["outcome"] for row in second.content["subject_rows"]}
        self.assertEqual(stated, {"周副校长": "reduced", "吴处长": "reduced", "张三": "exempt"})
        self.assertIn("未申请复核", second.content["committee_resolution"])
        self.assertEqual(appeal_deadline(case), None)

    def test_an_outcome_changed_on_appeal_is_publicised_again_naming_everyone(self):
        """F18's re-publicity serves a per-person appeal: the notice lists every person, masked."""
        version = self.case.exemption.policy_version
        rules = {**version.rules, "publicity": {**version.rules["publicity"], "republicise_on_changed_outcome": True}}
        PolicyVersion.objects.filter(pk=version.pk).update(rules=rules)
        self.assertEqual(self.appeal("researcher_zhang").status_code, 302)
        self.window_ends()
        researcher = self.links["researcher_zhang"]
        self.driver.through_committee(self.case, {researcher.pk: "reduced"})
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, ExemptionStage.PUBLICITY)
        notice = self.case.publicities.order_by("-pk").first().notice_text
        with translation.override("zh-hans"):
            self.assertIn(f"张*（教授）：{ExemptionOutcome.REDUCED.label}", notice)
            self.assertIn(f"周***（副校长）：{ExemptionOutcome.NOT_EXEMPT.label}", notice)

    def test_a_second_appeal_by_the_same_person_or_one_by_a_non_subject_changes_nothing(self):
        self.assertEqual(self.appeal("manager_guet").status_code, 302)
        lodged = AuditEvent.objects.filter(action=AuditAction.APPEAL_LODGED)
        before = (Appeal.objects.count(), lodged.count())
        again = self.appeal("manager_guet", "再次申请复核。")
        self.assertEqual(again.status_code, 200)
        self.assertIn("您已就本人的认定结果申请过复核", again.content.decode())
        self.assertIn(self.appeal("researcher_li").status_code, (403, 404))
        empty = self.appeal("leader_guet", "   ")
        self.assertEqual(empty.status_code, 200)
        self.assertEqual((Appeal.objects.count(), lodged.count()), before)

    def test_when_everyone_has_appealed_the_review_starts_at_once(self):
        for username in OUTCOMES:
            self.assertEqual(self.appeal(username).status_code, 302)
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, ExemptionStage.APPEAL_REVIEW)
        self.assertIsNotNone(self.driver.task(self.case, "open_review"))
        self.assertEqual(
            set(Appeal.objects.filter(case=self.case).values_list("subject_key", flat=True)),
            {str(link.pk) for link in self.links.values()},
        )
