"""Accepting evidence files: checked by content, stored by SHA-256, never overwritten or deleted."""

import hashlib
import os
import unicodedata

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.file_store import file_store_open, file_store_save
from tolerance.models import Attachment, Case

_SNIFF_BYTES = 64 * 1024
_MAX_NAME_LENGTH = 200
# libmagic names some ZIP-based Office files generically; trust them only with a matching extension.
_GENERIC_OFFICE = {
    "application/zip": {
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".odt": "application/vnd.oasis.opendocument.text",
        ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    },
    "application/CDFV2": {
        ".doc": "application/msword",
        ".xls": "application/vnd.ms-excel",
        ".ppt": "application/vnd.ms-powerpoint",
    },
}


def attachment_clean_name(name: str) -> str:
    """Validate an uploaded file's name and return it normalised; reject anything path-like."""
    if not name or not name.strip():
        raise ValidationError(_("The file name must not be empty."))
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in name):
        raise ValidationError(_("The file name contains control characters; rename the file and upload it again."))
    if "/" in name or "\\" in name or name.strip() in {".", ".."} or name.startswith(".."):
        raise ValidationError(
            _("The file name must not contain a path (such as “/”, “\\” or “..”); rename the file and upload it again.")
        )
    cleaned = unicodedata.normalize("NFC", name).strip()
    if len(cleaned) > _MAX_NAME_LENGTH:
        stem, extension = os.path.splitext(cleaned)
        cleaned = stem[: _MAX_NAME_LENGTH - len(extension)] + extension
    return cleaned


def _detect_type(head: bytes, name: str) -> str:
    detected = magic.from_buffer(head, mime=True)
    extension = os.path.splitext(name)[1].lower()
    return _GENERIC_OFFICE.get(detected, {}).get(extension, detected)


def attachment_add(
    *, case: Case, uploaded_by, uploaded, category: str = "", description: str = "", supersedes=None
) -> Attachment:
    """Check an upload and attach it to the case. Raises ValidationError and stores nothing if bad."""
    name = attachment_clean_name(getattr(uploaded, "name", "") or "")
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if uploaded.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s, more than the limit of %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    content_type = _detect_type(head, name)
    if content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
        allowed = pgettext("list separator", ", ").join(
            sorted({str(label) for label in settings.ATTACHMENT_ALLOWED_TYPES.values()})
        )
        raise ValidationError(
            _("The content of “%(name)s” is of type %(type)s, which is not accepted (accepted: %(allowed)s).")
            % {"name": name, "type": content_type, "allowed": allowed}
        )
    if supersedes is not None:
        if supersedes.case_id != case.pk:
            raise ValidationError(_("Only evidence of this case can be replaced."))
        if Attachment.objects.filter(supersedes=supersedes).exists():
            raise ValidationError(_("This file has already been replaced; replace the newest version."))
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    uploaded.seek(0)
    with transaction.atomic():
        # Stored first: a rolled-back transaction leaves at worst an unreferenced content file,
        # never a record without its content.
        file_store_save(name=Attachment(sha256=sha256).storage_name, content=uploaded)
        attachment = Attachment.objects.create(
            case=case,
            category=category[:50],
            description=description[:200],
            sha256=sha256,
            size=uploaded.size,
            content_type=content_type,
            original_name=name,
            uploaded_by=uploaded_by,
            supersedes=supersedes,
        )
        audit_record(
            action=AuditAction.ATTACHMENT_ADDED,
            actor=uploaded_by,
            case=case,
            target=attachment,
            payload={
                "name": name,
                "sha256": sha256,
                "size": uploaded.size,
                "content_type": content_type,
                "category": attachment.category,
                "supersedes": supersedes.pk if supersedes else None,
            },
        )
    return attachment


def attachment_open(attachment: Attachment):
    """Open the stored content for reading."""
    return file_store_open(attachment.storage_name)
