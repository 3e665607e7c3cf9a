"""Signed checkpoints of the chain heads, kept in the database and as files outside it.

Hashes alone cannot reveal that the newest events were deleted: the chain that remains is still
consistent. A checkpoint signed with the deployment key records how far the chains reached, so a
later verification can tell that a tail is missing.

The files go to the Django storage `STORAGES["checkpoints"]`: the directory AUDIT_CHECKPOINT_DIR by
default, the S3-compatible bucket beside the archive when several app servers share one site.
"""

import base64
import hashlib
import io
import json
import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import load_pem_x509_certificate
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit import pending
from tolerance.audit.actions import AuditAction
from tolerance.audit.hashing import CURRENT_ALGORITHM, canonical_bytes
from tolerance.audit.models import AuditCheckpoint, AuditEvent
from tolerance.audit.services import audit_record, chain_head_lock
from tolerance.audit.verification import Anchors, Problem, chain_verify
from tolerance.file_store import WriteOnceFileSystemStorage

logger = logging.getLogger(__name__)
CHECKPOINT_FORMAT = "tolerance-audit-checkpoint/1"
_SIGNATURE_ALGORITHM = ec.ECDSA(hashes.SHA256())


class CheckpointKeyError(Exception):
    """The deployment's checkpoint key is missing or unusable."""


def signing_key_load() -> ec.EllipticCurvePrivateKey:
    path = Path(settings.AUDIT_SIGNING_KEY_PATH)
    if not path.is_file():
        raise CheckpointKeyError(
            _(
                "The audit signing key %(path)s does not exist. Run `manage.py init_pki` for development, "
                "or set TOLERANCE_AUDIT_KEY to the deployment's EC P-256 key."
            )
            % {"path": path}
        )
    passphrase = settings.AUDIT_SIGNING_KEY_PASSPHRASE
    try:
        key = serialization.load_pem_private_key(
            path.read_bytes(), password=passphrase.encode() if passphrase else None
        )
    except (ValueError, TypeError) as error:
        raise CheckpointKeyError(
            _("The audit signing key %(path)s cannot be read (%(error)s); check TOLERANCE_AUDIT_KEY_PASSPHRASE.")
            % {"path": path, "error": error}
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise CheckpointKeyError(_("The audit signing key %(path)s is not an EC P-256 key.") % {"path": path})
    return key


def verification_key_load() -> ec.EllipticCurvePublicKey | None:
    """The public half: from the private key if this machine holds it, else from the certificate beside it."""
    path = Path(settings.AUDIT_SIGNING_KEY_PATH)
    if path.is_file():
        return signing_key_load().public_key()
    certificate = path.with_name("deployment.cert.pem")
    if certificate.is_file():
        return load_pem_x509_certificate(certificate.read_bytes()).public_key()
    return None


def _public_key_read(path: Path):
    data = path.read_bytes()
    try:
        return load_pem_x509_certificate(data).public_key()
    except ValueError:
        return serialization.load_pem_public_key(data)


def trusted_keys_load() -> dict[str, ec.EllipticCurvePublicKey]:
    """Fingerprint → public key: the current deployment key and every retired one.

    After a key is rotated, the checkpoints it signed keep verifying as long as its public key (or
    certificate) stays in TOLERANCE_AUDIT_RETIRED_KEYS; a checkpoint naming any other key is refused.
    """
    keys = {}
    current = verification_key_load()
    if current is not None:
        keys[key_fingerprint(current)] = current
    directory = Path(settings.AUDIT_RETIRED_KEYS_DIR)
    if directory.is_dir():
        for path in sorted(directory.glob("*.pem")):
            try:
                public_key = _public_key_read(path)
            except (ValueError, TypeError) as error:
                raise CheckpointKeyError(
                    _("The retired audit key %(path)s cannot be read (%(error)s).") % {"path": path, "error": error}
                ) from None
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                raise CheckpointKeyError(_("The retired audit key %(path)s is not an EC key.") % {"path": path})
            keys[key_fingerprint(public_key)] = public_key
    return keys


def key_fingerprint(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _case_heads(after_sequence: int) -> dict[str, dict]:
    """The head of every case chain that moved after global position `after_sequence`."""
    newest = (
        AuditEvent.objects.filter(case_id=OuterRef("case_id")).order_by("-case_sequence").values("case_sequence")[:1]
    )
    heads = (
        AuditEvent.objects.filter(case_id__isnull=False, sequence__gt=after_sequence, case_sequence=Subquery(newest))
        .order_by("case_id")
        .values_list("case_id", "case_sequence", "event_hash", "occurred_at")
    )
    return {
        str(case_id): {"sequence": sequence, "hash": event_hash, "time": occurred_at.isoformat()}
        for case_id, sequence, event_hash, occurred_at in heads.iterator(chunk_size=5_000)
    }


CHECKPOINTS = "checkpoints"


class CheckpointDirectoryStorage(WriteOnceFileSystemStorage):
    """The local default: files in AUDIT_CHECKPOINT_DIR, read from the setting on each use (as
    FileSystemStorage follows MEDIA_ROOT), so a changed setting takes effect without a new storage."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.AUDIT_CHECKPOINT_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def _write_file(checkpoint: AuditCheckpoint) -> str:
    name = f"checkpoint-{checkpoint.sequence:012d}-{checkpoint.created_at:%Y%m%dT%H%M%S%fZ}.json"
    document = {
        "checkpoint": bytes(checkpoint.canonical).decode(),
        "signature": base64.b64encode(bytes(checkpoint.signature)).decode(),
        "key_fingerprint": checkpoint.key_fingerprint,
    }
    data = json.dumps(document, ensure_ascii=False, indent=1).encode()
    return storages[CHECKPOINTS].save(name, File(io.BytesIO(data), name=name))


def checkpoint_file_names() -> list[str]:
    """The names of the checkpoint files kept outside the database, oldest first."""
    store = storages[CHECKPOINTS]
    try:
        _directories, files = store.listdir("")
    except FileNotFoundError:
        return []
    return sorted(name for name in files if name.startswith("checkpoint-") and name.endswith(".json"))


class ChainMismatchError(Exception):
    """The chain does not verify (against the earlier checkpoints): signing its head would vouch for a forgery."""

    def __init__(self, problem: Problem | None, detail: str):
        super().__init__(detail)
        self.problem = problem


def checkpoint_make(*, if_changed: bool = False) -> AuditCheckpoint | None:
    """Verify the chain, then sign the current heads, store them in the database and as a file, and
    record that we did. Refuses (ChainMismatchError, logged as an error) if the chain does not verify
    against the earlier checkpoints or does not end at the recorded head.

    `if_changed`: do nothing (return None) if nothing but the previous checkpoint's own event was appended
    since it, so a repeated `seed_demo` adds no rows.
    """
    key = signing_key_load()
    # Raises CheckpointError on a checkpoint whose signature does not verify.
    anchors, _count = checkpoint_anchors()
    with transaction.atomic():
        # Holding the head lock freezes every chain while it is verified and its heads are read: what is
        # signed is exactly what was verified (appends wait for the walk, about a second per million events).
        pending.flush_now()
        head = chain_head_lock()
        latest = AuditCheckpoint.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        if if_changed and latest is not None and head.sequence <= latest + 1:
            return None
        result = chain_verify(anchors=anchors)
        moved = result.head_position != head.sequence or (head.sequence and result.head_hash != head.event_hash)
        if not result.intact or moved:
            problem = result.problem
            if problem is not None:
                detail = _("the chain is broken at #%(sequence)s: %(kind)s (%(detail)s)") % {
                    "sequence": problem.sequence if problem.sequence is not None else "?",
                    "kind": problem.label,
                    "detail": problem.detail,
                }
            else:
                detail = _("the chain ends at #%(walked)s but its recorded head is #%(head)s") % {
                    "walked": result.head_position,
                    "head": head.sequence,
                }
            logger.error("Audit checkpoint refused: %s", detail)
            raise ChainMismatchError(problem, detail)
        created_at = timezone.now()
        head_time = AuditEvent.objects.filter(sequence=head.sequence).values_list("occurred_at", flat=True).first()
        # Only the case heads that moved since the previous checkpoint: verification takes every checkpoint's
        # heads together, so the size follows activity rather than the number of cases, and checkpoints can
        # be frequent. Should the previous row have been deleted, this one simply covers more.
        previous = AuditCheckpoint.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        body = {
            "format": CHECKPOINT_FORMAT,
            "created_at": created_at.isoformat(),
            "hash_algorithm": CURRENT_ALGORITHM,
            "global": {
                "sequence": head.sequence,
                "hash": head.event_hash,
                "time": head_time.isoformat() if head_time else None,
            },
            "cases_since": previous,
            "cases": _case_heads(previous),
        }
        data = canonical_bytes(body)
        checkpoint = AuditCheckpoint.objects.create(
            created_at=created_at,
            sequence=head.sequence,
            event_hash=head.event_hash,
            canonical=data,
            signature=key.sign(data, _SIGNATURE_ALGORITHM),
            key_fingerprint=key_fingerprint(key.public_key()),
        )
        file_name = _write_file(checkpoint)
        audit_record(
            action=AuditAction.CHECKPOINT_MADE,
            target=checkpoint,
            payload={
                "sequence": head.sequence,
                "hash": head.event_hash,
                "cases": len(body["cases"]),
                "file": file_name,
                "key_fingerprint": checkpoint.key_fingerprint,
            },
        )
    return checkpoint


def _stored_checkpoints():
    """(signed bytes, signature, signing key's fingerprint, where) of every checkpoint, database and files."""
    for checkpoint in AuditCheckpoint.objects.order_by("sequence").iterator():
        yield (
            bytes(checkpoint.canonical),
            bytes(checkpoint.signature),
            checkpoint.key_fingerprint,
            f"database #{checkpoint.pk}",
        )
    store = storages[CHECKPOINTS]
    for name in checkpoint_file_names():
        try:
            with store.open(name, "rb") as handle:
                document = json.loads(handle.read().decode("utf-8"))
            yield (
                document["checkpoint"].encode(),
                base64.b64decode(document["signature"]),
                str(document["key_fingerprint"]),
                name,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            yield b"", b"", "", name


class CheckpointError(Exception):
    """A checkpoint exists whose signature does not verify."""

    def __init__(self, where: str, sequence: int):
        super().__init__(where)
        self.where = where
        self.sequence = sequence


def checkpoint_anchors(*, case=None) -> tuple[Anchors, int]:
    """Anchors from every valid checkpoint, and how many there were; raises on a forged one.

    For the global chain every checkpoint's head counts; for a case, each checkpoint's entry for it.
    """
    anchors = Anchors()
    count = 0
    keys = None
    for data, signature, fingerprint, where in _stored_checkpoints():
        if keys is None:
            keys = trusted_keys_load()
            if not keys:
                raise CheckpointKeyError(
                    _("Checkpoints exist but neither the audit key nor deployment.cert.pem is available to check them.")
                )
        public_key = keys.get(fingerprint)
        if public_key is None:
            raise CheckpointError(
                _("%(where)s: signed by a key that is neither the current nor a retired audit key (%(fingerprint)s)")
                % {"where": where, "fingerprint": fingerprint[:16] or "?"},
                _claimed_sequence(data),
            )
        try:
            public_key.verify(signature, data, _SIGNATURE_ALGORITHM)
            body = json.loads(data)
        except (InvalidSignature, ValueError):
            raise CheckpointError(where, _claimed_sequence(data)) from None
        count += 1
        if case is None:
            anchors.add(body["global"]["sequence"], body["global"]["hash"])
        elif str(case.pk) in body["cases"]:
            head = body["cases"][str(case.pk)]
            anchors.add(head["sequence"], head["hash"])
    return anchors, count


def _claimed_sequence(data: bytes) -> int:
    try:
        return int(json.loads(data)["global"]["sequence"])
    except (ValueError, KeyError, TypeError):
        return 0
