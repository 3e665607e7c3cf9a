"""Evidence, decisions' files and checkpoint copies in an S3-compatible bucket (moto's server), by settings alone."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.object_store import bucket_keys, object_storage_settings
from tolerance.audit.checkpoints import checkpoint_anchors, checkpoint_make
from tolerance.deployment_checks import shared_state_check
from tolerance.models import Attachment

from .conftest import PDF_BYTES, stored_files


def test_evidence_and_checkpoints_go_to_the_bucket_and_nothing_to_the_local_disk(
    client_for, file_case, s3_storage, s3_endpoint, media_root, settings
):
    case = file_case()
    response = client_for("officer_guet").post(
        f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("合同.pdf", PDF_BYTES), "category": "contract"}
    )
    assert response.status_code == 302
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    attachment = Attachment.objects.get()

    checkpoint = checkpoint_make()

    keys = bucket_keys(s3_endpoint, s3_storage)
    assert f"site/attachments/{digest[:2]}/{digest[2:4]}/{digest}" in keys
    assert [key for key in keys if key.startswith("site/audit-checkpoints/checkpoint-")] == [
        f"site/audit-checkpoints/checkpoint-{checkpoint.sequence:012d}-{checkpoint.created_at:%Y%m%dT%H%M%S%fZ}.json"
    ]
    assert stored_files(media_root) == [] and stored_files(settings.AUDIT_CHECKPOINT_DIR) == []
    # The bucket's copy counts as a checkpoint beside the database's row.
    assert checkpoint_anchors()[1] == 2
    download = client_for("researcher_zhang").get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_an_unreachable_bucket_is_the_chinese_storage_page_and_nothing_is_recorded(file_case, users, settings):
    case = file_case()
    # A port nobody listens on: the connection is refused at once.
    settings.STORAGES = {**settings.STORAGES, **object_storage_settings("http://127.0.0.1:9", "absent")}
    client = Client(raise_request_exception=False)
    client.force_login(users["officer_guet"])

    response = client.post(
        f"/cases/{case.pk}/attachments/", {"file": SimpleUploadedFile("合同.pdf", PDF_BYTES), "category": "contract"}
    )

    assert response.status_code == 503
    assert "文件存储目前无法使用" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_deployment_check_asks_for_a_shared_cache_when_the_files_are_in_a_bucket(settings):
    settings.S3_BUCKET = "tolerance-archive"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/x"}}
    assert [warning.id for warning in shared_state_check(None)] == ["tolerance.W001"]

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r"}}
    assert shared_state_check(None) == []
