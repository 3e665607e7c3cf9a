"""PAdES sealing and verification with pyHanko: a certification signature (no later changes allowed)
with a visible seal, B-B without a timestamp authority, B-LTA (signature timestamp, validation data and
a document timestamp) with one.

TOLERANCE_TSA_URL=local uses pyHanko's in-process DummyTimeStamper with the development TSA that
`init_pki` creates: for demos and tests only, since its clock is just this server's clock.
"""

import hashlib
import io
import logging

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import content as pdf_content
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, TimestampDSSContentSettings
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp.static import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from tolerance.decisions import pki
from tolerance.decisions.rendering import seal_pdf
from tolerance.decisions.sealing import SealingError, SealRequest, SignatureCheck, VerificationReport

logger = logging.getLogger(__name__)
FIELD_NAME = "InstitutionSeal"
LOCAL_TSA = "local"


class _SealPage(pdf_content.PdfContent):
    """The first page of an in-memory PDF as a form XObject (pyHanko's own class only reads files)."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/SealImage"
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = pdf_content.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode() + b" Do"


class _Pdf17Signer(signers.PdfSigner):
    """Keeps the sealed file at PDF 1.7, the base of the PDF/A-3 it claims to be.

    For an ECDSA P-256 key pyHanko registers ISO 32002 (ECDSA as PDF 2.0 spells it), which writes
    /Version /2.0 into the catalog. PAdES's own ESIC extension to PDF 1.7 (ETSI EN 319 142-1) already
    covers ECDSA, so it is the only extension a PAdES seal here declares.
    """

    def register_extensions(self, pdf_out, *, md_algorithm: str) -> None:
        pdf_out.ensure_output_version(version=(1, 7))
        pdf_out.register_extension(ESIC_EXTENSION_1)


def _to_asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _validation_context() -> ValidationContext:
    roots = [_to_asn1(cert) for cert in pki.trust_roots()]
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _timestamper():
    if not settings.TSA_URL:
        return None
    if settings.TSA_URL != LOCAL_TSA:
        return timestamps.HTTPTimeStamper(settings.TSA_URL)
    paths = pki.configured_paths()
    key = serialization.load_pem_private_key(paths.tsa_key.read_bytes(), password=None)
    tsa_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    tsa_cert = _to_asn1(crypto_x509.load_pem_x509_certificate(paths.tsa_cert.read_bytes()))
    return DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key, certs_to_embed=[tsa_cert])


class PadesSealer:
    def seal(self, pdf_bytes: bytes, request: SealRequest) -> bytes:
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                pki.institution_pkcs12(request.institution), other_certs=[], passphrase=pki.signing_passphrase()
            )
        except (pki.PkiError, ValueError, OSError) as error:
            raise SealingError(str(error)) from error
        timestamper = _timestamper()
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=request.reason,
            location=request.location,
            name=request.institution.name_zh,
            embed_validation_info=timestamper is not None,
            use_pades_lta=timestamper is not None,
            validation_context=_validation_context() if timestamper is not None else None,
            # Validation data goes in before the document timestamp (no VRI, which would force it after),
            # so the timestamp is the last revision and covers the whole file, as verification demands.
            dss_settings=DSSContentSettings(
                include_vri=False,
                next_ts_settings=TimestampDSSContentSettings(include_vri=False, update_before_ts=True),
            ),
        )
        pdf_signer = _Pdf17Signer(
            metadata,
            signer,
            timestamper=timestamper,
            stamp_style=StaticStampStyle(background=_SealPage(seal_pdf(request.institution.name_zh)), border_width=0),
            new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=request.page_index, box=request.box),
        )
        try:
            output = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf_bytes)), output=io.BytesIO())
        except (SigningError, PdfError, OSError, ValueError) as error:
            raise SealingError(str(error)) from error
        return output.getvalue()

    def verify(self, pdf_bytes: bytes) -> VerificationReport:
        sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        try:
            reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
            embedded = list(reader.embedded_signatures)
            code = _verification_code(reader)
        except Exception as error:  # noqa: BLE001 - any parse failure means "not a readable PDF"
            logger.info("Unreadable PDF submitted for verification: %s", error)
            return VerificationReport(sha256=sha256, readable=False, problems=[_("The file is not a readable PDF.")])
        if not embedded:
            return VerificationReport(
                sha256=sha256,
                readable=True,
                verification_code=code,
                problems=[_("The file carries no digital signature.")],
            )
        context = _validation_context()
        checks = []
        problems = []
        for signature in embedded:
            check = _check(signature, context)
            checks.append(check)
            problems.extend(_problems(check))
        last = max(embedded, key=lambda signature: signature.byte_range[-2] + signature.byte_range[-1])
        if not checks[embedded.index(last)].covers_entire_file:
            problems.append(
                _("Content was added after the last signature or timestamp; it covers only part of the file.")
            )
        level = (
            "PAdES-B-LTA"
            if any(c.is_timestamp for c in checks)
            else ("PAdES-B-T" if any(c.timestamped for c in checks) else "PAdES-B-B")
        )
        return VerificationReport(
            sha256=sha256,
            readable=True,
            signatures=checks,
            problems=problems,
            verification_code=code,
            signature_level=level,
        )


def _verification_code(reader: PdfFileReader) -> str:
    info = reader.trailer_view.get("/Info")
    keywords = str(info.get_object().get("/Keywords", "")) if info is not None else ""
    prefix = "verification-code:"
    return keywords.removeprefix(prefix).strip()[:20] if keywords.startswith(prefix) else ""


def _check(signature, context) -> SignatureCheck:
    is_timestamp = signature.sig_object_type == "/DocTimeStamp"
    try:
        if is_timestamp:
            status = validate_pdf_timestamp(signature, validation_context=context)
        else:
            status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception as error:  # noqa: BLE001 - a malformed signature is a failed check, not a crash
        logger.info("Signature %s could not be validated: %s", signature.field_name, error)
        return SignatureCheck(
            field_name=signature.field_name or "",
            is_timestamp=is_timestamp,
            intact=False,
            valid=False,
            trusted=False,
            covers_entire_file=False,
            changes_permitted=False,
        )
    modification = status.modification_level
    changes_permitted = modification is None or modification <= ModificationLevel.LTA_UPDATES
    if not is_timestamp:
        changes_permitted = changes_permitted and status.docmdp_ok is not False
    cert = status.signing_cert
    return SignatureCheck(
        field_name=signature.field_name or "",
        is_timestamp=is_timestamp,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        covers_entire_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        changes_permitted=changes_permitted,
        signer_subject=cert.subject.human_friendly if cert is not None else "",
        signer_fingerprint=hashlib.sha256(cert.dump()).hexdigest() if cert is not None else "",
        signing_time=getattr(status, "signer_reported_dt", None) or getattr(status, "timestamp", None),
        timestamped=getattr(status, "timestamp_validity", None) is not None,
    )


def _problems(check: SignatureCheck) -> list[str]:
    label = _("document timestamp") if check.is_timestamp else _("signature")
    problems = []
    if not check.intact:
        problems.append(_("The %(label)s does not match the signed bytes: the file was altered.") % {"label": label})
    elif not check.valid:
        problems.append(_("The %(label)s is cryptographically invalid.") % {"label": label})
    if not check.trusted:
        problems.append(_("The %(label)s was not made with a certificate from a trusted authority.") % {"label": label})
    if not check.changes_permitted:
        problems.append(_("The document was changed after certification in a way that is not permitted."))
    return problems
