"""S3-compatible object storage (django-storages over boto3) for the archive and the checkpoint copies.

Chosen by configuration alone (TOLERANCE_S3_BUCKET and its companions, see settings.py and
docs/operations.md): with it, every app server reads and writes the same evidence, decisions and
checkpoint files, so any number of them can serve the site. Local disk stays the default.
"""

import errno

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from tolerance.file_store import FileStoreUnavailable

ADDRESSING_STYLES = ("auto", "path", "virtual")


def _is_missing(error: Exception) -> bool:
    return isinstance(error, ClientError) and error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class ObjectStorage(S3Storage):
    """S3Storage whose failures are the file store's own (FileStoreUnavailable: the 503 page, nothing saved).

    Its client asks for checksums only where S3 requires them: boto3 sends CRC32 headers on every
    upload by default since 1.36, which 阿里云 OSS, 腾讯云 COS and older MinIO releases refuse.
    """

    def __init__(self, **options):
        style = options.pop("addressing_style", "auto") or "auto"
        options.setdefault(
            "client_config",
            Config(
                s3={"addressing_style": style},
                signature_version="s3v4",
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )
        # Evidence is confidential: objects stay private (the bucket's policy), and the app streams them
        # to users who may see them; no public URL is ever handed out.
        options.setdefault("default_acl", None)
        # Names are content hashes: rewriting a name rewrites the same bytes.
        options.setdefault("file_overwrite", True)
        super().__init__(**options)

    def _unavailable(self, name: str, error: Exception) -> FileStoreUnavailable:
        return FileStoreUnavailable(errno.EIO, f"The object store could not reach {name!r}: {error}")

    def _open(self, name, mode="rb"):
        try:
            return super()._open(name, mode)
        except (BotoCoreError, ClientError) as error:
            raise self._unavailable(name, error) from error

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except (BotoCoreError, ClientError) as error:
            raise self._unavailable(name, error) from error

    def exists(self, name):
        try:
            return super().exists(name)
        except (BotoCoreError, ClientError) as error:
            raise self._unavailable(name, error) from error

    def delete(self, name):
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as error:
            if not _is_missing(error):
                raise self._unavailable(name, error) from error

    def listdir(self, name):
        try:
            return super().listdir(name)
        except (BotoCoreError, ClientError) as error:
            raise self._unavailable(name, error) from error
