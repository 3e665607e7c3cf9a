"""Every template, in Chinese and English, sealed: PDF/A-3b as far as we can check it, and clean text.

Which validator rules these checks cover, and which they do not, is in tests/decisions/conformance.py.
"""

import re

import pytest
from pyhanko.sign import signers

from tests.decisions.conformance import conformance_problems
from tests.decisions.helpers import pdf_text, stored_bytes
from tolerance.decisions import pades
from tolerance.decisions.verification import decision_verify_file

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


def _issued(request, issue, kind, outcome):
    """As the committee step writes them: the resolution and the cited entries already end in a full stop."""
    case = request.getfixturevalue(f"{kind}_case")
    return issue(
        case,
        kind,
        outcome,
        committee_resolution="2026年11月20日认定委员会会议，应到5人，回避1人，实到4人，4票同意。",
        tolerance_entries=["第5条 因市场变化导致成果转化收益未达预期。", "第9条 先行先试中出现失误；"],
    )


@pytest.mark.parametrize(("kind", "outcome"), TEMPLATES)
def test_every_sealed_template_passes_the_conformance_check(kind, outcome, issue, request):
    decision = _issued(request, issue, kind, outcome)
    for english, language in LANGUAGES.items():
        assert conformance_problems(stored_bytes(decision, english=english), language=language) == []


@pytest.mark.parametrize(("kind", "outcome"), TEMPLATES)
def test_no_template_doubles_its_punctuation(kind, outcome, issue, request):
    decision = _issued(request, issue, kind, outcome)
    for english in LANGUAGES:
        text = re.sub(r"\s+", "", pdf_text(stored_bytes(decision, english=english)))
        text = text.replace("https://", "").replace("...", "")
        assert DOUBLED.findall(text) == []


def test_a_pades_b_lta_seal_passes_too(exemption_case, issue, settings):
    """The signature timestamp, validation data and document timestamp are later revisions: still PDF 1.7."""
    settings.TSA_URL = "local"
    decision = issue(exemption_case)
    data = stored_bytes(decision)
    assert decision.signature_level == "PAdES-B-LTA"
    assert conformance_problems(data, language="zh-CN") == []
    assert decision_verify_file(data=data).report.ok


def test_the_check_fails_on_the_seal_as_it_was(exemption_case, issue, monkeypatch):
    """Regression: pyHanko's own signer declares ISO 32002 for the P-256 seal key and so writes
    /Version /2.0 into the catalog of a file whose XMP claims PDF/A-3 (built on PDF 1.7)."""
    monkeypatch.setattr(pades, "_Pdf17Signer", signers.PdfSigner)
    problems = conformance_problems(stored_bytes(issue(exemption_case)), language="zh-CN")
    assert "catalog /Version is /2.0" in problems
    assert "extension /ISO_ is based on PDF /2.0" in problems
