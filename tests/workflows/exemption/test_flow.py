"""The exemption flow end to end through its real pages."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from tests.notifications.mail import send_pending_mail
from tests.workflows.conftest import day_after, pdf, run_timers
from tolerance.decisions.models import Decision
from workflows.exemption.models import ExemptionStage
from workflows.exemption.tolerance_list import PolicyVersion
from workflows.models import Appeal, CommitteeReview, ExemptionOutcome, Objection, ObjectionRuling
from workflows.steps.appeal import appeal_deadline

pytestmark = pytest.mark.django_db


def through_publicity(driver, case):
    publicity = case.publicities.get()
    run_timers(day_after(publicity.ends_on))
    case.refresh_from_db()
    return publicity


@pytest.mark.parametrize(
    "findings,outcome",
    [
        ({}, ExemptionOutcome.EXEMPT),
        ({"failing_conditions": ["C4"], "mitigating": ["M3"]}, ExemptionOutcome.REDUCED),
        ({"negatives": ["N3"]}, ExemptionOutcome.NOT_EXEMPT),
    ],
)
def test_each_outcome_from_filing_to_decision(driver, users, findings, outcome):
    case = driver.file()
    assert case.stage == ExemptionStage.COMPLETENESS_CHECK and case.process_id
    assert driver.to_committee(case, **findings) == outcome
    driver.through_committee(case, outcome)
    case.refresh_from_db()
    assert case.stage == ExemptionStage.PUBLICITY
    through_publicity(driver, case)
    assert case.stage == ExemptionStage.DECISION
    send_pending_mail()  # what the earlier steps queued went out meanwhile
    mail.outbox.clear()
    driver.issue(case)
    send_pending_mail()
    decision = Decision.objects.get(case=case)
    assert decision.outcome == outcome
    case.refresh_from_db()
    assert case.stage == ExemptionStage.APPEAL_WINDOW and case.next_due == decision.appeal_deadline
    recipients = {address for message in mail.outbox for address in message.to}
    assert {users["researcher_zhang"].email, case.institution.hr_contact_email} <= recipients
    mentions_career = any("职称评聘" in message.body for message in mail.outbox)
    assert mentions_career is (outcome == ExemptionOutcome.EXEMPT)
    assert driver.task(case, "await_appeal") is not None


def test_return_for_supplement_and_resubmission(driver):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "supplement", "reason": "缺少估值报告。"})
    case.refresh_from_db()
    assert case.stage == ExemptionStage.SUPPLEMENT_REQUESTED and case.next_due is not None
    task = driver.task(case, "supplement")
    assert task.owner == case.filed_by
    assert driver.act("reviewer_guet", case, "supplement", {"note": "x"}).status_code == 403
    driver.done("officer_guet", case, "supplement", {"note": "已补充估值报告。", "files": pdf("估值报告.pdf")})
    assert case.attachments.filter(category="supplement").count() == 1
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    case.refresh_from_db()
    assert case.stage == ExemptionStage.INVESTIGATION
    assert driver.task(case, "investigate") is not None


def test_refusal_ends_the_process(driver):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "refused", "reason": "不属于容错认定范围。"})
    case.refresh_from_db()
    assert case.stage == ExemptionStage.REFUSED
    assert case.process.status == PROCESS.DONE


def test_the_filer_cannot_check_completeness_nor_confirm_the_evaluation(driver):
    case = driver.file()
    response = driver.act("officer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    assert response.status_code == 403
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    driver.investigate(case)
    response = driver.act("officer_guet", case, "evaluate", {"outcome": "exempt", "override_reason": ""})
    assert response.status_code == 403


def test_committee_tasks_only_for_that_institutions_committee(driver):
    case = driver.file()
    driver.to_committee(case)
    assert driver.act("officer_guet", case, "open_review", {"agenda": ""}).status_code == 403
    assert driver.act("officer_gxnu", case, "open_review", {"agenda": ""}).status_code in (403, 404)


def test_override_needs_a_written_reason(driver):
    case = driver.file()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    driver.investigate(case)
    subject = case.subject_links.get().pk
    reduced = {f"outcome_{subject}": "reduced", f"reduction_{subject}": "lighter", f"scope_{subject}": ["行政处分"]}
    response = driver.act("reviewer_guet", case, "evaluate", {**reduced, f"override_reason_{subject}": ""})
    assert response.status_code == 200 and not case.evaluations.exists()
    assert "变更系统建议的结论须书面说明理由" in response.content.decode()
    # F10: a reduction says what liability remains.
    reason = {f"override_reason_{subject}": "当事人主动挽回部分损失。"}
    response = driver.act("reviewer_guet", case, "evaluate", {**reduced, **reason})
    assert response.status_code == 200 and "请说明减责后仍须承担的责任" in response.content.decode()
    assert not case.evaluations.exists()
    remaining = {f"remaining_{subject}": "给予通报批评。"}
    driver.done("reviewer_guet", case, "evaluate", {**reduced, **reason, **remaining})
    evaluation = case.evaluations.get()
    assert (evaluation.proposal, evaluation.outcome) == ("exempt", "reduced")
    determination = evaluation.determinations.get()
    assert (determination.outcome, determination.reduction_kind) == ("reduced", "lighter")
    assert (determination.liability_scope, determination.remaining_liability) == (["行政处分"], "给予通报批评。")


def test_substantive_objection_sends_the_case_back_to_investigation(driver, client_for):
    case = driver.file()
    driver.to_committee(case)
    driver.through_committee(case, "exempt")
    # researcher_li is not a subject: he finds the notice on the institution's publicity board.
    board = client_for("researcher_li").get(reverse("case_actions:publicity_board"))
    assert case.number in board.content.decode()
    url = reverse("case_actions:objection_lodge", args=[case.pk])
    assert client_for("researcher_li").post(url, {"text": "受让方系当事人亲属控股企业。"}).status_code == 302
    paper = reverse("case_actions:objection_paper", args=[case.pk])
    assert (
        client_for("officer_guet").post(paper, {"text": "书面异议：定价偏低。", "submitter_name": "王某"}).status_code
        == 302
    )
    assert client_for("officer_gxnu").get(url).status_code == 404
    through_publicity(driver, case)
    assert case.stage == ExemptionStage.OBJECTION_REVIEW
    first, second = Objection.objects.filter(publicity__case=case).order_by("pk")
    driver.done(
        "officer_guet",
        case,
        "rule_objections",
        {
            f"ruling_{first.pk}": "substantive",
            f"reason_{first.pk}": "需核查关联关系。",
            f"ruling_{second.pk}": "not_substantive",
            f"reason_{second.pk}": "定价已经公示且无证据。",
        },
    )
    assert Objection.objects.get(pk=first.pk).ruling == ObjectionRuling.SUBSTANTIVE
    case.refresh_from_db()
    assert case.stage == ExemptionStage.INVESTIGATION
    assert driver.task(case, "investigate") is not None


def test_objections_all_not_substantive_lead_to_the_decision(driver, client_for):
    case = driver.file()
    driver.to_committee(case)
    driver.through_committee(case, "exempt")
    client_for("member1_guet").post(reverse("case_actions:objection_lodge", args=[case.pk]), {"text": "有疑问。"})
    through_publicity(driver, case)
    objection = Objection.objects.get(publicity__case=case)
    driver.done(
        "officer_guet",
        case,
        "rule_objections",
        {f"ruling_{objection.pk}": "not_substantive", f"reason_{objection.pk}": "疑问已当面解释。"},
    )
    assert driver.task(case, "issue_decision") is not None


def decided(driver, outcome="not_exempt", **findings):
    case = driver.file()
    driver.to_committee(case, **findings)
    driver.through_committee(case, outcome)
    through_publicity(driver, case)
    driver.issue(case)
    case.refresh_from_db()
    return case


def test_an_appeal_returns_to_the_committee_and_the_new_decision_supersedes(driver, client_for):
    case = decided(driver, negatives=["N8"])
    first = Decision.objects.get(case=case)
    url = reverse("case_actions:appeal", args=[case.pk])
    assert client_for("researcher_li").post(url, {"reasons": "x"}).status_code == 404  # not a subject
    response = client_for("researcher_zhang").post(
        url, {"reasons": "属紧急情况临机决策，已事后报告。", "evidence": pdf("事后报告.pdf")}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == ExemptionStage.APPEAL_REVIEW
    again = client_for("researcher_zhang").post(url, {"reasons": "再次申请"})
    assert again.status_code == 200 and Appeal.objects.filter(case=case).count() == 1
    driver.through_committee(case, "reduced")
    assert CommitteeReview.objects.get(case=case, round=2).is_appeal
    driver.issue(case)
    second = Decision.objects.exclude(pk=first.pk).get(case=case)
    assert second.supersedes_id == first.pk and second.outcome == "reduced"
    case.refresh_from_db()
    assert case.stage == ExemptionStage.CLOSED
    assert case.process.status == PROCESS.DONE


def test_an_appeal_review_that_changes_the_outcome_is_publicised_again_where_the_version_says_so(driver, client_for):
    """F18: the version asks to publicise again when the review resolves someone differently."""
    case = decided(driver, negatives=["N8"])
    version = case.exemption.policy_version
    rules = {
        **version.rules,
        "publicity": {**version.rules.get("publicity", {}), "republicise_on_changed_outcome": True},
    }
    PolicyVersion.objects.filter(pk=version.pk).update(rules=rules)
    first = Decision.objects.get(case=case)
    url = reverse("case_actions:appeal", args=[case.pk])
    assert client_for("researcher_zhang").post(url, {"reasons": "属紧急情况临机决策，已事后报告。"}).status_code == 302
    driver.through_committee(case, "reduced")
    case.refresh_from_db()
    assert case.stage == ExemptionStage.PUBLICITY
    assert case.publicities.count() == 2
    board = client_for("researcher_li").get(reverse("case_actions:publicity_board")).content.decode()
    assert case.number in board
    publicity = case.publicities.order_by("-pk").first()
    run_timers(day_after(publicity.ends_on))
    case.refresh_from_db()
    assert case.stage == ExemptionStage.DECISION
    driver.issue(case)
    second = Decision.objects.exclude(pk=first.pk).get(case=case)
    assert second.supersedes_id == first.pk and second.outcome == "reduced"


def test_the_appeal_window_expiring_closes_the_case(driver, client_for):
    case = decided(driver, outcome="exempt")
    deadline = appeal_deadline(case)
    run_timers(day_after(deadline - datetime.timedelta(days=1)))
    case.refresh_from_db()
    assert case.stage == ExemptionStage.APPEAL_WINDOW  # not yet
    run_timers(day_after(deadline))
    case.refresh_from_db()
    assert case.stage == ExemptionStage.CLOSED
    assert case.process.status == PROCESS.DONE
    response = client_for("researcher_zhang").post(
        reverse("case_actions:appeal", args=[case.pk]), {"reasons": "迟到的复核"}
    )
    assert response.status_code == 200 and not case.appeals.exists()


def test_conflict_recusal_changes_the_quorum(driver, client_for):
    case = driver.file()
    driver.to_committee(case)
    driver.done("chair_guet", case, "open_review", {"agenda": ""})
    # 5 members, quorum 67%: 4 votes needed; 3 are not enough.
    driver.committee(case, "exempt", voters=["chair_guet", "member1_guet", "member2_guet"])
    response = driver.act("chair_guet", case, "record_resolution", {"outcome": "exempt", "text": "决议"})
    assert response.status_code == 200 and "法定人数" in response.content.decode()
    assert not CommitteeReview.objects.get(case=case).is_resolved
    # member3 declares a conflict: 4 non-recused members, ceil(2.68) = 3 votes are a quorum.
    client_for("member3_guet").post(
        reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "yes", "note": "曾参与该成果研发"}
    )
    refused = client_for("member3_guet").post(
        reverse("case_actions:vote", args=[case.pk]), {"outcome": "exempt", "reason": "同意"}
    )
    assert refused.status_code == 200 and CommitteeReview.objects.get(case=case).votes.count() == 3
    driver.done("chair_guet", case, "record_resolution", {"outcome": "exempt", "text": "决议"})
    review = CommitteeReview.objects.get(case=case)
    assert (review.members_total, review.members_recused, review.votes_cast) == (5, 1, 3)


def test_the_resolution_must_match_the_count(driver):
    case = driver.file()
    driver.to_committee(case)
    driver.done("chair_guet", case, "open_review", {"agenda": ""})
    driver.committee(case, "exempt")
    response = driver.act("chair_guet", case, "record_resolution", {"outcome": "reduced", "text": "决议"})
    assert response.status_code == 200 and not CommitteeReview.objects.get(case=case).is_resolved


def _vote(driver, case, username, outcome):
    client = driver.client_for(username)
    assert (
        client.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"}).status_code == 302
    )
    response = client.post(reverse("case_actions:vote", args=[case.pk]), {"outcome": outcome, "reason": "理由。"})
    assert response.status_code == 302


def test_a_deadlocked_vote_is_held_again_and_the_case_moves_on(driver, client_for):
    case = driver.file()
    driver.to_committee(case)
    driver.done("chair_guet", case, "open_review", {"agenda": "审议容错免责申请"})
    split = {"chair_guet": "exempt", "member1_guet": "exempt", "member2_guet": "reduced", "member3_guet": "reduced"}
    for username, outcome in split.items():
        _vote(driver, case, username, outcome)

    refused = driver.act("chair_guet", case, "record_resolution", {"outcome": "exempt", "text": "经表决，形成决议。"})
    assert refused.status_code == 200 and "超过" in refused.content.decode()

    again = driver.act(
        "chair_guet", case, "record_resolution", {"outcome": "new_ballot", "text": "意见分歧，重新表决。"}
    )
    assert again.status_code == 302
    assert list(case.committee_reviews.order_by("round").values_list("round", "outcome")) == [(1, ""), (2, "")]
    assert driver.task(case, "record_resolution") is not None

    driver.committee(case, ExemptionOutcome.EXEMPT)
    driver.done("chair_guet", case, "record_resolution", {"outcome": "exempt", "text": "经重新表决，形成决议。"})
    case.refresh_from_db()
    assert case.stage == ExemptionStage.PUBLICITY

    researcher_page = client_for("researcher_zhang").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "重新表决" not in researcher_page
    officer_page = client_for("officer_guet").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "委员会重新表决" in officer_page


def test_a_new_ballot_is_refused_while_the_count_supports_an_outcome(driver):
    case = driver.file()
    driver.to_committee(case)
    driver.done("chair_guet", case, "open_review", {"agenda": "审议容错免责申请"})
    driver.committee(case, ExemptionOutcome.EXEMPT)
    response = driver.act("chair_guet", case, "record_resolution", {"outcome": "new_ballot", "text": "重新表决。"})
    assert response.status_code == 200
    assert "请据此记录决议" in response.content.decode()
    assert case.committee_reviews.count() == 1


@pytest.mark.parametrize("username", ["member1_guet", "officer_gxnu"])
def test_four_eyes_needs_another_officer_of_the_cases_institution(driver, users, username):
    """Not merely someone other than the filer: a committee member or another institution's officer is refused."""
    from django.core.exceptions import ValidationError

    from workflows.exemption.investigation import evaluation_confirm
    from workflows.exemption.services import intake_review_record

    case = driver.file()
    with pytest.raises(ValidationError):
        intake_review_record(case=case, reviewed_by=users[username], result="accepted", reason="")
    assert not case.intake_reviews.exists()
    driver.done("reviewer_guet", case, "check_completeness", {"result": "accepted", "reason": ""})
    driver.investigate(case)
    with pytest.raises(ValidationError):
        evaluation_confirm(case=case, confirmed_by=users[username], outcome=ExemptionOutcome.EXEMPT, override_reason="")
    assert not case.evaluations.exists()
