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


def attachment_add(
    *, case: Case, uploaded_by, uploaded, category: str = "", description: str = "", supersedes=None
) -> Attachment:
    """Check an upload and attach it to the case. Raises ValidationError and stores nothing if bad.

    `uploaded` is a file of this request or a PendingUpload the uploader holds from a rejected submission:
    that one was checked when it was held, and becomes evidence here in place of its held row.
    """
    text_validate(description, label=_("description"))
    held = uploaded if isinstance(uploaded, PendingUpload) else None
    if held is not None:
        if held.owner_id != uploaded_by.pk:
            raise ValidationError(_("Only the person who uploaded a kept file can use it."))
        checked = CheckedUpload(
            name=held.original_name, size=held.size, content_type=held.content_type, sha256=held.sha256
        )
    else:
        checked = upload_check(uploaded)
    if supersedes is not None:
        if supersedes.case_id != case.pk:
            raise ValidationError(_("Only evidence of this case can be replaced."))
        if Attachment.objects.filter(supersedes=supersedes).exists():
            raise ValidationError(_("This file has already been replaced; replace the newest version."))
    storage_name = Attachment(sha256=checked.sha256).storage_name
    with transaction.atomic():
        # Stored first: a rolled-back transaction leaves at worst an unreferenced content file,
        # never a record without its content.
        if held is None:
            file_store_save(name=storage_name, content=uploaded)
        else:
            _held_store(held, storage_name)
        return _attachment_create(
            case=case,
            uploaded_by=uploaded_by,
            checked=checked,
            category=category,
            description=description,
            supersedes=supersedes,
        )


def _attachment_create(*, case, uploaded_by, checked: CheckedUpload, category, description, supersedes=None):
    attachment = Attachment.objects.create(
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
    return attachment


def evidence_store(uploaded) -> CheckedUpload:
    """Check an upload and store its content where evidence is kept (by SHA-256, never deleted), for a
    file that belongs to no case yet (a company's application); `attachment_from_store` attaches it later."""
    checked = upload_check(uploaded)
    file_store_save(name=Attachment(sha256=checked.sha256).storage_name, content=uploaded)
    return checked


def attachment_from_store(*, case: Case, uploaded_by, checked: CheckedUpload, category: str = "", description=""):
    """Attach content `evidence_store` kept earlier; inside the caller's transaction."""
    return _attachment_create(
        case=case, uploaded_by=uploaded_by, checked=checked, category=category, description=description
    )


def _held_store(held: PendingUpload, storage_name: str) -> None:
    gone = ValidationError(
        _("The file “%(name)s” kept from your earlier submission is no longer available; upload it again.")
        % {"name": held.original_name}
    )
    # Deleting the row first makes a double submission use it once: the second finds nothing to delete.
    if not pending_uploads_release([held]):
        raise gone
    try:
        content = file_store_open(held.storage_name)
    except FileNotFoundError:
        raise gone from None
    with content:
        file_store_save(name=storage_name, content=content)


def attachment_open(attachment: Attachment):
    """Open the stored content for reading."""
    return file_store_open(attachment.storage_name)
