"""Driving the rectification flow through its real pages, as the users of the demo would."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.workflows.conftest import pdf
from tolerance.models import Case
from workflows.rectification import demo
from workflows.rectification.demo import seed_case_type_policies, uscc_valid
from workflows.rectification.flow import RectificationFlow
from workflows.rectification.policy import catalogue_load_all

MEMBERS = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]
CONTACTS = {
    "hr": "hr_guet",
    "research": "research_guet",
    "discipline": "discipline_guet",
    "assets": "assets_guet",
    "finance": "finance_guet",
}
USCC = uscc_valid("91450300MA5K8R3X0")


@pytest.fixture
def catalogues(institutions):
    seed_case_type_policies(institutions)
    return {
        code: catalogue_load_all(institution)[0]
        for code, institution in institutions.items()
        if code in ("GUET", "GXNU")
    }


def at(day: datetime.date, hour=9):
    """Pretend the clock says `day` (the services and sweeps read timezone.now)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


class Driver:
    def __init__(self, client_for, users, catalogues):
        self.client_for = client_for
        self.users = users
        self.catalogues = catalogues

    def declaration(self, **overrides):
        data = {
            "title": "张三在职创办企业未经审批",
            "activity_kind": "own_venture",
            "company_name": "桂林漓江微电子科技有限公司",
            "company_uscc": USCC,
            "role": "法定代表人",
            "equity_percent": "30.00",
            "started_on": "2022-03-01",
            "ended_on": "",
            "account": "2022年3月起在该公司任法定代表人并持股30%，未办理在职创办审批。",
        }
        data.update(overrides)
        return data

    def file(self, username="officer_guet", **overrides) -> Case:
        before = set(Case.objects.values_list("pk", flat=True))
        data = {
            **self.declaration(),
            "subject": self.users["researcher_zhang"].pk,
            "lead_source": "annual_check",
            "declared_on": timezone.localdate().isoformat(),
            "files": pdf("自查申报表.pdf"),
            **overrides,
        }
        client = self.client_for(username)
        assert client.get(RectificationFlow.start.reverse("execute")).status_code == 200
        response = client.post(RectificationFlow.start.reverse("execute"), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return Case.objects.exclude(pk__in=before).get()

    def declare(self, username="researcher_zhang", **overrides):
        """The researcher's self-declaration through the portal page; returns the response."""
        return self.client_for(username).post(reverse("rectification_pages:declare"), self.declaration(**overrides))

    def task(self, case, node_name):
        return (
            Task.objects.filter(
                process_id=case.process_id,
                flow_task=getattr(RectificationFlow, node_name),
                status__in=[STATUS.NEW, STATUS.ASSIGNED],
            )
            .order_by("-pk")
            .first()
        )

    def act(self, username, case, node_name, data):
        task = self.task(case, node_name)
        assert task is not None, f"no open {node_name} task"
        client = self.client_for(username)
        node = getattr(RectificationFlow, node_name)
        if task.status == STATUS.NEW:
            response = client.post(node.reverse("assign", args=[case.process_id, task.pk]))
            if response.status_code != 302:
                return response
        url = node.reverse("execute", args=[case.process_id, task.pk])
        page = client.get(url)
        if page.status_code != 200:
            return page
        assert case.number in page.content.decode()
        return client.post(url, data)

    def done(self, username, case, node_name, data):
        response = self.act(username, case, node_name, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    def page(self, username, name, pk, data):
        return self.client_for(username).post(reverse(f"rectification_pages:{name}", args=[pk]), data)

    def page_done(self, username, name, pk, data):
        response = self.page(username, name, pk, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    def accept(self, case):
        self.done("reviewer_guet", case, "check_acceptance", {"result": "accepted", "reason": ""})

    def opinions(self, case):
        for request in case.department_requests.all():
            self.page_done(
                CONTACTS[request.department],
                "opinion",
                request.pk,
                {"opinion": "agree", "text": "经核对档案，情况属实。"},
            )

    def verify(self, case, *, false_declaration=False):
        self.done(
            "officer_guet",
            case,
            "verify",
            {
                "facts_verified": "经工商登记与人事档案核对，申报属实。",
                "discrepancies": "申报未列明代持股份。" if false_declaration else "",
                "false_declaration": "yes" if false_declaration else "no",
            },
        )

    def gap_rows(self, *rows, extra=2):
        data = {"gaps-TOTAL_FORMS": str(len(rows) + extra), "gaps-INITIAL_FORMS": "0"}
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"gaps-{index}-{key}"] = value
        return data

    def gap(self, code="G01", verifier="hr", deadline=20, **overrides):
        return {
            "code": code,
            "finding": "在职创办企业未经学校审批。",
            "severity": "general",
            "remedy": "补办审批并进行校内公示。",
            "deadline": str(deadline),
            "verifier": verifier,
            **overrides,
        }

    def classify(self, case, *rows, negatives=()):
        data = self.gap_rows(*rows)
        data["negative_codes"] = list(negatives)
        return self.act("officer_guet", case, "classify", data)

    def committee(self, case, outcome):
        self.done("chair_guet", case, "open_review", {"agenda": "审议合规整改事项"})
        for username in MEMBERS:
            client = self.client_for(username)
            assert (
                client.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"}).status_code
                == 302
            )
            response = client.post(
                reverse("case_actions:vote", args=[case.pk]), {"outcome": outcome, "reason": "事实清楚。"}
            )
            assert response.status_code == 302, response.content.decode()[:2000]
        self.done("chair_guet", case, "record_resolution", {"outcome": outcome, "text": "经表决，形成决议。"})

    def to_plan(self, case, *rows, negatives=(), false_declaration=False):
        """Acceptance, opinions, verification, the gap list and its confirmation: the case is before the committee."""
        self.accept(case)
        self.opinions(case)
        self.verify(case, false_declaration=false_declaration)
        response = self.classify(case, *(rows or [self.gap()]), negatives=negatives)
        assert response.status_code == 302, response.content.decode()[:3000]
        self.confirm(case)

    def confirm(self, case):
        """The second officer confirms the gap list and the subject confirms it too: before the committee."""
        self.done("reviewer_guet", case, "confirm_gaps", {"confirmed": "yes", "reason": ""})
        self.page_done("researcher_zhang", "statement", case.pk, {"confirmed": "yes", "text": ""})

    def to_rectifying(self, case, *rows):
        self.to_plan(case, *rows)
        self.committee(case, "plan_approved")
        self.done("officer_guet", case, "issue_notice", {"confirm": "on"})

    def submit(self, case, item, username="researcher_zhang"):
        self.page_done(username, "evidence", item.pk, {"note": "已补办审批并公示。", "files": pdf("审批表.pdf")})

    def review(self, item, accepted=True, username=None, note=""):
        """As `username`, or as each verifying department in turn (a return ends the round)."""
        data = {"accepted": "yes" if accepted else "no", "note": note or "材料齐全。"}
        if username:
            self.page_done(username, "review", item.pk, data)
            return
        for verifier in item.verifiers.order_by("pk"):
            item.refresh_from_db()
            verifier.refresh_from_db()
            if item.status != "submitted" or verifier.accepted_at:
                continue
            self.page_done(CONTACTS.get(verifier.department, "officer_guet"), "review", item.pk, data)

    def issue(self, case):
        self.done("officer_guet", case, "issue_decision", {"facts": "经查明……", "reasoning": "综上所述……"})


@pytest.fixture
def driver(client_for, users, catalogues):
    return Driver(client_for, users, catalogues)


@pytest.fixture
def rectifying(institutions, users, catalogues):
    """A GUET case with one G01 item under way, reached from code (the stage's own pages are under test)."""
    staff = demo.STAFF["GUET"]
    case = demo.file_case(institutions["GUET"], users, staff, "张三在职创办企业未经审批", 0)
    demo.drive(case, users, staff, ["G01"], "rectifying")
    case.refresh_from_db()
    return case
