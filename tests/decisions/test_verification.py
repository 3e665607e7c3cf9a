"""The must-show cases, each checked through the public page and through `manage.py verify_decision`."""

import io
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.decisions.helpers import stored_bytes
from tests.decisions.issued import IssuedExemptionTestCase
from tolerance.audit.models import AuditEvent
from tolerance.decisions import pki
from tolerance.decisions.pades import PadesSealer
from tolerance.decisions.rendering import render_document
from tolerance.decisions.sealing import SealRequest

pytestmark = pytest.mark.django_db


def flip_byte(data: bytes) -> bytes:
    # Inside the first content stream: signed bytes, yet the file still parses.
    position = data.index(b"stream", len(data) // 4) + 200
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def append_incremental_update(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def append_junk(data: bytes) -> bytes:
    return data + b"\n% appended after the end of the file\n"


@pytest.fixture
def foreign_signed(tmp_path, guet):
    """A decision-looking PDF sealed by a key certified by somebody else's CA."""
    other = pki.Paths(
        key_dir=tmp_path,
        root_cert=tmp_path / "root.pem",
        pkcs12_dir=tmp_path / "p12",
        deployment_key=tmp_path / "deployment.pem",
    )
    pki.create_root(other, common_name="Forger Root CA")
    html = (
        '<html><head><link rel="stylesheet" href="https://assets.tolerance.invalid/fonts.css"></head><body>'
        '<h1>容错免责认定决定书</h1><p>对张三予以免责。</p><div id="seal-anchor"></div></body></html>'
    )
    rendered = render_document(html, embedded=[])
    with override_settings(KEY_DIR=tmp_path, TRUST_ROOTS_PATH=other.root_cert, SIGNING_PKCS12_DIR=other.pkcs12_dir):
        return PadesSealer().seal(
            rendered.pdf, SealRequest(institution=guet, page_index=0, box=rendered.seal_box, reason="forged")
        )


def verify_by_page(data: bytes) -> str:
    response = Client().post(
        reverse("decisions_public:verify"), {"file": SimpleUploadedFile("decision.pdf", data, "application/pdf")}
    )
    assert response.status_code == 200
    return response.content.decode()


def verify_by_command(data: bytes, tmp_path) -> tuple[int, str]:
    path = tmp_path / "decision.pdf"
    path.write_bytes(data)
    output = io.StringIO()
    try:
        call_command("verify_decision", str(path), stdout=output)
    except SystemExit as exit_:
        return exit_.code, output.getvalue()
    return 0, output.getvalue()


TAMPERINGS = [
    (flip_byte, "文件已被改动"),
    (append_incremental_update, "签章未覆盖整个文件"),
    (append_junk, "签章未覆盖整个文件"),
]


class IssuedDecisionVerificationTests(IssuedExemptionTestCase):
    def setUp(self):
        super().setUp()
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.tmp_path = Path(directory.name)

    def test_a_genuine_decision_is_accepted_by_page_and_command(self):
        data = stored_bytes(self.decision)

        page = verify_by_page(data)
        assert "真实、未被改动且仍然有效" in page
        assert self.decision.document_number in page and self.case.number in page
        code, output = verify_by_command(data, self.tmp_path)
        assert code == 0
        assert self.decision.document_number in output

    def test_altered_files_are_rejected_with_the_reason(self):
        for tamper, reason in TAMPERINGS:
            data = tamper(stored_bytes(self.decision))

            page = verify_by_page(data)
            assert "未通过验证" in page, tamper.__name__
            assert reason in page, tamper.__name__
            assert f"与已签发的决定书 {self.decision.document_number} 不逐字节一致" in page, tamper.__name__
            code, output = verify_by_command(data, self.tmp_path)
            assert code == 1, tamper.__name__
            assert reason in output, tamper.__name__

    def test_incremental_update_is_also_reported_as_a_forbidden_change(self):
        page = verify_by_page(append_incremental_update(stored_bytes(self.decision)))
        assert "不允许的方式修改" in page

    def test_by_code_shows_only_what_the_decision_states(self):
        decision = self.decision
        response = Client().get(reverse("decisions_public:verify_code", args=[decision.verification_code.lower()]))

        page = response.content.decode()
        assert response.status_code == 200
        assert "真实、未被改动且仍然有效" in page
        for shown in [self.case.number, decision.document_number, "容错免责", "免责", "有效"]:
            assert shown in page
        for hidden in [decision.sha256, "王科", "researcher_zhang", decision.case.title]:
            assert hidden not in page

    def test_the_code_form_redirects_and_rejects_malformed_codes(self):
        code = self.decision.verification_code
        client = Client()
        response = client.post(reverse("decisions_public:verify"), {"code": code.replace("-", " ")})
        assert response.status_code == 302
        assert response["Location"] == reverse("decisions_public:verify_code", args=[code])
        response = client.post(reverse("decisions_public:verify"), {"code": "<script>"})
        assert response.status_code == 400
        assert "验证码由十位字母和数字组成" in response.content.decode()

    def test_every_verification_is_an_audit_event(self):
        Client().get(reverse("decisions_public:verify_code", args=[self.decision.verification_code]))
        verify_by_page(append_junk(stored_bytes(self.decision)))

        events = AuditEvent.objects.filter(action="decision.verified").order_by("sequence")
        assert [(event.payload["method"], event.payload["genuine"]) for event in events] == [
            ("code", True),
            ("upload", False),
        ]
        assert events[0].case_id == self.case.pk


def test_a_key_from_another_ca_is_not_trusted(foreign_signed, tmp_path):
    page = verify_by_page(foreign_signed)
    assert "未通过验证" in page
    assert "不是由受信任的机构签发" in page
    code, output = verify_by_command(foreign_signed, tmp_path)
    assert code == 1
    assert "不是由受信任的机构签发" in output


def test_a_superseded_decision_is_genuine_but_not_in_force(exemption_case, issue, tmp_path):
    old = issue(exemption_case, "exemption", "not_exempt")
    issue(exemption_case, "exemption", "reduced", supersedes=old)
    data = stored_bytes(old)

    page = verify_by_page(data)
    assert "真实且未被改动，但已不再有效" in page
    assert "已被后续决定替代" in page
    code, output = verify_by_command(data, tmp_path)
    assert code == 1
    assert "已被后续决定替代" in output


def test_not_a_pdf(tmp_path):
    page = verify_by_page(b"%PDF-1.7 this is not really a PDF")
    assert "不是可读取的 PDF" in page
    assert verify_by_command(b"hello", tmp_path)[0] == 1


def test_unknown_code_is_a_clear_404():
    response = Client().get(reverse("decisions_public:verify_code", args=["ZZZZZ-ZZZZZ"]))
    assert response.status_code == 404
    assert "没有决定书使用此验证码" in response.content.decode()


@override_settings(DECISION_VERIFY_RATE="2/m")
def test_verification_is_rate_limited_with_a_chinese_429():
    client = Client()
    url = reverse("decisions_public:verify_code", args=["ZZZZZ-ZZZZZ"])
    assert [client.get(url).status_code for _ in range(2)] == [404, 404]
    response = client.get(url)
    assert response.status_code == 429
    assert "验证请求过于频繁" in response.content.decode()


@override_settings(DECISION_VERIFY_UPLOAD_MAX_BYTES=1000)
def test_uploads_are_size_capped():
    response = Client().post(
        reverse("decisions_public:verify"),
        {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (200 * 1024), "application/pdf")},
    )
    assert response.status_code == 413
    assert "文件大于" in response.content.decode()


def test_root_certificate_is_downloadable_without_login():
    response = Client().get(reverse("decisions_public:root_certificate"))
    assert response.status_code == 200
    assert response.content.startswith(b"-----BEGIN CERTIFICATE-----")
