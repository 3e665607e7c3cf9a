"""Evidence uploads: every rejection explains itself in Chinese and leaves nothing behind."""

import hashlib

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import Attachment
from tolerance.models.attachments import ImmutableRecordError
from tolerance.services.attachments import attachment_add

from .conftest import EXE_BYTES, PDF_BYTES, stored_files, upload


@pytest.fixture
def case(file_case):
    return file_case()


def post_upload(client, case, name, content, **fields):
    return client.post(
        f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile(name, content), "category": "contract", **fields}
    )


def assert_nothing_stored(media_root):
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_ADDED).exists()
    assert stored_files(media_root) == []


def test_an_officer_uploads_evidence_stored_by_its_sha256(client_for, case, media_root, users):
    response = post_upload(client_for("officer_guet"), case, "转让合同.pdf", PDF_BYTES)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert (attachment.sha256, attachment.size, attachment.content_type) == (digest, len(PDF_BYTES), "application/pdf")
    assert attachment.original_name == "转让合同.pdf"
    assert attachment.uploaded_by == users["officer_guet"]
    assert stored_files(media_root) == [media_root / "attachments" / digest[:2] / digest[2:4] / digest]
    assert AuditEvent.objects.get(action=AuditAction.ATTACHMENT_ADDED).payload["sha256"] == digest


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("合同.pdf", EXE_BYTES, "程序、脚本或网页"),
        ("说明.txt", b"<html><script>alert(1)</script></html>", "程序、脚本或网页"),
        ("空白.pdf", b"", "空"),
    ],
    ids=["exe-renamed-pdf", "html-renamed-txt", "empty"],
)
def test_a_bad_upload_is_refused_in_chinese_and_nothing_is_stored(client_for, case, media_root, name, content, message):
    response = post_upload(client_for("officer_guet"), case, name, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_stored(media_root)


def test_an_oversize_upload_is_refused_with_the_limit_in_chinese(client_for, case, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    response = post_upload(client_for("officer_guet"), case, "大文件.txt", b"a" * 3000)

    assert response.status_code == 400
    assert "大小为 2.9\xa0KB，超过上限 2.0\xa0KB" in response.content.decode()
    assert_nothing_stored(media_root)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd.pdf", "路径"),
        ("..\\..\\windows\\合同.pdf", "路径"),
        ("/tmp/合同.pdf", "路径"),
        ("..", "路径"),
        ("合同\x00.pdf", "控制字符"),
        ("合同\n.pdf", "控制字符"),
        ("合同\u202efdp.exe", "控制字符"),
        ("   ", "不能为空"),
    ],
    ids=["dotdot", "backslash", "absolute", "parent", "nul", "newline", "right-to-left-override", "blank"],
)
def test_a_dangerous_file_name_is_refused_in_chinese_and_nothing_is_stored(case, users, media_root, name, message):
    with pytest.raises(ValidationError) as error:
        attachment_add(case=case, uploaded_by=users["officer_guet"], uploaded=upload(name, PDF_BYTES))

    assert message in error.value.messages[0]
    assert_nothing_stored(media_root)


def test_the_browser_path_of_an_upload_never_reaches_the_disk(client_for, case, media_root):
    """Django's upload parser already drops directories from names; the file still lands under its hash."""
    response = post_upload(client_for("officer_guet"), case, "../../outside.pdf", PDF_BYTES)

    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "outside.pdf"
    assert all(media_root in path.parents for path in stored_files(media_root))
    assert not (media_root.parent / "outside.pdf").exists()


def test_a_replacement_supersedes_and_the_original_is_kept(client_for, case, media_root):
    client = client_for("researcher_zhang")
    post_upload(client, case, "v1.txt", "第一版说明".encode())
    original = Attachment.objects.get()

    response = post_upload(client, case, "v2.txt", "第二版说明".encode(), supersedes=original.pk)

    assert response.status_code == 302
    replacement = Attachment.objects.exclude(pk=original.pk).get()
    assert replacement.supersedes == original
    assert len(stored_files(media_root)) == 2
    with pytest.raises(ImmutableRecordError):
        original.delete()
    assert "已被替代" in client.get(f"/cases/{case.pk}/").content.decode()


def test_the_same_content_twice_is_stored_once(client_for, case, media_root):
    client = client_for("officer_guet")
    post_upload(client, case, "a.pdf", PDF_BYTES)
    post_upload(client, case, "b.pdf", PDF_BYTES)

    assert Attachment.objects.count() == 2
    assert len(stored_files(media_root)) == 1


def test_evidence_downloads_only_for_those_who_may_see_the_case(client_for, case, media_root):
    post_upload(client_for("officer_guet"), case, "合同.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"

    response = client_for("researcher_zhang").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    for outsider in ("researcher_li", "officer_gxnu", "licensee_demo"):
        assert client_for(outsider).get(url).status_code == 404
        assert post_upload(client_for(outsider), case, "x.pdf", PDF_BYTES).status_code == 404
    assert Attachment.objects.count() == 1


def test_committee_members_see_evidence_but_cannot_upload(client_for, case, media_root):
    response = post_upload(client_for("member1_guet"), case, "x.pdf", PDF_BYTES)

    assert response.status_code == 403
    assert_nothing_stored(media_root)


def test_an_unknown_evidence_category_is_refused_in_chinese_and_nothing_is_stored(client_for, case, media_root):
    response = post_upload(client_for("officer_guet"), case, "合同.pdf", PDF_BYTES, category="合同")

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert_nothing_stored(media_root)


def test_evidence_is_filed_under_a_registered_category_offered_with_its_label(client_for, case, media_root):
    client = client_for("officer_guet")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert '<option value="contract">合同文本</option>' in page

    assert post_upload(client, case, "合同.pdf", PDF_BYTES, category="contract").status_code == 302
    assert post_upload(client, case, "说明.txt", "说明".encode(), category="").status_code == 302
    assert sorted(Attachment.objects.values_list("category", flat=True)) == ["", "contract"]


def test_the_upload_form_is_offered_exactly_to_those_whose_upload_would_be_accepted(
    client_for, case, users, media_root
):
    # A supervisor who is also a researcher somewhere may upload in general and sees every case,
    # but is neither staff of this case's institution nor one of its parties.
    users["supervisor_city"].groups.add(Group.objects.get(name=roles.RESEARCHER))
    upload_url = f'action="/cases/{case.pk}/attachments/"'
    expected = {"officer_guet": True, "researcher_zhang": True, "member1_guet": False, "supervisor_city": False}

    for username, may_upload in expected.items():
        client = client_for(username)
        assert (upload_url in client.get(f"/cases/{case.pk}/").content.decode()) is may_upload, username
        status = post_upload(client, case, f"{username}.pdf", PDF_BYTES).status_code
        assert status == (302 if may_upload else 403), username
    assert Attachment.objects.count() == 2


def test_evidence_cannot_be_deleted_in_bulk_either(client_for, case, media_root):
    post_upload(client_for("officer_guet"), case, "合同.pdf", PDF_BYTES)

    with pytest.raises(ImmutableRecordError):
        Attachment.objects.filter(case=case).delete()
    with pytest.raises(ImmutableRecordError):
        case.attachments.all().delete()

    assert Attachment.objects.count() == 1
