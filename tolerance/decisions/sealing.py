"""The sealing interface the domain depends on, and nothing more.

A national-crypto (SM2, GB/T 38540) sealing service can replace the pyHanko implementation by
providing these two methods and naming its class in settings.DECISION_SEALER.
"""

import datetime
import functools
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SealingError(Exception):
    """The seal could not be applied (key unavailable, signing service down, bad input)."""


@dataclass(frozen=True)
class SealRequest:
    institution: object
    # Where the visible seal goes: page index and (x1, y1, x2, y2) in PDF points from the lower left.
    page_index: int
    box: tuple[float, float, float, float]
    reason: str
    location: str = ""


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    is_timestamp: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_entire_file: bool
    changes_permitted: bool
    signer_subject: str = ""
    signer_fingerprint: str = ""
    signing_time: datetime.datetime | None = None
    timestamped: bool = False

    @property
    def sound(self) -> bool:
        return self.intact and self.valid and self.trusted and self.changes_permitted


@dataclass(frozen=True)
class VerificationReport:
    sha256: str
    readable: bool
    signatures: list[SignatureCheck] = field(default_factory=list)
    # Translated explanations of every failed check; empty when the file passes.
    problems: list[str] = field(default_factory=list)
    verification_code: str = ""
    signature_level: str = ""

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and not self.problems

    @property
    def certifying_signature(self) -> SignatureCheck | None:
        return next((check for check in self.signatures if not check.is_timestamp), None)


class Sealer(Protocol):
    def seal(self, pdf_bytes: bytes, request: SealRequest) -> bytes: ...

    def verify(self, pdf_bytes: bytes) -> VerificationReport: ...


@functools.cache
def _sealer_class(path: str):
    return import_string(path)


def get_sealer() -> Sealer:
    return _sealer_class(settings.DECISION_SEALER)()
