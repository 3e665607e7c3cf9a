"""The checks every uploaded file passes before it is stored, whether as evidence or held for a later submission."""

import hashlib
import os
import unicodedata
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    size: int
    content_type: str
    sha256: str


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


def upload_check(uploaded) -> CheckedUpload:
    """Check an upload's name, size and type (by its content) and hash it. Raises ValidationError if bad."""
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
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(name=name, size=uploaded.size, content_type=content_type, sha256=digest.hexdigest())
