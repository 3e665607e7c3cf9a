"""What text a user may type: one rule for names, titles and free text, used by every service.

Control characters break storage (PostgreSQL refuses NUL) and logs; bidirectional overrides and
zero-width characters make a name read differently from what it is ("invoice‮fdp.exe" shows as
"invoiceexe.pdf"). Neither belongs in a case record, so they are refused with a message saying so,
never silently dropped: the user sees exactly what is stored.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Explicit embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), and zero-width characters
# and marks (U+200B–U+200F: space, non-joiner, joiner, left-to-right and right-to-left marks; U+FEFF).
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
ZERO_WIDTH = frozenset(map(chr, [*range(0x200B, 0x2010), 0xFEFF]))
# Line breaks free text may contain; a single-line value (a name, a title) may not.
_LINE_BREAKS = frozenset("\n\r\t")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character `value` must not contain, or None."""
    for char in value:
        if multiline and char in _LINE_BREAKS:
            continue
        if char in BIDI_CONTROLS or char in ZERO_WIDTH:
            return char
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Cs"}:
            return char
    return None


def text_validate(value: str, *, label: str = "", multiline: bool = False, field: str = "") -> str:
    """`value` unchanged if it holds only printable text; else a ValidationError naming the field (keyed by
    `field` when given, so the form shows it beside that field)."""
    char = forbidden_character(value or "", multiline=multiline)
    if char is None:
        return value
    params = {"label": label, "code": f"U+{ord(char):04X}"}
    if label:
        message = _(
            "“%(label)s” contains an invisible or control character (%(code)s), such as a direction mark or "
            "a zero-width space; retype it without that character."
        )
    else:
        message = _(
            "The text contains an invisible or control character (%(code)s), such as a direction mark or a "
            "zero-width space; retype it without that character."
        )
    error = ValidationError(message % params, code="forbidden_character")
    raise ValidationError({field: error}) if field else error


def text_strip_controls(value: str) -> str:
    """`value` without NUL and the other C0/C1 control characters (line breaks and tabs kept).

    For text that is recorded, not typed (the audit payload, request headers): it must never fail to be
    stored, so anything a database or a log would reject goes.
    """
    if value.isprintable():
        return value
    return "".join(char for char in value if char in _LINE_BREAKS or unicodedata.category(char) != "Cc")
