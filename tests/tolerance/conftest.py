import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PDF_BYTES  # noqa: F401 — a small PDF libmagic recognises; tests import it from here
from tolerance.file_store import ARCHIVE

# A Windows executable's headers (MZ stub pointing at a PE signature).
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + (64).to_bytes(4, "little")
    + b"PE\x00\x00\x4c\x01"
    + b"\x00" * 200
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def memory_archive(settings, media_root):
    """The archive swapped in settings for another backend, as a deployment would swap in a bucket."""
    settings.STORAGES = {**settings.STORAGES, ARCHIVE: {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return storages[ARCHIVE]


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def upload(name, content):
    """An uploaded file whose name is taken as given, as a caller other than Django's form parser might pass it."""
    uploaded = SimpleUploadedFile("upload.bin", content)
    # SimpleUploadedFile strips directories from names it is given; a hostile caller's would not be.
    uploaded._name = name
    return uploaded
