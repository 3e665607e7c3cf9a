"""The checks every uploaded file passes before it is stored, whether as evidence or held for a later submission."""

import hashlib
import os
import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tolerance.file_types import DANGEROUS_TYPES, is_dangerous_name, name_for_type
from tolerance.text import text_validate

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
}
_OLE_BY_EXTENSION = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
# libmagic's names for an OLE compound file whose kind it did not tell: the kind comes from the name,
# then is checked against the file's streams.
for _generic in ("application/CDFV2", "application/vnd.ms-office", "application/x-ole-storage"):
    _GENERIC_OFFICE[_generic] = _OLE_BY_EXTENSION

# OOXML: the main part each kind must have, and its content type in [Content_Types].xml.
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
_ODF_TYPES = {"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet"}
# OLE: a stream each kind must hold, as its directory stores the name (UTF-16LE).
_OLE_STREAMS = {
    "application/msword": ("WordDocument",),
    "application/vnd.ms-excel": ("Workbook", "Book"),
    "application/vnd.ms-powerpoint": ("PowerPoint Document",),
}
_OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


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
    text_validate(name, label=_("file name"))
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


def _not_of_kind(name: str, content_type: str) -> ValidationError:
    label = settings.ATTACHMENT_ALLOWED_TYPES.get(content_type, content_type)
    return ValidationError(
        _("“%(name)s” is not a real %(kind)s (its content does not have the parts one has); it was not accepted.")
        % {"name": name, "kind": label}
    )


def _office_check(uploaded, name: str, content_type: str) -> None:
    """A file passing as an Office or OpenDocument file must be one of that kind, not any ZIP or OLE file."""
    if content_type in _OOXML_MAIN_PARTS or content_type in _ODF_TYPES:
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if content_type in _ODF_TYPES:
                    info = archive.getinfo("mimetype") if "mimetype" in names else None
                    ok = (
                        info is not None
                        and info.file_size < 200
                        and archive.read(info).strip() == content_type.encode()
                    )
                else:
                    main_part, main_type = _OOXML_MAIN_PARTS[content_type]
                    info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
                    ok = (
                        info is not None
                        and main_part in names
                        and info.file_size <= _CONTENT_TYPES_MAX_BYTES
                        and main_type.encode() in archive.read(info)
                    )
                # Macros are programs: a macro-enabled document is refused even under a plain extension.
                ok = ok and not any(part.lower().endswith("vbaproject.bin") for part in names)
        # zipfile answers an unsupported compression method with NotImplementedError and an encrypted member
        # with RuntimeError: neither is a document we can vouch for.
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            ok = False
        if not ok:
            raise _not_of_kind(name, content_type)
    elif content_type in _OLE_STREAMS:
        uploaded.seek(0)
        data = b"".join(uploaded.chunks())
        streams = [stream.encode("utf-16-le") for stream in _OLE_STREAMS[content_type]]
        if not data.startswith(_OLE_SIGNATURE) or not any(stream in data for stream in streams):
            raise _not_of_kind(name, content_type)


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
    if is_dangerous_name(name):
        raise ValidationError(
            _(
                "“%(name)s” has the extension of a program, script or web page, which is never accepted as "
                "evidence, whatever its content; convert it to PDF or another document type first."
            )
            % {"name": name}
        )
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    content_type = _detect_type(head, name)
    if content_type in DANGEROUS_TYPES:
        raise ValidationError(
            _("The content of “%(name)s” is a program, script or web page (%(type)s), which is never accepted.")
            % {"name": name, "type": content_type}
        )
    if content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
        allowed = pgettext("list separator", ", ").join(
            sorted({str(label) for label in settings.ATTACHMENT_ALLOWED_TYPES.values()})
        )
        raise ValidationError(
            _("The content of “%(name)s” is of type %(type)s, which is not accepted (accepted: %(allowed)s).")
            % {"name": name, "type": content_type, "allowed": allowed}
        )
    _office_check(uploaded, name, content_type)
    # Stored and served under a name that says what the content is: "x.txt" holding a PDF becomes "x.pdf".
    name = name_for_type(name, content_type)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(name=name, size=uploaded.size, content_type=content_type, sha256=digest.hexdigest())
