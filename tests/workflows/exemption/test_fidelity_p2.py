"""容错免责认定 P2 fixes (domain-exemption-fixes.md F06, F07, F11, F13, F15) through the real pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from tests.workflows.conftest import day_after, investigation_data, run_timers
from tests.workflows.exemption.test_per_subject import CAMPUS_ONLY, three_people, written
from tolerance.audit.models import AuditEvent
from tolerance.models import Case
from tolerance.notifications.deadlines import deadline_notices_send
from tolerance.notifications.models import Notification
from tolerance.working_days import add_working_days
from workflows.exemption.determinations import case_subjects, investigation_rows
from workflows.exemption.investigation import investigation_items
from workflows.exemption.models import ExemptionStage, Finding
from workflows.exemption.policy import policy_version_current, policy_version_save
from workflows.exemption.supplement import SUPPLEMENT_EXPIRED
from workflows.exemption.tolerance_list import PolicyStatus, PolicyVersion
from workflows.flows import ExemptionFlow

pytestmark = pytest.mark.django_db

EMERGENCY = {
    "decided_by_body": "分管副校长临机决定",
    "decided_on": "2025-01-20",
    "emergency": "yes",
    "emergency_reason": "受让方限期签约，逾期即撤回报价，无法召开领导小组会议。",
    "reported_on": "2025-01-22",
    "procedure_completed_on": "2025-02-10",
}


def rows_by_code(case):
    return {
        (row.item.code, row.subject.user.username if row.subject else None): row
        for row in investigation_rows(case, investigation_items(case), case_subjects(case))
    }


def test_a_failed_c3_without_an_emergency_forces_n8_unless_a_reason_is_given(driver, users):
    case = driver.file(**three_people(driver, users, **CAMPUS_ONLY))
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    rows = rows_by_code(case)
    leader_n8 = rows["N8", "leader_guet"]
    assert leader_n8.forced_by == ("C2", "C3") and ("N8", "researcher_zhang") not in rows
    data = investigation_data(case)
    data.pop(f"override_{leader_n8.key}")
    events = written()
    response = driver.act("officer_guet", case, "investigate", data)
    page = response.content.decode()
    assert response.status_code == 200 and "C3未满足且未记录紧急情形" in page and "无紧急情形规避集体决策或公示" in page
    assert not Finding.objects.filter(case=case).exists() and written() == events
    # The investigator finds N8 applying to the leader (the manager's reason stays): the leader is not exempt.
    data[f"holds_{leader_n8.key}"] = "yes"
    driver.done("officer_guet", case, "investigate", data)
    manager_n8 = Finding.objects.get(case=case, item__code="N8", subject__user=users["manager_guet"])
    assert not manager_n8.holds and "本人未参与定价决定" in manager_n8.note
    event = AuditEvent.objects.filter(case_id=case.pk, payload__form="investigation").get()
    assert any(f.get("override_reason") for f in event.payload["findings"] if f["item"] == "N8")


def test_an_emergency_reported_and_completed_counts_as_the_collective_decision(driver, users, client_for):
    # Bad emergency facts are refused with a Chinese error and nothing filed.
    before = (Case.objects.count(), written())
    bad = driver.filing_data(**{**EMERGENCY, "emergency_reason": ""})
    response = client_for("officer_guet").post(ExemptionFlow.start.reverse("execute"), bad)
    assert response.status_code == 200 and "请说明无法集体决策的紧急情形" in response.content.decode()
    late = driver.filing_data(**{**EMERGENCY, "reported_on": "2025-01-10"})
    response = client_for("officer_guet").post(ExemptionFlow.start.reverse("execute"), late)
    assert response.status_code == 200 and "不能早于决策日期" in response.content.decode()
    assert (Case.objects.count(), written()) == before

    case = driver.file(
        **three_people(
            driver,
            users,
            **EMERGENCY,
            trigger_source="audit",
            accountability_ref="审计〔2026〕3号",
            loss_kind="expected",
            ledger_ref="TZ-2026-07",
        )
    )
    c2 = rows_by_code(case)["C2", None]
    assert c2.computed.met and "视为已履行集体决策" in c2.computed.text
    # An emergency that excuses C2 does not force N8.
    assert rows_by_code(case)["N8", "leader_guet"].forced_by == ()
    page = client_for("officer_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "审计发现" in page and "审计〔2026〕3号" in page and "受让方限期签约" in page and "TZ-2026-07" in page
    # Reported too late for the version's working days: the emergency does not count.
    details = case.exemption
    details.reported_on = add_working_days(details.decided_on, 6)
    details.save(update_fields=["reported_on"])
    c2 = rows_by_code(case)["C2", None]
    assert not c2.computed.met and "5个工作日" in c2.computed.text
    assert rows_by_code(case)["N8", "leader_guet"].forced_by == ("C2", "C3")


def test_the_supplement_deadline_escalates_then_refuses(driver, users, client_for):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "supplement", "reason": "请补充资产评估报告。"})
    due = case.intake_reviews.get().supplement_due
    # The desk's deadline sweep reminds the filer two working days before.
    day = datetime.date.fromordinal(due.toordinal() - 1)
    while add_working_days(day, 2) > due:
        day -= datetime.timedelta(days=1)
    reminder_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    assert deadline_notices_send(reminder_at) >= 1
    assert Notification.objects.filter(case=case, recipient=users["officer_guet"], kind="deadline_near").exists()

    # GUET's version escalates: the officer gets a task, the filer a notice, the audit trail an event.
    run_timers(day_after(due))
    assert driver.task(case, "supplement") is None and driver.task(case, "decide_expired_supplement") is not None
    assert AuditEvent.objects.filter(
        case_id=case.pk, payload__change="supplement_expired", payload__consequence="escalate"
    ).exists()
    assert Notification.objects.filter(case=case, recipient=users["officer_guet"], kind=SUPPLEMENT_EXPIRED).exists()
    events = written()
    response = driver.act(
        "officer_guet",
        case,
        "decide_expired_supplement",
        {"result": "extend", "working_days": "99", "reason": "当事人申请延期。"},
    )
    assert response.status_code == 200 and "可延长1至10个工作日" in response.content.decode() and written() == events
    driver.done(
        "officer_guet",
        case,
        "decide_expired_supplement",
        {"result": "extend", "working_days": "3", "reason": "当事人申请延期。"},
    )
    assert driver.task(case, "supplement") is not None
    case.refresh_from_db()
    assert (
        case.stage == ExemptionStage.SUPPLEMENT_REQUESTED
        and case.next_due == case.intake_reviews.latest("id").supplement_due
    )

    # A version that refuses on expiry ends the case refused.
    version = case.exemption.policy_version
    version.rules = {**version.rules, "supplement": {**version.rules["supplement"], "on_expiry": "refuse"}}
    version.save(update_fields=["rules"])
    run_timers(day_after(case.next_due))
    case.refresh_from_db()
    assert case.stage == ExemptionStage.REFUSED and case.process.status == PROCESS.DONE
    assert AuditEvent.objects.filter(case_id=case.pk, payload__consequence="refuse").exists()
    page = client_for("officer_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "不予受理" in page


def test_only_an_approved_version_comes_into_force(policy, users, guet):
    draft = PolicyVersion(
        institution=guet, number=9, title="第九版", effective_from=datetime.date(2026, 1, 1), status=PolicyStatus.DRAFT
    )
    policy_version_save(version=draft, changed_by=users["admin"])
    assert policy_version_current(guet) == policy["GUET"]
    draft.status = PolicyStatus.IN_FORCE
    with pytest.raises(ValidationError) as refused:
        policy_version_save(version=draft, changed_by=users["admin"])
    assert "批准" in " ".join(refused.value.messages)
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyStatus.DRAFT
    draft.approved_by, draft.approval_doc_no, draft.approved_on = (
        "自治区教育厅",
        "桂教科函〔2026〕9号",
        datetime.date(2026, 1, 1),
    )
    policy_version_save(version=draft, changed_by=users["admin"])
    assert policy_version_current(guet) == draft


def test_a_university_leader_needs_the_external_confirmation_before_the_decision_and_publicity_may_be_off(
    driver, users, client_for
):
    leader = users["leader_guet"].pk
    data = driver.filing_data(
        cited_entries=[driver.policy["GUET"].items.get(code="E01").pk],
        **{
            "subjects-0-user": leader,
            "subjects-0-role": "分管副校长",
            "subjects-0-audience": "leader",
            "subjects-0-post": "副校长",
            "subjects-0-leadership_level": "university",
        },
    )
    case = driver.file(**data)
    # F16: this version does not publicise the result; the resolution goes straight to the decision.
    version = case.exemption.policy_version
    version.rules = {**version.rules, "publicity": {"required": False}}
    version.save(update_fields=["rules"])
    outcome = driver.to_committee(case)
    driver.through_committee(case, outcome)
    assert not case.publicities.exists() and driver.task(case, "issue_decision") is not None

    page = driver.act("officer_guet", case, "issue_decision", {"facts": "经查明……", "reasoning": "综上所述……"})
    assert page.status_code == 200 and "尚未记录自治区教育厅的确认" in page.content.decode()
    assert not case.decisions.exists()
    link = case.subject_links.get()
    url = reverse("exemption_register:external_confirmation", args=[case.pk, link.pk])
    assert (
        url
        in client_for("officer_guet")
        .get(
            ExemptionFlow.issue_decision.reverse(
                "execute", args=[case.process_id, driver.task(case, "issue_decision").pk]
            )
        )
        .content.decode()
    )
    events = written()
    bad = client_for("officer_guet").post(url, {"ref_no": "", "confirmed_on": "2026-11-20", "result": "amended"})
    assert bad.status_code == 200 and written() == events
    bad = client_for("officer_guet").post(
        url, {"ref_no": "桂教函〔2026〕8号", "confirmed_on": "2026-11-20", "result": "amended"}
    )
    assert bad.status_code == 200 and "请说明确认机关所作的变更" in bad.content.decode() and written() == events
    assert client_for("researcher_zhang").get(url).status_code == 404
    ok = {"ref_no": "桂教函〔2026〕8号", "confirmed_on": "2026-11-20", "result": "confirmed", "note": ""}
    assert client_for("officer_guet").post(url, ok).status_code == 302
    driver.issue(case)
    row = case.decisions.get(kind="exemption").content["subject_rows"][0]
    assert "自治区教育厅" in row["confirmation"] and "桂教函〔2026〕8号" in row["confirmation"]


def test_related_cases_are_shown_on_both_sides(driver, client_for):
    first, second = driver.file(), driver.file(title="同一成果的后续许可纠纷")
    officer = client_for("officer_guet")
    url = reverse("cases:relate", args=[first.pk])
    events = AuditEvent.objects.count()
    for number, message in (("GUET-MZ-1999-0001", "没有您可查看的该编号案件"), (first.number, "不能与自身关联")):
        response = officer.post(url, {"number": number})
        assert response.status_code == 400 and message in response.content.decode()
    assert AuditEvent.objects.count() == events and not first.related_cases.exists()
    assert client_for("researcher_li").post(url, {"number": second.number}).status_code == 404
    assert officer.post(url, {"number": second.number}).status_code == 302
    for case, other in ((first, second), (second, first)):
        page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert reverse("cases:detail", args=[other.pk]) in page
    assert AuditEvent.objects.filter(payload__change="related_case_added").count() == 2
