"""The shared publicity step serving the sample type: its notice, its policy's day count, and objections
ruled substantive sending the case where the type says."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.sample_case_type.models import SampleOutcome, SampleStage
from tests.workflows.conftest import day_after, run_timers
from tests.workflows.steps.conftest import SAMPLE_URLS
from tolerance.models import DayCount
from tolerance.working_days import add_working_days
from workflows.steps.models import CommitteeReview, Objection, ObjectionRuling

pytestmark = [pytest.mark.django_db, pytest.mark.urls(SAMPLE_URLS)]


@pytest.mark.parametrize("day_count", [DayCount.CALENDAR, DayCount.WORKING])
def test_publicity_shows_the_types_notice_for_the_days_its_policy_counts(sample, sample_policy, day_count):
    sample_policy["GUET"].publicity_day_count = day_count
    sample_policy["GUET"].save()
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)

    publicity = case.publicities.get()
    today = timezone.localdate()
    if day_count == DayCount.CALENDAR:
        assert publicity.ends_on == today + datetime.timedelta(days=5)
        assert publicity.objections_until == today + datetime.timedelta(days=3)
    else:
        # Five working days always take in a weekend, so they end later than five calendar days.
        assert publicity.ends_on == add_working_days(today, 5) > today + datetime.timedelta(days=5)
        assert publicity.objections_until == add_working_days(today, 3)
    assert case.stage == SampleStage.NOTICE and case.next_due == publicity.ends_on
    notice = f"Sample notice for {case.number} “{case.title}”: the panel proposes “{SampleOutcome.UPHELD.label}”."
    assert publicity.notice_text.startswith(notice)
    page = sample.case_page(case)
    assert notice in page and SampleStage.NOTICE.label in page
    board = sample.client_for("researcher_li").get(reverse("case_actions:publicity_board")).content.decode()
    assert case.number in board


def test_the_timer_closes_publicity_without_objections_and_the_decision_is_next(sample):
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    ends_on = case.publicities.get().ends_on

    run_timers(day_after(ends_on - datetime.timedelta(days=1)))
    case.refresh_from_db()
    assert case.stage == SampleStage.NOTICE  # not yet
    run_timers(day_after(ends_on))
    case.refresh_from_db()
    assert case.stage == SampleStage.RULING and SampleStage.RULING.label in sample.case_page(case)
    assert sample.task(case, "issue_decision") is not None


def lodge_and_close(sample, case):
    url = reverse("case_actions:objection_lodge", args=[case.pk])
    assert sample.client_for("researcher_li").post(url, {"text": "申请事项与事实不符。"}).status_code == 302
    run_timers(day_after(case.publicities.order_by("-id").first().ends_on))
    case.refresh_from_db()
    return Objection.objects.filter(publicity__case=case).order_by("-pk").first()


def test_a_substantive_objection_sends_the_case_where_the_type_says(sample):
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    objection = lodge_and_close(sample, case)
    assert case.stage == SampleStage.COMMENTS and SampleStage.COMMENTS.label in sample.case_page(case)

    sample.done(
        "officer_guet",
        case,
        "rule_objections",
        {f"ruling_{objection.pk}": "substantive", f"reason_{objection.pk}": "需重新审议。"},
    )
    assert Objection.objects.get(pk=objection.pk).ruling == ObjectionRuling.SUBSTANTIVE
    case.refresh_from_db()
    assert case.stage == SampleStage.RECONSIDERATION
    assert SampleStage.RECONSIDERATION.label in sample.case_page(case)
    # The sample flow sends it back to the committee; opening the new round puts it before the committee.
    sample.done("chair_guet", case, "open_review", {"agenda": "重新审议"})
    case.refresh_from_db()
    assert case.stage == SampleStage.HEARING
    sample.vote(case, SampleOutcome.DISMISSED)
    sample.done("chair_guet", case, "record_resolution", {"outcome": "dismissed", "text": "经重新表决，形成决议。"})
    case.refresh_from_db()
    assert CommitteeReview.objects.filter(case=case).count() == 2
    assert case.stage == SampleStage.NOTICE and case.publicities.count() == 2
    assert SampleOutcome.DISMISSED.label in case.publicities.order_by("-id").first().notice_text


def test_objections_ruled_not_substantive_lead_to_the_decision(sample):
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    objection = lodge_and_close(sample, case)
    sample.done(
        "officer_guet",
        case,
        "rule_objections",
        {f"ruling_{objection.pk}": "not_substantive", f"reason_{objection.pk}": "已当面解释。"},
    )
    case.refresh_from_db()
    assert case.stage == SampleStage.RULING
    assert sample.task(case, "issue_decision") is not None


def test_the_party_sees_the_objection_but_not_who_lodged_it(sample):
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    url = reverse("case_actions:objection_lodge", args=[case.pk])
    assert sample.client_for("researcher_li").post(url, {"text": "申请事项与事实不符。"}).status_code == 302

    party_page = sample.case_page(case, username="researcher_zhang")
    assert "申请事项与事实不符。" in party_page
    assert "李四" not in party_page and "researcher_li" not in party_page
    assert "有人提出异议" in party_page  # the timeline says an objection was lodged, not by whom
    staff_page = sample.case_page(case)
    assert "李四" in staff_page and "申请事项与事实不符。" in staff_page


def test_an_objection_with_a_bidi_override_is_refused_with_a_clear_message(sample):
    case = sample.file()
    sample.through_committee(case, SampleOutcome.UPHELD)
    url = reverse("case_actions:objection_lodge", args=[case.pk])
    response = sample.client_for("researcher_li").post(url, {"text": "申请事项\u202e与事实不符。"})
    assert response.status_code == 200
    assert "不可见字符或控制字符（U+202E）" in response.content.decode()
    assert not Objection.objects.filter(publicity__case=case).exists()
