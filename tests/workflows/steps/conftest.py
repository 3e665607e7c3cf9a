"""Driving the test-only sample case type (tests/sample_case_type) through the shared steps' real pages.

The sample type has its own stages, outcomes, decision kind and policy row; if a shared step still reached
for anything of the exemption's, these tests would see it."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.sample_case_type import urls as sample_urls
from tests.sample_case_type.case_type import CODE
from tests.sample_case_type.flows import SampleFlow
from tolerance.models import Case, CaseTypePolicy, DayCount

# Every test here runs against the site's URLs plus the sample flow's pages (`pytest.mark.urls`). Importing
# the URLconf here builds its patterns, which is what lets the sample flow's nodes reverse() their pages.
SAMPLE_URLS = sample_urls.__name__
MEMBERS = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]
PREFIXES = {"GUET": "桂电试裁", "GXNU": "广师试裁"}


@pytest.fixture
def sample_policy(institutions):
    """The sample type's policy rows: 5 days of publicity in calendar days, its own document numbers."""
    return {
        code: CaseTypePolicy.objects.create(
            institution=institutions[code],
            case_type=CODE,
            document_number_prefix=prefix,
            publicity_days=5,
            publicity_day_count=DayCount.CALENDAR,
            objection_days=3,
        )
        for code, prefix in PREFIXES.items()
    }


class SampleDriver:
    def __init__(self, client_for, users):
        self.client_for = client_for
        self.users = users

    def file(self, title="试验事项：共享步骤的通用性", username="officer_guet") -> Case:
        client = self.client_for(username)
        url = SampleFlow.start.reverse("execute")
        assert client.get(url).status_code == 200
        response = client.post(url, {"title": title, "subject": self.users["researcher_zhang"].pk})
        assert response.status_code == 302, response.content.decode()[:3000]
        return Case.objects.get(title=title)

    def task(self, case, node_name):
        return (
            Task.objects.filter(
                process_id=case.process_id,
                flow_task=getattr(SampleFlow, node_name),
                status__in=(STATUS.NEW, STATUS.ASSIGNED),
            )
            .order_by("-pk")
            .first()
        )

    def page(self, username, case, node_name):
        """Claim the task if needed; returns (client, execute url, the GET of the form page)."""
        task = self.task(case, node_name)
        assert task is not None, f"no open {node_name} task"
        client = self.client_for(username)
        node = getattr(SampleFlow, node_name)
        if task.status == STATUS.NEW:
            assert client.post(node.reverse("assign", args=[case.process_id, task.pk])).status_code == 302
        url = node.reverse("execute", args=[case.process_id, task.pk])
        return client, url, client.get(url)

    def act(self, username, case, node_name, data):
        client, url, form_page = self.page(username, case, node_name)
        assert form_page.status_code == 200 and case.number in form_page.content.decode()
        return client.post(url, data)

    def done(self, username, case, node_name, data):
        response = self.act(username, case, node_name, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    def vote(self, case, outcome, voters=MEMBERS):
        for username in voters:
            client = self.client_for(username)
            declared = client.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"})
            assert declared.status_code == 302
            cast = client.post(
                reverse("case_actions:vote", args=[case.pk]), {"outcome": outcome, "reason": "理由充分。"}
            )
            assert cast.status_code == 302, cast.content.decode()[:3000]

    def through_committee(self, case, outcome):
        self.done("chair_guet", case, "open_review", {"agenda": "审议试验事项"})
        self.vote(case, outcome)
        self.done("chair_guet", case, "record_resolution", {"outcome": outcome, "text": "经表决，形成决议。"})
        case.refresh_from_db()

    def issue(self, case):
        """Issue the decision with the text the page proposes, as an officer who accepts it would."""
        client, url, form_page = self.page("officer_guet", case, "issue_decision")
        form = form_page.context["form"]
        response = client.post(url, {name: form[name].value() for name in ("facts", "reasoning")})
        assert response.status_code == 302, response.content.decode()[:3000]
        case.refresh_from_db()

    def case_page(self, case, username="officer_guet") -> str:
        response = self.client_for(username).get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200
        return response.content.decode()


@pytest.fixture
def sample(client_for, users, sample_policy):
    return SampleDriver(client_for, users)
