"""Bad input on every form of the flow: a Chinese form error, status 200, and nothing changed."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.workflows.conftest import has_chinese, investigation_data, pdf
from tolerance.audit.models import AuditEvent
from tolerance.models import Case
from workflows.exemption.determinations import case_subjects, investigation_rows
from workflows.exemption.investigation import investigation_items
from workflows.flows import ExemptionFlow
from workflows.models import CommitteeReview, Objection, PolicyItemKind

pytestmark = pytest.mark.django_db
TOO_LONG = "长" * 5000


def case_events():
    """Events a form's change would record: logins of the test clients and claiming the task are not
    the form's doing (the helper claims before submitting)."""
    return AuditEvent.objects.exclude(action__startswith="auth.").exclude(action="task.assigned").count()


def assert_rejected(response, *, before_events):
    assert response.status_code == 200
    form = response.context["form"]
    messages = [message for errors in form.errors.values() for message in errors]
    for formset in getattr(form, "formsets", {}).values():
        messages += [
            *formset.non_form_errors(),
            *(m for row in formset.errors for errors in row.values() for m in errors),
        ]
    assert messages, "expected a form error"
    assert all(has_chinese(message) for message in messages), messages
    assert case_events() == before_events


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"title": TOO_LONG},
        {"failure_description": TOO_LONG},
        {"contract_amount": "八十万"},
        {"contract_amount": "1e30"},
        {"loss_amount": "-1"},
        {"contract_signed_on": "2026-02-30"},
        {"contract_signed_on": "2026-06-01", "failed_on": "2026-05-01"},
        {"failed_on": "2099-01-01"},
        {"cited_entries": []},
        {"cited_entries": ["999999"]},
        {"subjects-0-user": ""},
        {"subjects-0-user": "abc"},
        {"subjects-0-role": ""},
        {"evidence_minutes": ""},
    ],
)
def test_filing_form_rejects_bad_input(driver, client_for, overrides):
    before = case_events()
    response = client_for("officer_guet").post(ExemptionFlow.start.reverse("execute"), driver.filing_data(**overrides))
    assert_rejected(response, before_events=before)
    assert not Case.objects.exists()


def test_filing_rejects_a_file_of_a_forbidden_type(driver, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = case_events()
    script = SimpleUploadedFile("纪要.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    response = client_for("officer_guet").post(
        ExemptionFlow.start.reverse("execute"), driver.filing_data(evidence_minutes=script)
    )
    assert response.status_code == 200 and has_chinese(" ".join(response.context["form"].errors["evidence_minutes"]))
    assert not Case.objects.exists() and case_events() == before


def test_researchers_cannot_file(client_for, policy):
    assert client_for("researcher_zhang").get(ExemptionFlow.start.reverse("execute")).status_code == 403


@pytest.fixture
def filed(driver):
    return driver.file()


@pytest.mark.parametrize(
    "data",
    [
        {"result": "", "reason": ""},
        {"result": "refused", "reason": ""},
        {"result": "supplement", "reason": "  "},
        {"result": "maybe", "reason": "x"},
        {"result": "refused", "reason": TOO_LONG},
    ],
)
def test_completeness_form(driver, filed, data):
    before = case_events()
    assert_rejected(driver.act("reviewer_guet", filed, "check_completeness", data), before_events=before)
    assert not filed.intake_reviews.exists()


def test_supplement_form(driver, filed):
    driver.done("reviewer_guet", filed, "check_completeness", {"result": "supplement", "reason": "缺材料"})
    before = case_events()
    assert_rejected(driver.act("officer_guet", filed, "supplement", {"note": ""}), before_events=before)
    assert_rejected(
        driver.act("officer_guet", filed, "supplement", {"note": TOO_LONG, "files": pdf()}), before_events=before
    )


@pytest.fixture
def accepted(driver, filed):
    driver.done("reviewer_guet", filed, "check_completeness", {"result": "accepted", "reason": ""})
    return filed


def test_investigation_form(driver, accepted):
    before = case_events()
    assert_rejected(driver.act("officer_guet", accepted, "investigate", {}), before_events=before)
    item = accepted.exemption.policy_version.items.filter(kind="condition").first()
    bad = {f"holds_{item.pk}": "perhaps", f"note_{item.pk}": TOO_LONG, f"evidence_{item.pk}": ["999999"]}
    assert_rejected(driver.act("officer_guet", accepted, "investigate", bad), before_events=before)
    assert not accepted.findings.exists()


def test_a_condition_marked_met_needs_evidence(driver, accepted):
    data = investigation_data(accepted)  # a valid submission: every row answered, noted and backed by evidence ...
    rows = investigation_rows(accepted, investigation_items(accepted), case_subjects(accepted))
    condition = next(row for row in rows if row.item.kind == PolicyItemKind.CONDITION and row.computed is None)
    del data[f"evidence_{condition.key}"]  # ... except one condition marked met with no evidence
    before = case_events()
    response = driver.act("officer_guet", accepted, "investigate", data)
    assert_rejected(response, before_events=before)
    with translation.override("zh-hans"):
        expected = gettext("Condition “%(title)s” is marked met: link the evidence that shows it.") % {
            "title": condition.item.title
        }
    assert response.context["form"].errors[f"evidence_{condition.key}"] == [expected]
    assert not accepted.findings.exists()

    driver.investigate(accepted)  # the same findings with the evidence linked go through
    accepted.refresh_from_db()
    assert accepted.findings.count() == len([row for row in rows if not row.not_applicable])


def test_evaluation_form(driver, accepted):
    driver.investigate(accepted)
    before = case_events()
    for data in [
        {"outcome": "", "override_reason": ""},
        {"outcome": "reduced", "override_reason": ""},
        {"outcome": "pardon", "override_reason": "x"},
        {"outcome": "reduced", "override_reason": TOO_LONG},
    ]:
        assert_rejected(driver.act("reviewer_guet", accepted, "evaluate", data), before_events=before)
    assert not accepted.evaluations.exists()


@pytest.fixture
def in_committee(driver, filed):
    driver.to_committee(filed)
    return filed


def test_open_review_form(driver, in_committee):
    before = case_events()
    assert_rejected(driver.act("chair_guet", in_committee, "open_review", {"agenda": TOO_LONG}), before_events=before)
    assert not CommitteeReview.objects.exists()


def test_member_and_chair_forms(driver, client_for, in_committee):
    driver.done("chair_guet", in_committee, "open_review", {"agenda": ""})
    member = client_for("member1_guet")
    conflict = reverse("case_actions:conflict_declare", args=[in_committee.pk])
    vote = reverse("case_actions:vote", args=[in_committee.pk])
    before = case_events()
    assert_rejected(member.post(conflict, {}), before_events=before)
    assert_rejected(member.post(conflict, {"conflicted": "yes", "note": ""}), before_events=before)
    assert_rejected(
        member.post(vote, {"outcome": "exempt", "reason": "同意"}), before_events=before
    )  # not declared yet
    member.post(conflict, {"conflicted": "no"})
    before = case_events()
    assert_rejected(member.post(vote, {"outcome": "exempt", "reason": ""}), before_events=before)
    assert_rejected(member.post(vote, {"outcome": "acquit", "reason": "x"}), before_events=before)
    assert_rejected(member.post(vote, {"outcome": "exempt", "reason": TOO_LONG}), before_events=before)
    for data in [
        {"outcome": "exempt", "text": ""},
        {"outcome": "", "text": "决议"},
        {"outcome": "exempt", "text": "决议"},
    ]:
        assert_rejected(driver.act("chair_guet", in_committee, "record_resolution", data), before_events=before)
    assert not CommitteeReview.objects.get().is_resolved
    assert client_for("officer_guet").post(vote, {"outcome": "exempt", "reason": "x"}).status_code == 403
    assert client_for("officer_gxnu").post(vote, {"outcome": "exempt", "reason": "x"}).status_code == 404


@pytest.fixture
def in_publicity(driver, in_committee):
    driver.through_committee(in_committee, "exempt")
    return in_committee


def test_objection_forms(client_for, in_publicity):
    lodge = reverse("case_actions:objection_lodge", args=[in_publicity.pk])
    paper = reverse("case_actions:objection_paper", args=[in_publicity.pk])
    before = case_events()
    assert_rejected(client_for("researcher_li").post(lodge, {"text": ""}), before_events=before)
    assert_rejected(client_for("researcher_li").post(lodge, {"text": TOO_LONG}), before_events=before)
    assert_rejected(
        client_for("officer_guet").post(paper, {"text": "异议", "submitter_name": ""}), before_events=before
    )
    assert client_for("researcher_li").post(paper, {"text": "异议", "submitter_name": "某"}).status_code == 404
    assert not Objection.objects.exists()


def test_ruling_and_decision_forms(driver, client_for, in_publicity):
    from tests.workflows.exemption.test_flow import through_publicity

    client_for("researcher_li").post(reverse("case_actions:objection_lodge", args=[in_publicity.pk]), {"text": "异议"})
    through_publicity(driver, in_publicity)
    objection = Objection.objects.get()
    before = case_events()
    for data in [
        {},
        {f"ruling_{objection.pk}": "substantive", f"reason_{objection.pk}": ""},
        {f"ruling_{objection.pk}": "frivolous", f"reason_{objection.pk}": "x"},
    ]:
        assert_rejected(driver.act("officer_guet", in_publicity, "rule_objections", data), before_events=before)
    driver.done(
        "officer_guet",
        in_publicity,
        "rule_objections",
        {f"ruling_{objection.pk}": "not_substantive", f"reason_{objection.pk}": "无新事实"},
    )
    before = case_events()
    for data in [
        {"facts": "", "reasoning": "x"},
        {"facts": "x", "reasoning": ""},
        {"facts": "长" * 9000, "reasoning": "x"},
    ]:
        assert_rejected(driver.act("officer_guet", in_publicity, "issue_decision", data), before_events=before)
    assert not in_publicity.decisions.exists()


def test_appeal_form(driver, client_for, in_publicity):
    from tests.workflows.exemption.test_flow import through_publicity

    through_publicity(driver, in_publicity)
    driver.issue(in_publicity)
    url = reverse("case_actions:appeal", args=[in_publicity.pk])
    before = case_events()
    assert_rejected(client_for("researcher_zhang").post(url, {"reasons": ""}), before_events=before)
    assert_rejected(client_for("researcher_zhang").post(url, {"reasons": TOO_LONG}), before_events=before)
    assert client_for("officer_guet").post(url, {"reasons": "x"}).status_code == 403
