"""The shared issuing and appeal steps serving the sample type: a sealed ruling of its own kind, title and
document numbers, an appeal back to its committee and a final ruling that closes the case."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from tests.decisions.helpers import pdf_text, stored_bytes
from tests.notifications.mail import send_pending_mail
from tests.sample_case_type.models import SampleOutcome, SampleStage
from tests.workflows.conftest import day_after, run_timers
from tests.workflows.steps.conftest import SAMPLE_URLS
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.decisions.verification import decision_verify_file
from workflows.steps.appeal import appeal_deadline
from workflows.steps.models import CommitteeReview

pytestmark = [pytest.mark.django_db, pytest.mark.urls(SAMPLE_URLS)]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def decided(sample, outcome=SampleOutcome.UPHELD):
    case = sample.file()
    sample.through_committee(case, outcome)
    run_timers(day_after(case.publicities.get().ends_on))
    sample.issue(case)
    return case


def test_the_decision_is_a_sealed_pdf_of_the_types_kind_title_and_numbers(sample, users):
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    run_timers(day_after(case.publicities.get().ends_on))
    send_pending_mail()  # what the earlier steps queued went out meanwhile
    mail.outbox.clear()
    sample.issue(case)
    send_pending_mail()

    decision = Decision.objects.get(case=case)
    year = timezone.localdate().year
    assert (decision.kind, decision.outcome) == ("sample", "upheld")
    assert decision.document_number == f"桂电试裁〔{year}〕1号"
    data = stored_bytes(decision)
    text = flat(pdf_text(data))
    for expected in ["试验事项裁决书", decision.document_number, case.number, "支持张三的试验请求", "试验审议小组决议"]:
        assert flat(expected) in text
    assert "容错免责认定决定书" not in text
    assert decision_verify_file(data=data).in_force
    assert "SampleRuling" in flat(pdf_text(stored_bytes(decision, english=True)))

    assert case.stage == SampleStage.CHALLENGE_WINDOW and case.next_due == decision.appeal_deadline
    assert SampleStage.CHALLENGE_WINDOW.label in sample.case_page(case, "researcher_zhang")
    bodies = {address: message.body for message in mail.outbox for address in message.to}
    assert {users["researcher_zhang"].email, case.institution.hr_contact_email} <= set(bodies)
    assert all("The sample claim stands." in body and SampleOutcome.UPHELD.label in body for body in bodies.values())


def test_an_appeal_returns_to_the_committee_and_the_final_decision_closes_the_case(sample, client_for):
    case = decided(sample)
    first = Decision.objects.get(case=case)
    response = client_for("researcher_zhang").post(
        reverse("case_actions:appeal", args=[case.pk]), {"reasons": "审议遗漏了新的事实。"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == SampleStage.CHALLENGE and SampleStage.CHALLENGE.label in sample.case_page(case)

    sample.through_committee(case, SampleOutcome.DISMISSED)
    assert CommitteeReview.objects.get(case=case, round=2).is_appeal
    assert case.stage == SampleStage.CHALLENGE  # an appeal review goes straight to the decision
    assert case.publicities.count() == 1 and sample.task(case, "issue_decision") is not None
    sample.issue(case)

    second = Decision.objects.exclude(pk=first.pk).get(case=case)
    assert second.supersedes_id == first.pk and second.outcome == "dismissed"
    assert second.document_number == f"桂电试裁〔{timezone.localdate().year}〕2号"
    assert Decision.objects.get(pk=first.pk).status == DecisionStatus.SUPERSEDED
    assert flat("驳回张三的试验请求") in flat(pdf_text(stored_bytes(second)))
    case.refresh_from_db()
    assert case.stage == SampleStage.FINISHED and SampleStage.FINISHED.label in sample.case_page(case)
    assert case.process.status == PROCESS.DONE


def test_the_appeal_window_ending_closes_the_case(sample, client_for):
    case = decided(sample, SampleOutcome.DISMISSED)
    deadline = appeal_deadline(case)
    run_timers(day_after(deadline - datetime.timedelta(days=1)))
    case.refresh_from_db()
    assert case.stage == SampleStage.CHALLENGE_WINDOW  # not yet
    run_timers(day_after(deadline))
    case.refresh_from_db()
    assert case.stage == SampleStage.FINISHED and case.process.status == PROCESS.DONE
    late = client_for("researcher_zhang").post(reverse("case_actions:appeal", args=[case.pk]), {"reasons": "迟到"})
    assert late.status_code == 200 and not case.appeals.exists()
