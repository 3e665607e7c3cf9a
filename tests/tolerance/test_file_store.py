"""The archive: written once under the content's hash, through whichever storage the settings name."""

import hashlib
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tolerance.file_store import ARCHIVE, file_store_read, file_store_save
from tolerance.models import Attachment

from .conftest import PDF_BYTES, stored_files


def test_evidence_goes_to_the_storage_named_in_settings_and_is_downloaded_from_it(
    client_for, file_case, memory_archive, media_root
):
    case = file_case()
    response = client_for("officer_guet").post(
        f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("合同.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    digest = hashlib.sha256(PDF_BYTES).hexdigest()

    assert memory_archive.exists(f"attachments/{digest[:2]}/{digest[2:4]}/{digest}")
    assert stored_files(media_root) == []
    download = client_for("researcher_zhang").get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_stored_name_is_never_written_again(memory_archive):
    file_store_save(name="attachments/ab/cd/abcd", content=ContentFile(b"first"))
    file_store_save(name="attachments/ab/cd/abcd", content=ContentFile(b"second"))

    assert file_store_read("attachments/ab/cd/abcd") == b"first"


def test_a_writer_that_loses_a_race_leaves_no_alternative_name(memory_archive, monkeypatch):
    file_store_save(name="decisions/ab/abcd.pdf", content=ContentFile(b"%PDF"))
    # The loser's own check ran just before the winner stored the name; the storage's checks are real.
    stale_answers = [False]
    exists = memory_archive.exists
    monkeypatch.setattr(memory_archive, "exists", lambda name: stale_answers.pop() if stale_answers else exists(name))

    file_store_save(name="decisions/ab/abcd.pdf", content=ContentFile(b"%PDF"))

    assert not stale_answers
    assert memory_archive.listdir("decisions/ab") == ([], ["abcd.pdf"])


class _Interrupted(Exception):
    pass


class _BrokenUpload(ContentFile):
    """An upload whose connection drops after the first chunk."""

    def chunks(self, chunk_size=None):
        yield b"half of the "
        raise _Interrupted


def test_on_local_disk_an_interrupted_write_leaves_nothing_under_the_name(media_root):
    with pytest.raises(_Interrupted):
        file_store_save(name="attachments/ab/cd/abcd", content=_BrokenUpload(b""))

    assert not storages[ARCHIVE].exists("attachments/ab/cd/abcd")
    assert stored_files(media_root) == []


def test_on_local_disk_stored_files_are_readable_by_their_owner_only(media_root):
    file_store_save(name="attachments/ab/cd/abcd", content=ContentFile(b"evidence"))

    (path,) = stored_files(media_root)
    assert path == media_root / "attachments" / "ab" / "cd" / "abcd"
    assert os.stat(path).st_mode & 0o777 == 0o600
