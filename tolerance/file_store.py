"""The one store for evidence files and issued decisions: content-addressed, written once, read back.

Files held for a later submission (PendingUpload, under `pending/`) live here too; they alone are ever
deleted, once no held upload needs them.

Everything goes through the Django storage `STORAGES["archive"]`, under names derived from the file's
SHA-256 (`Attachment.storage_name`, `Decision.storage_name_for`): the same bytes always get the same
name, so a name that exists already holds them and is never written again. The archive is local disk at
MEDIA_ROOT by default; any other Django storage backend, such as an S3-compatible bucket, is chosen in
`settings.STORAGES` alone (see the note there).
"""

import contextlib
import os
import tempfile

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

ARCHIVE = "archive"
PENDING_PREFIX = "pending/"


class FileStoreUnavailable(OSError):
    """The archive cannot be written or read right now (a read-only or full disk, an unreachable bucket).

    Raised instead of the backend's own error, so one place (tolerance.middleware.StorageErrorMiddleware)
    turns it into a page saying so. An OSError still, so code catching OSError keeps working.
    """


class WriteOnceFileSystemStorage(FileSystemStorage):
    """Local disk on which a stored file appears complete or not at all.

    Django's FileSystemStorage writes straight into the final name, so a crash halfway would leave a
    truncated file under a hash name, and write-once would keep it for good. Here the bytes go to a
    temporary file in the same directory, which is then renamed into place.
    """

    def __init__(self, **options):
        # Two writers racing to store the same new name hold the same bytes: the later rename is
        # harmless, whereas Django's default would file the second copy under the name with a random suffix.
        super().__init__(**{"allow_overwrite": True, **options})

    def _save(self, name, content):
        target = self.path(name)
        directory = os.path.dirname(target)
        os.makedirs(directory, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=directory, delete=False)
        try:
            with handle:
                for chunk in content.chunks():
                    handle.write(chunk)
            if self.file_permissions_mode is not None:
                os.chmod(handle.name, self.file_permissions_mode)
            os.replace(handle.name, target)
        except BaseException:
            # Never a half-written file left behind; on a disk that has gone read-only even the unlink
            # may fail, and the original error is the one to report.
            with contextlib.suppress(OSError):
                os.unlink(handle.name)
            raise
        return name


def file_store_save(*, name: str, content: File) -> None:
    """Store `content` under its content-hash `name`, unless a file of that name is already stored."""
    archive = storages[ARCHIVE]
    try:
        if archive.exists(name):
            return
        saved = archive.save(name, content)
        if saved != name:
            # A backend that never overwrites gave a concurrent writer's identical copy another name;
            # only the hash name is ever read, so the copy is dropped.
            archive.delete(saved)
    except FileStoreUnavailable:
        raise
    except OSError as error:
        raise FileStoreUnavailable(error.errno, f"The archive could not store {name}: {error}") from error


def file_store_open(name: str) -> File:
    """The stored file, open for binary reading; the caller closes it.

    Missing: FileNotFoundError; unreadable (permissions, an unreachable bucket): FileStoreUnavailable.
    """
    try:
        return storages[ARCHIVE].open(name, "rb")
    except (FileNotFoundError, FileStoreUnavailable):
        raise
    except OSError as error:
        raise FileStoreUnavailable(error.errno, f"The archive could not read {name}: {error}") from error


def file_store_discard(name: str) -> None:
    """Delete a held file's content. Evidence and decisions are kept for good, so only `pending/` names go."""
    if not name.startswith(PENDING_PREFIX):
        raise ValueError(f"Only held uploads are ever deleted from the archive, not {name!r}.")
    storages[ARCHIVE].delete(name)


def file_store_read(name: str) -> bytes:
    with file_store_open(name) as handle:
        return handle.read()
