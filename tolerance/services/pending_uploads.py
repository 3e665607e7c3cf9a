"""Holding the files of a rejected submission for their owner until the next one, or until they expire."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tolerance.file_store import file_store_discard, file_store_save
from tolerance.models import PendingUpload
from tolerance.services.uploads import upload_check

# No audit events here: a held file belongs to no case and is not evidence yet. Its event is recorded when
# attachment_add turns it into an attachment of a case.


def pending_uploads_hold(*, owner, purpose: str, uploads) -> tuple[list[PendingUpload], dict]:
    """Check each of the (field, upload) pairs exactly as evidence is checked and hold the good ones for
    `owner`, in one INSERT; returns the held rows and, by field, the ValidationErrors of the bad ones."""
    rows, errors = [], {}
    for field, uploaded in uploads:
        try:
            checked = upload_check(uploaded)
        except ValidationError as error:
            errors.setdefault(field, []).append(error)
            continue
        # Stored before the rows: at worst an unreferenced content file, never a row without its content.
        file_store_save(name=PendingUpload.storage_name_for(checked.sha256), content=uploaded)
        rows.append(
            PendingUpload(
                owner=owner,
                purpose=purpose,
                field=field,
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.content_type,
                original_name=checked.name,
            )
        )
    return (PendingUpload.objects.bulk_create(rows) if rows else []), errors


def pending_uploads_drop(*, owner, pending: list[PendingUpload]) -> None:
    """The owner no longer wants these held files."""
    mine = [held for held in pending if held.owner_id == owner.pk]
    if not mine:  # the usual case (nothing was held): no transaction to open and close
        return
    with transaction.atomic():
        pending_uploads_release(mine)


def pending_uploads_release(pending: list[PendingUpload]) -> int:
    """Delete held uploads inside the caller's transaction; returns how many rows were still there.

    The content goes after the commit, and only if no other held upload has the same bytes. A hold of the
    same bytes racing that check can lose its content; using it then asks for the file again
    (attachment_add), which is rare enough to prefer over keeping every dropped file forever.
    """
    digests = {held.sha256 for held in pending}
    deleted, _by_model = PendingUpload.objects.filter(pk__in=[held.pk for held in pending]).delete()
    if digests:
        transaction.on_commit(lambda: _content_release(digests))
    return deleted


def _content_release(digests: set[str]) -> None:
    needed = set(PendingUpload.objects.filter(sha256__in=digests).values_list("sha256", flat=True))
    for sha256 in digests - needed:
        file_store_discard(PendingUpload.storage_name_for(sha256))


def pending_uploads_expire(*, older_than: datetime.timedelta) -> int:
    """Remove held uploads nobody came back for; returns how many."""
    with transaction.atomic():
        stale = list(PendingUpload.objects.filter(created_at__lt=timezone.now() - older_than))
        return pending_uploads_release(stale)
