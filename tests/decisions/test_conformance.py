"""Every template, in Chinese and English, sealed: PDF/A-3b as far as we can check it, and clean text.

Which validator rules these checks cover, and which they do not, is in tests/decisions/conformance.py.
Every template in TEMPLATES is issued once, in tests/decisions/test_issue.py, and checked there for
conformance and punctuation along with its rendering: issuing is what costs.
"""

import re

import pytest
from pyhanko.sign import signers

from tests.decisions.conformance import conformance_problems
from tests.decisions.helpers import stored_bytes
from tolerance.decisions import pades

pytestmark = pytest.mark.django_db

TEMPLATES = [
    ("exemption", "exempt"),
    ("exemption", "reduced"),
    ("exemption", "not_exempt"),
    ("rectification", "passed"),
    ("rectification", "failed"),
    ("licence", "granted"),
]
LANGUAGES = {False: "zh-CN", True: "en"}
# Two marks in a row, whitespace aside: "。。", "；；", "，。", "..", ";." and the like.
DOUBLED = re.compile(r"[。，；：、！？.,;:!?][。，；：、！？.,;:!?]")


def test_the_check_fails_on_the_seal_as_it_was(exemption_case, issue, monkeypatch):
    """Regression: pyHanko's own signer declares ISO 32002 for the P-256 seal key and so writes
    /Version /2.0 into the catalog of a file whose XMP claims PDF/A-3 (built on PDF 1.7)."""
    monkeypatch.setattr(pades, "_Pdf17Signer", signers.PdfSigner)
    problems = conformance_problems(stored_bytes(issue(exemption_case)), language="zh-CN")
    assert "catalog /Version is /2.0" in problems
    assert "extension /ISO_ is based on PDF /2.0" in problems
