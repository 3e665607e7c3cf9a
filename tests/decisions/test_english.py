"""The English rendering: the same decision, sealed and verifiable, with the Chinese one authoritative."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.decisions.helpers import pdf_text, stored_bytes
from tests.decisions.issued import IssuedExemptionTestCase

pytestmark = pytest.mark.django_db

# What each English rendering says of its outcome; checked, with the rest of each template, where every
# template is issued once (tests/decisions/test_issue.py).
ENGLISH_OUTCOME = {
    ("exemption", "exempt"): "is exempted from liability",
    ("exemption", "reduced"): "The liability of",
    ("exemption", "not_exempt"): "is not exempted from liability",
    ("rectification", "passed"): "has passed",
    ("rectification", "failed"): "has failed",
    ("licence", "granted"): "Schedule: licence terms",
}


class IssuedEnglishRenderingTests(IssuedExemptionTestCase):
    def test_the_english_file_downloads_and_verifies_on_the_public_page(self):
        decision = self.decision
        response = self.client_for("researcher_zhang").get(
            reverse("decisions:download", args=[decision.pk]) + "?language=en"
        )
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

    def test_the_english_grounds_table_has_english_labels_and_verdicts(self):
        """The committee's words stay as recorded; the headers and the fixed verdict words are the rendering's."""
        english = re.sub(r"\s+", " ", pdf_text(stored_bytes(self.decision, english=True)))
        chinese = re.sub(r"\s+", "", pdf_text(stored_bytes(self.decision)))
        for label in ("No.", "Finding", "Evidence relied on", "Met: 经核查", "Does not apply: 经调查"):
            assert label in english
        assert not re.search("序号|核查结论|所依据的证据|满足：|不存在：", english)
        assert "满足：经核查" in chinese and "不存在：经调查" in chinese
