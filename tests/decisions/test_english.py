"""The English rendering: the same decision, sealed and verifiable, with the Chinese one authoritative."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.decisions.helpers import pdf_text, stored_bytes
from tolerance.decisions.verification import decision_verify_file

pytestmark = pytest.mark.django_db

ENGLISH_OUTCOME = {
    ("exemption", "exempt"): "is exempted from liability",
    ("exemption", "reduced"): "The liability of",
    ("exemption", "not_exempt"): "is not exempted from liability",
    ("rectification", "passed"): "has passed",
    ("rectification", "failed"): "has failed",
    ("licence", "granted"): "Schedule: licence terms",
}


@pytest.mark.parametrize(("kind", "outcome"), list(ENGLISH_OUTCOME))
def test_each_decision_has_a_sealed_english_rendering(kind, outcome, issue, request):
    case = request.getfixturevalue(f"{kind}_case")
    decision = issue(case, kind, outcome)

    data = stored_bytes(decision, english=True)
    text = re.sub(r"\s+", " ", pdf_text(data))
    assert "Guilin University of Electronic Technology" in text
    assert "The Chinese document is authoritative" in text
    assert ENGLISH_OUTCOME[(kind, outcome)] in text
    assert decision.document_number in text.replace(" ", "")
    assert "Page 1 of" in text
    result = decision_verify_file(data=data)
    assert result.in_force and result.is_english_rendering and result.decision == decision


def test_the_english_file_downloads_and_verifies_on_the_public_page(exemption_case, issue, client_for):
    decision = issue(exemption_case)
    response = client_for("researcher_zhang").get(reverse("decisions:download", args=[decision.pk]) + "?language=en")
    assert response.content == stored_bytes(decision, english=True) != stored_bytes(decision)
    assert response["Content-Disposition"].endswith('-en.pdf"')

    page = (
        Client()
        .post(
            reverse("decisions_public:verify"),
            {"file": SimpleUploadedFile("d.pdf", response.content, "application/pdf")},
        )
        .content.decode()
    )
    assert "真实、未被改动且仍然有效" in page
    assert "英文版本" in page


def test_the_english_grounds_table_has_english_labels_and_verdicts(exemption_case, issue):
    """The committee's words stay as recorded; the headers and the fixed verdict words are the rendering's."""
    decision = issue(exemption_case)
    english = re.sub(r"\s+", " ", pdf_text(stored_bytes(decision, english=True)))
    chinese = re.sub(r"\s+", "", pdf_text(stored_bytes(decision)))
    for label in ("No.", "Finding", "Evidence relied on", "Met: 经核查", "Does not apply: 经调查"):
        assert label in english
    assert not re.search("序号|核查结论|所依据的证据|满足：|不存在：", english)
    assert "满足：经核查" in chinese and "不存在：经调查" in chinese
