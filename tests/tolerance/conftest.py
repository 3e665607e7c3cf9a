import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tolerance.file_store import ARCHIVE
from tolerance.models import CaseType
from tolerance.services.cases import SubjectSpec, case_file

# Small files whose type libmagic recognises from the content.
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
# A Windows executable's headers (MZ stub pointing at a PE signature).
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + (64).to_bytes(4, "little")
    + b"PE\x00\x00\x4c\x01"
    + b"\x00" * 200
)


@pytest.fixture
def file_case(users):
    """File a case through the service, by default a GUET exemption case about 张三."""

    def make(
        *, officer="officer_guet", subjects=("researcher_zhang",), case_type=CaseType.EXEMPTION, title="成果转化失败"
    ):
        filer = users[officer]
        return case_file(
            institution=filer.profile.institution,
            case_type=case_type,
            title=title,
            filed_by=filer,
            subjects=[SubjectSpec(user=users[name]) for name in subjects],
        )

    return make


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
