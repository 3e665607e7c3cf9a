"""Canonical serialisation and hashing of audit events and checkpoints."""

import hashlib
import json

GENESIS_HASH = "0" * 64
CURRENT_ALGORITHM = "sha256"
# Each event names its algorithm, so SM3 (if regulators require it) can be added here for new events
# while old ones keep verifying with SHA-256.
_ALGORITHMS = {"sha256": hashlib.sha256}


def canonical_bytes(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def hash_constructor(algorithm: str):
    try:
        return _ALGORITHMS[algorithm]
    except KeyError:
        raise ValueError(f"Unsupported audit hash algorithm: {algorithm}") from None


def digest(data: bytes, algorithm: str = CURRENT_ALGORITHM) -> str:
    return hash_constructor(algorithm)(data).hexdigest()
