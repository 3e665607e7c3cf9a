"""Hostile files: programs, scripts and pages refused whatever their content; Office files must be of
their kind; a file is stored and served under the extension of what it really is; names and titles take
no control, bidi or zero-width characters."""

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tolerance.models import Attachment
from tolerance.services.cases import SubjectSpec, case_file
from tolerance.services.uploads import upload_check
from tolerance.text import text_validate

from .conftest import PDF_BYTES, stored_files

# A PDF that is also a page: the bytes begin as a PDF, and a browser shown them as HTML runs the script.
POLYGLOT = PDF_BYTES + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def zip_of(*entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def content_types(main_type, part):
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )


DOCX = zip_of(("[Content_Types].xml", content_types(_DOCX_MAIN, "word/document.xml")), ("word/document.xml", "<w/>"))


def post(client, case, name, content):
    return client.post(f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("决定.html", POLYGLOT),
        ("决定.hta", POLYGLOT),
        ("决定.exe", POLYGLOT),
        ("决定.pdf.js", POLYGLOT),
        ("决定.svg", POLYGLOT),
        ("run.sh", b"%PDF-1.4\n"),
        ("报告.docm", DOCX),
    ],
)
def test_a_program_script_or_page_name_is_refused_whatever_the_content(
    client_for, file_case, media_root, name, content
):
    case = file_case()
    response = post(client_for("officer_guet"), case, name, content)
    assert response.status_code == 400
    assert "程序、脚本或网页" in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize(
    "content",
    [
        b"#!/bin/sh\nrm -rf ~\n",
        b"<HTA:APPLICATION>\n<script>new ActiveXObject('WScript.Shell')</script>",
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\0" * 60,  # Mach-O
    ],
    ids=["shell", "hta", "mach-o"],
)
def test_a_program_or_script_by_content_is_refused_under_an_innocent_name(client_for, file_case, media_root, content):
    case = file_case()
    response = post(client_for("officer_guet"), case, "说明.txt", content)
    assert response.status_code == 400
    assert "程序、脚本或网页" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "stored"), [("说明.txt", "说明.pdf"), ("合同", "合同.pdf"), ("扫描件.PDF", "扫描件.PDF")]
)
def test_the_stored_and_served_name_ends_with_the_extension_of_the_detected_type(
    client_for, file_case, media_root, name, stored
):
    case = file_case()
    assert post(client_for("officer_guet"), case, name, PDF_BYTES).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == stored and attachment.content_type == "application/pdf"
    response = client_for("researcher_zhang").get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and quote(stored) in disposition


def test_an_old_record_with_a_misleading_name_is_served_under_its_real_type():
    attachment = Attachment(original_name="页面.html", content_type="application/pdf")
    assert attachment.download_name == "页面.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.docx", zip_of(("a.txt", "any zip"))),
        ("报告.docx", zip_of(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>"))),
        ("报告.docx", zip_of(("[Content_Types].xml", content_types(_DOCX_MAIN, "word/document.xml")))),
        ("表格.xlsx", DOCX),
        ("表格.xlsx", zip_of(("word/document.xml", "<w/>"))),
        ("报告.docx", DOCX[:-30]),
        (
            "报告.docx",
            zip_of(
                ("[Content_Types].xml", content_types(_DOCX_MAIN, "word/document.xml")),
                ("word/document.xml", "<w/>"),
                ("word/vbaProject.bin", "macro"),
            ),
        ),
        ("旧文档.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600),
        (
            "旧表格.xls",
            bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 100 + "WordDocument".encode("utf-16-le") + b"\0" * 500,
        ),
    ],
    ids=[
        "any-zip",
        "no-main-type",
        "no-main-part",
        "docx-as-xlsx",
        "xlsx-zip",
        "truncated",
        "macros",
        "ole",
        "doc-as-xls",
    ],
)
def test_an_office_file_must_be_a_real_document_of_its_kind(name, content):
    with pytest.raises(ValidationError):
        upload_check(SimpleUploadedFile(name, content))


def test_a_real_office_document_passes():
    xlsx = zip_of(("[Content_Types].xml", content_types(_XLSX_MAIN, "xl/workbook.xml")), ("xl/workbook.xml", "<w/>"))
    assert upload_check(SimpleUploadedFile("报告.docx", DOCX)).content_type.endswith("wordprocessingml.document")
    assert upload_check(SimpleUploadedFile("表格.xlsx", xlsx)).content_type.endswith("spreadsheetml.sheet")
    doc = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 100 + "WordDocument".encode("utf-16-le") + b"\0" * 500
    assert upload_check(SimpleUploadedFile("旧文档.doc", doc)).name == "旧文档.doc"


@pytest.mark.parametrize(
    "char", ["\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\x00", "\x1b", "\x85"], ids=lambda c: f"U+{ord(c):04X}"
)
def test_names_and_titles_refuse_control_bidi_and_zero_width_characters(users, guet, char):
    with pytest.raises(ValidationError, match="U\\+"):
        text_validate(f"报告{char}fdp.exe", label="文件名")
    with pytest.raises(ValidationError) as error:
        case_file(
            institution=guet,
            case_type="MZ",
            title=f"试验{char}事项",
            filed_by=users["officer_guet"],
            subjects=[SubjectSpec(user=users["researcher_zhang"])],
        )
    assert "不可见字符或控制字符" in " ".join(error.value.messages)


def test_free_text_keeps_its_line_breaks():
    assert text_validate("第一行\n第二行\r\n\t缩进", multiline=True)
    with pytest.raises(ValidationError):
        text_validate("第一行\n第二行")
