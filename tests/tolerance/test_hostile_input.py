"""No input yields a 500: NUL and control characters, huge numbers, failing storage."""

import errno
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tolerance.audit.models import AuditEvent
from tolerance.audit.services import audit_record
from tolerance.file_store import ARCHIVE, WriteOnceFileSystemStorage
from tolerance.models import Attachment

from .conftest import PDF_BYTES

_SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _route(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _route(entry.pattern)


def _route(pattern):
    import re

    text = str(pattern)
    if hasattr(pattern, "_route"):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES.get(m.group(1) or "str", "1"), text)
    # A regex pattern: drop anchors and fill each group with a sample value.
    text = text.lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return re.sub(r"[\\^$?*+]", "", text)


def every_path():
    return sorted({"/" + path for path in _walk(get_resolver().url_patterns)})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "officer_guet"])
def test_nul_in_path_or_query_of_every_pattern_is_never_a_500(users, file_case, who):
    file_case()
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(users[who])
    failures = []
    for path in every_path():
        for url in (path + "%00", path + "?q=%00&before=%00", path.rstrip("/") + "%00x/"):
            for method in (client.get, client.post):
                response = method(url)
                if response.status_code >= 500:
                    failures.append((method.__name__, url, response.status_code))
    assert not failures


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["path", "query"])
def test_a_nul_byte_is_answered_with_a_chinese_400_page(users, client_for, where):
    client = client_for("officer_guet")
    url = "/cases/%00/" if where == "path" else "/cases/?before=%00"
    response = client.get(url)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("before", ["9" * 5000, "9" * 30, "-1", "1e9", "²"])
def test_the_paging_parameter_of_every_list_is_bounded(users, file_case, client_for, before):
    file_case()
    client = client_for("officer_guet")
    for url in ("/cases/", "/exemption/queue/", "/exemption/inbox/", "/exemption/archive/", "/exemption/flows/"):
        response = client.get(url, {"before": before})
        assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["9999", "99999999", "9" * 5000, "0", "-5", "x"])
def test_the_admin_date_filter_with_a_huge_year_is_never_a_500(users, client_for, year):
    client = Client(raise_request_exception=False)
    client.force_login(users["admin"])
    for url in ("/admin/audit/auditevent/", "/admin/tolerance/workingdayoverride/"):
        for query in (
            {"occurred_at__year": year},
            {"occurred_at__year": year, "occurred_at__month": "12"},
            {"occurred_at__year": year, "occurred_at__month": "12", "occurred_at__day": "31"},
            {"date__year": year},
            {"date__year": year, "date__month": "12", "date__day": "31"},
            {"date__year": "2026", "date__month": year},
        ):
            response = client.get(url, query)
            assert response.status_code < 500, (url, query)


class _BrokenArchive(InMemoryStorage):
    """A storage whose disk went read-only and whose files cannot be read."""

    def _save(self, name, content):
        raise OSError(errno.EROFS, "Read-only file system")

    def _open(self, name, mode="rb"):
        raise PermissionError(errno.EACCES, "Permission denied")


@pytest.fixture
def broken_archive(settings):
    settings.STORAGES = {**settings.STORAGES, ARCHIVE: {"BACKEND": f"{__name__}._BrokenArchive"}}


@pytest.mark.django_db
def test_a_read_only_archive_on_upload_is_a_chinese_page_and_nothing_is_recorded(file_case, users, broken_archive):
    case = file_case()
    client = Client(raise_request_exception=False)
    client.force_login(users["officer_guet"])
    events = AuditEvent.objects.count()
    response = client.post(f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("合同.pdf", PDF_BYTES)})
    assert response.status_code == 503
    assert "文件存储目前无法使用" in response.content.decode()
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_unreadable_or_missing_evidence_file_on_download_is_a_chinese_page(
    file_case, users, memory_archive, settings
):
    case = file_case()
    client = Client(raise_request_exception=False)
    client.force_login(users["officer_guet"])
    client.post(f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("合同.pdf", PDF_BYTES)})
    attachment = Attachment.objects.get()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"

    memory_archive.delete(attachment.storage_name)
    missing = client.get(url)
    assert missing.status_code == 404 and "在文件存储中找不到" in missing.content.decode()

    settings.STORAGES = {**settings.STORAGES, ARCHIVE: {"BACKEND": f"{__name__}._BrokenArchive"}}
    unreadable = client.get(url)
    assert unreadable.status_code == 503 and "文件存储目前无法使用" in unreadable.content.decode()


def test_a_write_failing_on_a_read_only_disk_leaves_no_temporary_file(tmp_path, monkeypatch):
    storage = WriteOnceFileSystemStorage(location=tmp_path)

    def read_only(*args):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(OSError):
        storage.save("attachments/ab/cd/abcd", ContentFile(b"content"))
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


@pytest.mark.django_db
def test_the_audit_payload_scrubber_removes_nul_so_postgresql_keeps_the_event(users):
    with transaction.atomic():
        event = audit_record(action="test.nul", payload={"path": "/x\x00y", "k\x00": ["a\x00", "b\x07"], "n": 1})
    event.refresh_from_db()
    assert event.payload == {"path": "/xy", "k": ["a", "b"], "n": 1}
