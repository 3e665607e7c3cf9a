"""The conflict check over the institution's licences, through the review and committee pages."""

import datetime

import pytest

from tolerance.audit.models import AuditEvent
from workflows.licensing.conflict_service import conflict_message, conflict_record, licence_conflicts_find
from workflows.licensing.models import LicensingStage


@pytest.fixture
def two_applications(licence_driver):
    """An exclusive and a sole licence of the same result, in the same field, territory and period."""
    valuation = {"valuation_reference": "中联评报字〔2026〕第118号"}
    first = licence_driver.file(licence_type="exclusive", title="雷达专利独占许可", **valuation)
    second = licence_driver.file(
        licence_type="sole",
        title="雷达专利排他许可",
        company=licence_driver.companies["licensee_other"].pk,
        **valuation,
    )
    return first, second


def test_a_licence_under_review_is_a_warning_passed_only_with_a_reason(licence_driver, two_applications):
    first, second = two_applications
    response = licence_driver.review(first)
    assert response.status_code == 200
    text = response.content.decode()
    assert "请说明越过警告继续办理的理由" in text and second.number in text
    assert not first.licensing_reviews.exists()
    assert not AuditEvent.objects.filter(case_id=first.pk, payload__form="licensing_review").exists()

    assert licence_driver.review(first, proceed_reason="另一申请尚在审查，经协商以先申请者为准。").status_code == 302
    review = first.licensing_reviews.get()
    assert [(c["level"], c["other_case_number"]) for c in review.conflicts] == [("warn", second.number)]
    assert AuditEvent.objects.filter(case_id=first.pk, payload__form="licensing_review").exists()


def test_a_licence_in_publicity_blocks_the_other_from_the_committee(licence_driver, two_applications, client_for):
    first, second = two_applications
    reason = {"proceed_reason": "两项申请并行审查，以委员会审议结果为准。"}
    assert licence_driver.review(first, **reason).status_code == 302
    assert licence_driver.review(second, **reason).status_code == 302
    licence_driver.committee(first)
    first.refresh_from_db()
    assert first.stage == LicensingStage.PUBLICITY

    response = licence_driver.act("chair_guet", second, "open_review", {"agenda": "审议排他许可"})
    assert response.status_code == 200
    assert "冲突" in response.content.decode()
    second.refresh_from_db()
    assert second.stage == LicensingStage.COMMITTEE_REVIEW and not second.committee_reviews.exists()


def test_separate_fields_territories_or_periods_do_not_conflict(licence_driver):
    valuation = {"valuation_reference": "中联评报字〔2026〕第118号"}
    first = licence_driver.file(licence_type="exclusive", **valuation)
    today = datetime.date.today()
    separate = [
        {"fields_of_use": "H04B"},
        {"territories": "440000"},
        {
            "start_on": (today + datetime.timedelta(days=6 * 365)).isoformat(),
            "end_on": (today + datetime.timedelta(days=7 * 365)).isoformat(),
            "trigger_date": (today + datetime.timedelta(days=6 * 365 + 30)).isoformat(),
        },
    ]
    for overrides in separate:
        other = licence_driver.file(licence_type="exclusive", **valuation, **overrides)
        assert licence_conflicts_find(other) == []
    assert [c.other_case_id for c in licence_conflicts_find(first)] == []


def test_an_open_licence_blocks_an_exclusive_licence_and_the_review(licence_driver):
    case = licence_driver.file(
        licence_type="exclusive",
        valuation_reference="中联评报字〔2026〕第118号",
        results=[licence_driver.results["ZL201910555555.5"].pk],
    )
    response = licence_driver.review(case, proceed_reason="理由")
    assert response.status_code == 200 and "开放许可" in response.content.decode()
    assert not case.licensing_reviews.exists()


def test_a_co_owned_result_needs_the_co_owners_consent_on_file(licence_driver):
    from tests.workflows.licensing.conftest import pdf

    case = licence_driver.file(
        licence_type="sole",
        valuation_reference="中联评报字〔2026〕第118号",
        results=[licence_driver.results["ZL202010987654.3"].pk],
    )
    response = licence_driver.review(case)
    assert response.status_code == 200 and "书面同意" in response.content.decode()
    assert licence_driver.review(case, consent_file=pdf("共有人同意书.pdf")).status_code == 302
    assert case.attachments.filter(category="licensing_consent").count() == 1


def test_the_other_case_is_named_only_to_those_who_may_see_it(licence_driver, two_applications, users):
    first, second = two_applications
    [record] = [conflict_record(c) for c in licence_conflicts_find(first)]
    assert second.number in conflict_message(record, users["officer_guet"])
    hidden = conflict_message(record, users["licensee_demo"])
    assert second.number not in hidden and "编号不可见" in hidden


def test_a_conflict_arising_after_the_review_stops_the_decision(licence_driver):
    case = licence_driver.file()
    assert licence_driver.review(case).status_code == 302
    licence_driver.committee(case)
    licence_driver.through_publicity(case)
    # Meanwhile an exclusive licence of the same result is applied for.
    licence_driver.file(licence_type="exclusive", valuation_reference="中联评报字〔2026〕第118号")
    response = licence_driver.issue(case)
    assert response.status_code == 200 and "重新审查" in response.content.decode()
    assert not case.decisions.exists()
    case.refresh_from_db()
    assert case.stage == LicensingStage.DECISION
