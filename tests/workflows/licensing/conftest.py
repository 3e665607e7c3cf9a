"""Driving the licensing flow through its real pages."""

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tolerance.models import Case
from workflows.licensing import demo_data
from workflows.licensing.flow import LicensingFlow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEMBERS = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]


def pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def run_timers(at: datetime.datetime):
    with mock.patch("django.utils.timezone.now", return_value=at):
        call_command("workflow_timers", verbosity=0)


def moment(day: datetime.date, hour=9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def licensing(institutions, users):
    """The type's policy, the companies with their contacts and the results ledger."""
    demo_data.seed_policies(institutions)
    return {
        "companies": demo_data.seed_companies(users),
        "results": demo_data.seed_results(institutions),
    }


class LicenceDriver:
    def __init__(self, client_for, users, licensing):
        self.client_for = client_for
        self.users = users
        self.companies = licensing["companies"]
        self.results = licensing["results"]

    def filing_data(self, **overrides):
        today = timezone.localdate()
        data = {
            "title": "雷达信号处理专利先使用后付费许可",
            "company": self.companies["licensee_demo"].pk,
            "results": [self.results["ZL202110356789.4"].pk],
            "inventors": [self.users["researcher_zhang"].pk],
            "intended_use": "用于车载毫米波雷达信号处理模块的研发与小批量生产。",
            "licence_type": "ordinary",
            "fields_of_use": "G01S",
            "territories": "450000",
            "start_on": today.isoformat(),
            "end_on": (today + datetime.timedelta(days=5 * 365)).isoformat(),
            "free_use_months": "12",
            "trigger_mode": "any_of",
            "trigger_date": (today + datetime.timedelta(days=365)).isoformat(),
            "trigger_milestone": "首批量产",
            "trigger_revenue": "",
            "payment_mode": "staged",
            "fee_total": "300000.00",
            "instalments": "3",
            "royalty_percent": "",
            "valuation_reference": "",
        }
        data.update(overrides)
        return data

    def file(self, username="officer_guet", **overrides) -> Case:
        before = set(Case.objects.values_list("pk", flat=True))
        client = self.client_for(username)
        url = LicensingFlow.start.reverse("execute")
        assert client.get(url).status_code == 200
        response = client.post(url, self.filing_data(**overrides))
        assert response.status_code == 302, response.content.decode()[:3000]
        case = Case.objects.exclude(pk__in=before).get()
        # Filing ends on the new case's page, not on viewflow's process page.
        assert response["Location"] == reverse("cases:detail", args=[case.pk])
        return case

    def task(self, case, node_name):
        return (
            Task.objects.filter(
                process_id=case.process_id,
                flow_task=getattr(LicensingFlow, node_name),
                status__in=(STATUS.NEW, STATUS.ASSIGNED),
            )
            .order_by("-pk")
            .first()
        )

    def act(self, username, case, node_name, data):
        task = self.task(case, node_name)
        assert task is not None, f"no open {node_name} task"
        client = self.client_for(username)
        node = getattr(LicensingFlow, node_name)
        if task.status == STATUS.NEW:
            response = client.post(node.reverse("assign", args=[case.process_id, task.pk]))
            if response.status_code != 302:
                return response
        url = node.reverse("execute", args=[case.process_id, task.pk])
        page = client.get(url)
        if page.status_code != 200:
            return page
        return client.post(url, data)

    def done(self, username, case, node_name, data):
        response = self.act(username, case, node_name, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    def review(self, case, username="reviewer_guet", **overrides):
        data = {"result": "accepted", "ownership_clear": "on", "inventors_consent": "on", "proceed_reason": ""}
        data.update(overrides)
        return self.act(username, case, "review", data)

    def committee(self, case, outcome="granted", members=MEMBERS):
        chair = members[0]
        self.done(chair, case, "open_review", {"agenda": "审议先使用后付费许可"})
        for username in members:
            client = self.client_for(username)
            assert (
                client.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"}).status_code
                == 302
            )
            assert (
                client.post(
                    reverse("case_actions:vote", args=[case.pk]), {"outcome": outcome, "reason": "条款合规。"}
                ).status_code
                == 302
            )
        self.done(chair, case, "record_resolution", {"outcome": outcome, "text": "经表决，同意许可。"})

    def through_publicity(self, case):
        publicity = case.publicities.order_by("-id").first()
        run_timers(moment(publicity.ends_on + datetime.timedelta(days=1)))

    def issue(self, case, username="officer_guet"):
        return self.act(
            username, case, "issue_decision", {"facts": "经查明，申请事项属实。", "reasoning": "符合政策规定。"}
        )

    def contract(self, case, username="officer_guet", **overrides):
        data = {
            "contract_number": "GUET-XK-HT-001",
            "effective_on": timezone.localdate().isoformat(),
            "contract_file": pdf("合同.pdf"),
        }
        data.update(overrides)
        return self.act(username, case, "record_contract", data)

    def granted(self, **overrides) -> Case:
        """A case filed, reviewed, approved, publicised, decided and signed: the licence in force."""
        case = self.file(**overrides)
        assert self.review(case).status_code == 302
        self.committee(case)
        self.through_publicity(case)
        assert self.issue(case).status_code == 302
        assert self.contract(case).status_code == 302
        case.refresh_from_db()
        return case


@pytest.fixture
def licence_driver(client_for, users, licensing):
    return LicenceDriver(client_for, users, licensing)
