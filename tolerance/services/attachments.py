"""Accepting evidence files: checked by content, stored by SHA-256, never overwritten or deleted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.file_store import file_store_open, file_store_save
from tolerance.models import Attachment, Case, PendingUpload
from tolerance.services.pending_uploads import pending_uploads_release
from tolerance.services.uploads import CheckedUpload, upload_check
from tolerance.text import text_validate


class _HeldGone(Exception):
    """A held upload was used or dropped meanwhile; raised inside the savepoint so that it rolls back."""


def attachment_add(
    *, case: Case, uploaded_by, uploaded, category: str = "", description: str = "", supersedes=None
) -> Attachment:
    """Check an upload and attach it to the case. Raises ValidationError and stores nothing if bad.

    `uploaded` is a file of this request or a PendingUpload the uploader holds from a rejected submission:
    that one was checked when it was held, and becomes evidence here in place of its held row.
    """
    text_validate(description, label=_("description"))
    if supersedes is not None:
        if supersedes.case_id != case.pk:
            raise ValidationError(_("Only evidence of this case can be replaced."))
        if Attachment.objects.filter(supersedes=supersedes).exists():
            raise ValidationError(_("This file has already been replaced; replace the newest version."))
    return _attach(case, uploaded_by, [(uploaded, category, description, supersedes)])[0]


def attachments_add(*, case: Case, uploaded_by, files) -> list[Attachment]:
    """`attachment_add` for several files at once (a filing's evidence): `files` are (category, uploaded)
    pairs. All or none are attached; the held rows go in one statement and the attachments come in one."""
    return _attach(case, uploaded_by, [(uploaded, category, "", None) for category, uploaded in files])


def _attach(case, uploaded_by, entries) -> list[Attachment]:
    checked_entries = []
    for uploaded, category, description, supersedes in entries:
        if isinstance(uploaded, PendingUpload):
            if uploaded.owner_id != uploaded_by.pk:
                raise ValidationError(_("Only the person who uploaded a kept file can use it."))
            checked = CheckedUpload(
                name=uploaded.original_name,
                size=uploaded.size,
                content_type=uploaded.content_type,
                sha256=uploaded.sha256,
            )
        else:
            checked = upload_check(uploaded)
        checked_entries.append((uploaded, checked, category, description, supersedes))
    if not checked_entries:
        return []
    held = [uploaded for uploaded, *_rest in checked_entries if isinstance(uploaded, PendingUpload)]
    try:
        with transaction.atomic():
            # Deleting the held rows first makes a double submission use them once: the second finds
            # fewer rows than it holds and attaches nothing.
            if held and pending_uploads_release(held) != len(held):
                raise _HeldGone
            # Stored before the rows: a rolled-back transaction leaves at worst an unreferenced content
            # file, never a record without its content.
            for uploaded, checked, *_rest in checked_entries:
                _content_store(uploaded, Attachment(sha256=checked.sha256).storage_name)
            return _attachments_create(case, uploaded_by, [entry[1:] for entry in checked_entries])
    except _HeldGone:
        present = set(PendingUpload.objects.filter(pk__in=[row.pk for row in held]).values_list("pk", flat=True))
        raise _held_gone(next(row for row in held if row.pk not in present)) from None


def _content_store(uploaded, storage_name: str) -> None:
    if not isinstance(uploaded, PendingUpload):
        file_store_save(name=storage_name, content=uploaded)
        return
    try:
        content = file_store_open(uploaded.storage_name)
    except FileNotFoundError:
        raise _held_gone(uploaded) from None
    with content:
        file_store_save(name=storage_name, content=content)


def _held_gone(held: PendingUpload) -> ValidationError:
    return ValidationError(
        _("The file “%(name)s” kept from your earlier submission is no longer available; upload it again.")
        % {"name": held.original_name}
    )


def _attachments_create(case, uploaded_by, entries) -> list[Attachment]:
    """Attachment rows for (checked, category, description, supersedes) entries, one INSERT, and their events."""
    attachments = Attachment.objects.bulk_create(
        [
            Attachment(
                case=case,
                category=category[:50],
                description=description[:200],
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.content_type,
                original_name=checked.name,
                uploaded_by=uploaded_by,
                supersedes=supersedes,
            )
            for checked, category, description, supersedes in entries
        ]
    )
    for attachment, (checked, _category, _description, supersedes) in zip(attachments, entries, strict=True):
        audit_record(
            action=AuditAction.ATTACHMENT_ADDED,
            actor=uploaded_by,
            case=case,
            target=attachment,
            payload={
                "name": checked.name,
                "sha256": checked.sha256,
                "size": checked.size,
                "content_type": checked.content_type,
                "category": attachment.category,
                "supersedes": supersedes.pk if supersedes else None,
            },
        )
    return attachments


def evidence_store(uploaded) -> CheckedUpload:
    """Check an upload and store its content where evidence is kept (by SHA-256, never deleted), for a
    file that belongs to no case yet (a company's application); `attachment_from_store` attaches it later."""
    checked = upload_check(uploaded)
    file_store_save(name=Attachment(sha256=checked.sha256).storage_name, content=uploaded)
    return checked


def attachment_from_store(*, case: Case, uploaded_by, checked: CheckedUpload, category: str = "", description=""):
    """Attach content `evidence_store` kept earlier; inside the caller's transaction."""
    return _attachments_create(case, uploaded_by, [(checked, category, description, None)])[0]


def attachment_open(attachment: Attachment):
    """Open the stored content for reading."""
    return file_store_open(attachment.storage_name)
