"""Invisible and control characters are refused in what the exemption flow and its decision record,
beside the field that holds them, and nothing is saved."""

from django.urls import reverse

from tests.workflows.conftest import has_chinese
from tests.workflows.exemption.test_flow import decided
from tests.workflows.exemption.test_forms import assert_rejected, case_events
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.models import Case
from workflows.flows import ExemptionFlow

RIGHT_TO_LEFT_OVERRIDE = "\u202e"
ZERO_WIDTH_SPACE = "\u200b"


def test_a_bidi_override_in_the_filing_is_refused_beside_its_field(driver, client_for):
    client = client_for("officer_guet")
    before = case_events()
    response = client.post(
        ExemptionFlow.start.reverse("execute"),
        driver.filing_data(failure_description=f"受让方停止产业化{RIGHT_TO_LEFT_OVERRIDE}fdp.exe"),
    )
    assert_rejected(response, before_events=before)
    errors = response.context["form"].errors["failure_description"]
    assert any("U+202E" in message and has_chinese(message) for message in errors)
    assert not Case.objects.exists()


def test_a_zero_width_space_in_the_completeness_reason_is_refused(driver, client_for):
    case = driver.file()
    before = case_events()
    response = driver.act(
        "reviewer_guet", case, "check_completeness", {"result": "supplement", "reason": f"请补充{ZERO_WIDTH_SPACE}材料"}
    )
    assert_rejected(response, before_events=before)
    assert "U+200B" in " ".join(response.context["form"].errors["reason"])
    assert not case.intake_reviews.exists()


def test_a_revocation_reason_with_a_control_character_revokes_nothing(driver, client_for):
    case = decided(driver)
    decision = Decision.objects.get(case=case)
    response = client_for("officer_guet").post(
        reverse("decisions:revoke", args=[decision.pk]), {"reason": f"复核后撤销{RIGHT_TO_LEFT_OVERRIDE}"}, follow=True
    )
    assert "U+202E" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_FORCE
