"""Driving the exemption flow through its real pages, as the users of the demo would."""

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
from workflows.exemption.determinations import case_subjects, investigation_rows
from workflows.exemption.investigation import determinations_propose, investigation_items
from workflows.exemption.policy import policy_version_current
from workflows.flows import ExemptionFlow
from workflows.models import PolicyItemKind
from workflows.steps.committee import round_determinations

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEMBERS = ["chair_guet", "member1_guet", "member2_guet", "member3_guet", "member4_guet"]


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def subject_rows(*rows, extra=3):
    """The subjects formset's fields for these (user pk, role[, audience[, post]]) rows, then `extra` empty
    rows. The audience defaults to researcher."""
    data = {"subjects-TOTAL_FORMS": str(len(rows) + extra), "subjects-INITIAL_FORMS": "0"}
    for index, (user, role, *more) in enumerate(rows):
        data[f"subjects-{index}-user"] = user
        data[f"subjects-{index}-role"] = role
        data[f"subjects-{index}-audience"] = more[0] if more else ("researcher" if user else "")
        data[f"subjects-{index}-post"] = more[1] if len(more) > 1 else ""
    return data


def venue_rows(*rows, extra=2):
    """The price-publicity formset's fields for these (kind, name, from, to) rows."""
    data = {"venues-TOTAL_FORMS": str(len(rows) + extra), "venues-INITIAL_FORMS": "0"}
    for index, (kind, name, starts_on, ends_on) in enumerate(rows):
        data.update(
            {
                f"venues-{index}-kind": kind,
                f"venues-{index}-name": name,
                f"venues-{index}-starts_on": starts_on,
                f"venues-{index}-ends_on": ends_on,
            }
        )
    return data


# A negotiated price publicised 15 calendar days in the unit and on a technology market: C3 computes as met.
FULL_PUBLICITY = venue_rows(
    ("unit", "", "2025-02-01", "2025-02-15"), ("market", "中国技术交易所", "2025-02-01", "2025-02-15")
)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.fixture
def policy(institutions):
    call_command("load_policy", verbosity=0)
    return {code: policy_version_current(institution) for code, institution in institutions.items()}


def run_timers(at: datetime.datetime):
    """`manage.py workflow_timers` as cron would run it at the moment `at`."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        call_command("workflow_timers", verbosity=0)


def day_after(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time(9)))


class Driver:
    def __init__(self, client_for, users, policy):
        self.client_for = client_for
        self.users = users
        self.policy = policy

    def filing_data(self, **overrides):
        entries = self.policy["GUET"].items.filter(kind=PolicyItemKind.ENTRY).order_by("order")
        data = {
            "title": "某型号雷达信号处理专利转让失败",
            "result_title": "一种雷达信号处理方法（ZL202110356789.4）",
            "route": "transfer",
            "counterparty": "桂林某电子科技有限公司",
            "contract_number": "GUET-ZR-2025-018",
            "contract_amount": "800000.00",
            "contract_signed_on": "2025-03-01",
            "failed_on": "2026-06-30",
            "failure_description": "受让方因下游市场需求骤降停止产业化，转让款尾款未能收回。",
            "loss_amount": "320000.00",
            "cited_entries": [entries[15].pk, entries[18].pk],
            **subject_rows((self.users["researcher_zhang"].pk, "项目负责人")),
            "pricing_method": "negotiated",
            "objections_received": "no",
            **FULL_PUBLICITY,
            "evidence_minutes": pdf("会议纪要.pdf"),
            "evidence_publicity": pdf("公示记录.pdf"),
            "evidence_cause": pdf("失败原因说明.pdf"),
        }
        data.update(overrides)
        return data

    def file(self, username="officer_guet", **overrides) -> Case:
        before = set(Case.objects.values_list("pk", flat=True))
        client = self.client_for(username)
        assert client.get(ExemptionFlow.start.reverse("execute")).status_code == 200
        response = client.post(ExemptionFlow.start.reverse("execute"), self.filing_data(**overrides))
        assert response.status_code == 302, response.content.decode()[:3000]
        return Case.objects.exclude(pk__in=before).get()

    def task(self, case, node_name, statuses=(STATUS.NEW, STATUS.ASSIGNED)):
        return (
            Task.objects.filter(
                process_id=case.process_id, flow_task=getattr(ExemptionFlow, node_name), status__in=statuses
            )
            .order_by("-pk")
            .first()
        )

    def act(self, username, case, node_name, data):
        """Claim the task if needed and submit its form; returns the execute response."""
        task = self.task(case, node_name)
        assert task is not None, f"no open {node_name} task"
        client = self.client_for(username)
        node = getattr(ExemptionFlow, node_name)
        if task.status == STATUS.NEW:
            response = client.post(node.reverse("assign", args=[case.process_id, task.pk]))
            if response.status_code != 302:
                return response
        url = node.reverse("execute", args=[case.process_id, task.pk])
        form_page = client.get(url)
        if form_page.status_code != 200:
            return form_page
        assert case.number in form_page.content.decode()
        return client.post(url, data)

    def done(self, username, case, node_name, data):
        response = self.act(username, case, node_name, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    def investigate(
        self, case, *, failing_conditions=(), negatives=(), mitigating=(), per_subject=None, username="officer_guet"
    ):
        """Submit the investigation: conditions met unless failing, other items holding when listed.
        `per_subject` maps a username to its own (failing, negatives, mitigating) for that person's rows."""
        self.done(
            username,
            case,
            "investigate",
            investigation_data(case, failing_conditions, negatives, mitigating, per_subject),
        )

    def committee(self, case, outcome, *, voters=MEMBERS, recused=()):
        """Every voter votes `outcome` (or, per person, the outcomes of a {case subject pk: outcome} dict)."""
        for username in MEMBERS:
            client = self.client_for(username)
            if username in recused:
                url = reverse("case_actions:conflict_declare", args=[case.pk])
                assert client.post(url, {"conflicted": "yes", "note": "与当事人系近亲属"}).status_code == 302
            elif username in voters:
                url = reverse("case_actions:conflict_declare", args=[case.pk])
                assert client.post(url, {"conflicted": "no"}).status_code == 302
                url = reverse("case_actions:vote", args=[case.pk])
                data = {**outcome_fields(case, outcome), "reason": "事实清楚，证据充分。"}
                assert client.post(url, data).status_code == 302

    def through_committee(self, case, outcome, **kwargs):
        self.done("chair_guet", case, "open_review", {"agenda": "审议容错免责申请"})
        self.committee(case, outcome, **kwargs)
        data = {**outcome_fields(case, outcome), "text": "经表决，形成决议。"}
        self.done("chair_guet", case, "record_resolution", data)

    def to_committee(self, case, **findings):
        self.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
        self.investigate(case, **findings)
        self.done("reviewer_guet", case, "evaluate", confirmation_data(case))
        return _proposal(case)

    def issue(self, case):
        self.done("officer_guet", case, "issue_decision", {"facts": "经查明……", "reasoning": "综上所述……"})


def _proposal(case):
    """The case's proposal; per person ({case subject pk: outcome}) when they differ."""
    proposals = determinations_propose(case)
    outcomes = {p.subject.pk if p.subject else None: p.evaluation.proposal for p in proposals}
    return outcomes.popitem()[1] if len(set(outcomes.values())) == 1 else outcomes


def outcome_fields(case, outcome) -> dict:
    """The vote or resolution fields: one outcome for a case judged once, one per person otherwise."""
    keys = [key for key, _label in round_determinations(case)]
    if keys == [""]:
        return {"outcome": outcome}
    return {f"outcome_{key}": outcome[int(key)] if isinstance(outcome, dict) else outcome for key in keys}


def investigation_data(case, failing=(), negatives=(), mitigating=(), per_subject=None) -> dict:
    evidence = case.attachments.order_by("pk")
    minutes = next((a for a in evidence if a.category == "minutes"), evidence.first())
    data = {}
    rows = investigation_rows(case, investigation_items(case), case_subjects(case))
    for row in rows:
        if row.not_applicable:
            continue
        item = row.item
        own = (per_subject or {}).get(row.subject.user.username if row.subject else None)
        failing_, negatives_, mitigating_ = own if own is not None else (failing, negatives, mitigating)
        if item.kind == PolicyItemKind.CONDITION:
            holds = item.code not in failing_
        elif item.kind == PolicyItemKind.NEGATIVE:
            holds = item.code in negatives_
        else:
            holds = item.code in mitigating_
        if row.computed is not None:  # the investigator keeps what the system computed
            holds = row.computed.met
        data[f"holds_{row.key}"] = "yes" if holds else "no"
        data[f"note_{row.key}"] = f"{item.title}：经核查{'属实' if holds else '不成立'}。"
        data[f"evidence_{row.key}"] = [minutes.pk]
        if row.forced_by and not holds:  # N8 after a failed C2/C3: the investigator says why it does not apply
            data[f"override_{row.key}"] = "本人未参与定价决定。"
    return data


def confirmation_data(case, overrides=None) -> dict:
    """The evaluation form confirming every proposal (with what each outcome needs)."""
    data = {}
    for proposal in determinations_propose(case):
        suffix = f"_{proposal.subject.pk}" if proposal.subject else ""
        outcome = proposal.evaluation.proposal
        data[f"outcome{suffix}"] = outcome
        data[f"override_reason{suffix}"] = ""
        if outcome == "reduced" and suffix:
            data[f"reduction{suffix}"] = "lighter"
            data[f"scope{suffix}"] = ["内部考核扣分"]
            data[f"remaining{suffix}"] = "其余责任按学校规定处理。"
        if proposal.evaluation.correction_required:
            data[f"correction{suffix}"] = "补充完善转化过程记录，三十日内提交。"
    data.update(overrides or {})
    return data


@pytest.fixture
def driver(client_for, users, policy):
    return Driver(client_for, users, policy)
