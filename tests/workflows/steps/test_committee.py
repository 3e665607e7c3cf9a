"""The shared committee step serving the sample type: its outcomes on the vote and resolution pages, and
a resolution accepted only when it matches the count."""

import pytest
from django.urls import reverse

from tests.sample_case_type.models import SampleOutcome, SampleStage
from tests.workflows.steps.conftest import SAMPLE_URLS
from workflows.steps.models import CommitteeReview

pytestmark = [pytest.mark.django_db, pytest.mark.urls(SAMPLE_URLS)]


def test_filing_puts_the_case_before_the_committee_in_the_types_own_words(sample):
    case = sample.file()
    assert case.case_type == "TS" and case.stage == SampleStage.HEARING
    sample.done("chair_guet", case, "open_review", {"agenda": ""})
    case.refresh_from_db()
    assert case.stage == SampleStage.HEARING
    assert SampleStage.HEARING.label in sample.case_page(case)


def test_the_vote_page_offers_the_types_outcomes_and_refuses_others(sample, client_for):
    case = sample.file()
    sample.done("chair_guet", case, "open_review", {"agenda": ""})
    member = client_for("member1_guet")
    member.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"})
    url = reverse("case_actions:vote", args=[case.pk])
    page = member.get(url).content.decode()
    for outcome in SampleOutcome:
        assert f'value="{outcome.value}"' in page and outcome.label in page
    assert 'value="exempt"' not in page and 'value="not_exempt"' not in page

    refused = member.post(url, {"outcome": "exempt", "reason": "免责"})
    assert refused.status_code == 200 and not CommitteeReview.objects.get(case=case).votes.exists()
    assert member.post(url, {"outcome": "dismissed", "reason": "理由不足。"}).status_code == 302


def test_the_resolution_offers_the_types_outcomes_and_must_match_the_count(sample):
    case = sample.file()
    sample.done("chair_guet", case, "open_review", {"agenda": ""})
    sample.vote(case, SampleOutcome.UPHELD)
    _client, _url, page = sample.page("chair_guet", case, "record_resolution")
    body = page.content.decode()
    assert f"{SampleOutcome.UPHELD.label}：5" in body and f"{SampleOutcome.DISMISSED.label}：0" in body
    assert 'value="exempt"' not in body

    response = sample.act("chair_guet", case, "record_resolution", {"outcome": "dismissed", "text": "决议"})
    assert response.status_code == 200 and not CommitteeReview.objects.get(case=case).is_resolved
    sample.done("chair_guet", case, "record_resolution", {"outcome": "upheld", "text": "决议"})
    review = CommitteeReview.objects.get(case=case)
    assert (review.outcome, review.votes_for_outcome) == ("upheld", 5)
    # Not an appeal review: the case goes on to publicity.
    case.refresh_from_db()
    assert case.stage == SampleStage.NOTICE
