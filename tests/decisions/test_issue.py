import io
import json
import re

import pytest
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.decisions import samples
from tests.decisions.conformance import conformance_problems
from tests.decisions.helpers import pdf_attachments, pdf_fonts, pdf_info, pdf_text, pdf_words, stored_bytes
from tests.decisions.issued import IssuedExemptionTestCase
from tests.decisions.test_conformance import DOUBLED, LANGUAGES, TEMPLATES
from tests.decisions.test_english import ENGLISH_OUTCOME
from tolerance.audit.models import AuditEvent
from tolerance.audit.selectors import case_chain_head
from tolerance.decisions import pades
from tolerance.decisions.models import Decision, DecisionStatus
from tolerance.decisions.sealing import SealingError
from tolerance.decisions.services import DecisionIssueError, decision_issue, decision_revoke
from tolerance.decisions.verification import decision_verify_file
from tolerance.models import CaseTypePolicy
from tolerance.working_days import add_working_days

pytestmark = pytest.mark.django_db

OUTCOME_TEXT = {
    ("exemption", "exempt"): ["对张三予以免责", "评先评优、考核奖励、职称评聘"],
    ("exemption", "reduced"): ["对张三予以减责"],
    ("exemption", "not_exempt"): ["对张三不予免责"],
    ("rectification", "passed"): ["合规整改合格"],
    ("rectification", "failed"): ["合规整改不合格"],
    ("licence", "granted"): ["附表：许可条款", "入门费 5 万元"],
}
TITLES = {"exemption": "容错免责认定决定书", "rectification": "合规整改认定书", "licence": "先使用后付费许可决定书"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _every_template():
    """Each (kind, outcome) that any of the three lists names, once: issuing a decision (rendering, sealing and
    self-verifying two PDFs) is the cost, so one issued decision is checked for everything those lists ask."""
    return list(dict.fromkeys([*OUTCOME_TEXT, *TEMPLATES, *ENGLISH_OUTCOME]))


@pytest.mark.parametrize(("kind", "outcome"), _every_template())
def test_every_template_is_rendered_sealed_conformant_and_verifiable_in_both_languages(kind, outcome, issue, request):
    case = request.getfixturevalue(f"{kind}_case")
    head_before = case_chain_head(case)

    # As the committee step writes them: the resolution and the cited entries already end in a full stop,
    # which the templates must not double.
    decision = issue(
        case,
        kind,
        outcome,
        committee_resolution="2026年11月20日认定委员会会议，应到5人，回避1人，实到4人，4票同意。",
        tolerance_entries=["第5条 因市场变化导致成果转化收益未达预期。", "第9条 先行先试中出现失误；"],
    )

    data = stored_bytes(decision)
    text = _flat(pdf_text(data))
    year = timezone.localdate().year
    prefix = {"exemption": "桂电容认", "rectification": "桂电整改", "licence": "桂电许可"}[kind]
    assert decision.document_number == f"{prefix}〔{year}〕1号"
    for expected in [
        TITLES[kind],
        decision.document_number,
        case.number,
        "桂林电子科技大学",
        decision.verification_code,
        head_before[1],
        f"第1页共{decision.page_count}页",
        *OUTCOME_TEXT.get((kind, outcome), []),
    ]:
        assert _flat(expected) in text
    assert decision.page_count >= 2
    fonts = pdf_fonts(data)
    assert {font["name"].split("+", 1)[1] for font in fonts} == {"Tolerance-Serif", "Tolerance-Sans"}
    assert all(font["emb"] == "yes" and font["sub"] == "yes" for font in fonts)
    assert decision_verify_file(data=data).in_force

    english_data = stored_bytes(decision, english=True)
    english = re.sub(r"\s+", " ", pdf_text(english_data))
    assert "Guilin University of Electronic Technology" in english
    assert "The Chinese document is authoritative" in english
    if (kind, outcome) in ENGLISH_OUTCOME:
        assert ENGLISH_OUTCOME[(kind, outcome)] in english
    assert decision.document_number in english.replace(" ", "")
    assert "Page 1 of" in english
    result = decision_verify_file(data=english_data)
    assert result.in_force and result.is_english_rendering and result.decision == decision

    for is_english, language in LANGUAGES.items():
        version = english_data if is_english else data
        assert conformance_problems(version, language=language) == []
        punctuation = _flat(pdf_text(version)).replace("https://", "").replace("...", "")
        assert DOUBLED.findall(punctuation) == []


def test_seal_goes_where_the_layout_puts_the_signature(exemption_case, issue):
    """The seal lands on the signature lines wherever the text before them ends."""
    short = issue(exemption_case, reasoning="理由从略。")
    long = issue(exemption_case, reasoning="\n\n".join(["认定理由段落，内容较长，用于推动版面。" * 4] * 3))

    def seal_and_signature(decision):
        data = stored_bytes(decision)
        reader = PdfFileReader(io.BytesIO(data))
        field = next(s for s in reader.embedded_signatures if s.field_name == pades.FIELD_NAME)
        assert "/AP" in field.sig_field and int(field.sig_field["/F"]) & 4  # a printed, visible appearance
        x1, y1, x2, y2 = (float(v) for v in field.sig_field["/Rect"])
        page_height = float(field.sig_field["/P"].get_object()["/MediaBox"][3])
        date = f"{decision.issue_date.year}年{decision.issue_date.month}月{decision.issue_date.day}日"
        words = [w for w in pdf_words(data, decision.page_count) if w[0] == date]
        _text, wx1, wy1, wx2, wy2 = words[-1]
        centre = ((wx1 + wx2) / 2, page_height - (wy1 + wy2) / 2)
        return (x1, y1, x2, y2), centre

    rects = []
    for decision in (short, long):
        (x1, y1, x2, y2), (cx, cy) = seal_and_signature(decision)
        assert x1 < cx < x2 and y1 < cy < y2
        assert x2 - x1 == pytest.approx(40 * 72 / 25.4, abs=0.5)
        rects.append((x1, y1, x2, y2))
    assert rects[0] != rects[1]


def test_numbers_are_consecutive_and_a_failed_issue_leaves_no_gap(exemption_case, issue, monkeypatch):
    first = issue(exemption_case)
    events_before = AuditEvent.objects.count()

    def broken_seal(self, pdf_bytes, request):
        raise SealingError("HSM offline")

    monkeypatch.setattr(pades.PadesSealer, "seal", broken_seal)
    with pytest.raises(DecisionIssueError) as error:
        issue(exemption_case)
    assert "电子印章" in " ".join(error.value.messages)
    assert Decision.objects.count() == 1
    assert AuditEvent.objects.count() == events_before
    monkeypatch.undo()

    second = issue(exemption_case)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.document_number.endswith(f"〔{second.year}〕2号")


def test_appeal_deadline_counts_the_institutions_working_days(exemption_case, issue, guet):
    CaseTypePolicy.objects.filter(institution=guet, case_type=exemption_case.case_type).update(appeal_working_days=20)
    decision = issue(exemption_case)
    assert decision.appeal_deadline == add_working_days(decision.issue_date, 20)
    assert f"{decision.appeal_deadline.month}月{decision.appeal_deadline.day}日" in _flat(
        pdf_text(stored_bytes(decision))
    )


@pytest.mark.parametrize(
    ("kind", "outcome", "overrides", "message"),
    [
        ("exemption", "passed", {}, "不属于"),
        ("licence", "granted", {"licence_terms": []}, "许可条款"),
        ("exemption", "exempt", {"grounds": []}, "逐项"),
    ],
)
def test_bad_requests_are_refused_in_chinese(exemption_case, users, kind, outcome, overrides, message):
    with pytest.raises(DecisionIssueError) as error:
        decision_issue(
            case=exemption_case,
            kind=kind,
            outcome=outcome,
            content=samples.CONTENT_BY_KIND[kind](**overrides),
            issued_by=users["officer_guet"],
        )
    assert message in " ".join(error.value.messages)
    assert not Decision.objects.exists()


def test_superseding_marks_the_old_decision_and_cites_it(exemption_case, issue):
    old = issue(exemption_case, "exemption", "not_exempt")
    new = issue(exemption_case, "exemption", "reduced", supersedes=old)

    old.refresh_from_db()
    assert old.status == DecisionStatus.SUPERSEDED
    assert new.supersedes == old
    assert _flat(f"撤销并替代{old.document_number}") in _flat(pdf_text(stored_bytes(new)))
    with pytest.raises(DecisionIssueError):
        issue(exemption_case, "exemption", "exempt", supersedes=old)


def test_revoking_needs_a_reason_and_is_recorded(exemption_case, issue, users):
    decision = issue(exemption_case)
    with pytest.raises(Exception, match="理由"):
        decision_revoke(decision=decision, reason="  ", revoked_by=users["officer_guet"])

    decision_revoke(decision=decision, reason="发现新的违纪事实", revoked_by=users["officer_guet"])

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REVOKED
    assert AuditEvent.objects.filter(action="decision.revoked", target_id=str(decision.pk)).exists()


def test_with_a_timestamp_authority_the_seal_is_pades_b_lta(exemption_case, issue, settings):
    settings.TSA_URL = "local"
    decision = issue(exemption_case)

    data = stored_bytes(decision)
    report = decision_verify_file(data=data).report
    assert decision.signature_level == report.signature_level == "PAdES-B-LTA"
    # The signature timestamp, validation data and document timestamp are later revisions: still PDF 1.7.
    assert conformance_problems(data, language="zh-CN") == []
    assert [check.is_timestamp for check in report.signatures] == [False, True]
    assert report.certifying_signature.timestamped
    assert report.ok


class IssuedDecisionFileTests(IssuedExemptionTestCase):
    def test_pdf_is_pdfa3b_with_the_case_trail_embedded(self):
        data = stored_bytes(self.decision)

        assert re.search(r"pdfaid:part[>=\"]+3", pdf_info(data))
        assert "audit-trail.json" in pdf_attachments(data)
        reader = PdfFileReader(io.BytesIO(data))
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        trail = json.loads(names[1].get_object()["/EF"]["/F"].get_object().data)
        hashes = [event["event_hash"] for event in trail["events"]]
        assert self.decision.audit_head_hash == hashes[-1]
        assert trail["case_number"] == self.case.number

    def test_issue_records_rendered_signed_and_issued(self):
        actions = list(
            AuditEvent.objects.filter(target_type="decisions.Decision", target_id=str(self.decision.pk)).values_list(
                "action", flat=True
            )
        )
        assert actions == ["decision.rendered", "decision.signed", "decision.issued"]

    def test_the_trail_is_an_associated_file_listed_once(self):
        reader = PdfFileReader(io.BytesIO(stored_bytes(self.decision)))
        associated = [reference.get_object()["/UF"] for reference in reader.root["/AF"]]
        assert associated == ["audit-trail.json"]
        assert reader.root["/AF"][0].get_object()["/AFRelationship"] == "/Data"
