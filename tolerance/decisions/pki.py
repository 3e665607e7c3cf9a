"""Key material for sealing decisions: a development PKI, and loading whatever the deployment configured.

Production points the settings at its own PKCS#12 files (one per institution, passphrase from the
environment) and its trust roots. For development and demos `init_pki` writes a throwaway PKI under
settings.KEY_DIR: a root CA whose private key stays beside it, which is what marks a PKI as a
*development* PKI. Only a development PKI may mint a missing institution certificate on demand, because
`make run` creates the PKI right after migrate, before seed_demo has created any institution.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

# Used only when TOLERANCE_SIGNING_PASSPHRASE is unset, i.e. for the development PKI (see README).
DEV_PASSPHRASE = "tolerance-dev-pki"
ROOT_KEY_NAME = "root-ca.key.pem"
TSA_KEY_NAME = "tsa.key.pem"
TSA_CERT_NAME = "tsa.cert.pem"
DEPLOYMENT_CERT_NAME = "deployment.cert.pem"
_VALIDITY = datetime.timedelta(days=3650)


class PkiError(Exception):
    """The configured key material is missing or unusable."""


@dataclass(frozen=True)
class Paths:
    key_dir: Path
    root_cert: Path
    pkcs12_dir: Path
    deployment_key: Path

    @property
    def root_key(self) -> Path:
        return self.key_dir / ROOT_KEY_NAME

    @property
    def tsa_key(self) -> Path:
        return self.key_dir / TSA_KEY_NAME

    @property
    def tsa_cert(self) -> Path:
        return self.key_dir / TSA_CERT_NAME

    @property
    def deployment_cert(self) -> Path:
        return self.deployment_key.parent / DEPLOYMENT_CERT_NAME

    def institution_pkcs12(self, code: str) -> Path:
        return self.pkcs12_dir / f"{code}.p12"


def configured_paths() -> Paths:
    return Paths(
        key_dir=Path(settings.KEY_DIR),
        root_cert=Path(settings.TRUST_ROOTS_PATH),
        pkcs12_dir=Path(settings.SIGNING_PKCS12_DIR),
        deployment_key=Path(settings.AUDIT_SIGNING_KEY_PATH),
    )


def signing_passphrase() -> bytes:
    return (settings.SIGNING_PASSPHRASE or DEV_PASSPHRASE).encode()


def _now():
    return datetime.datetime.now(datetime.UTC)


def _name(common_name: str, organisation: str = "Tolerance development PKI") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def _pem_key(key, passphrase: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _issue(*, subject: x509.Name, public_key, issuer_cert, issuer_key, usage: dict, extended=None, ca=False):
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None if not ca else 0), critical=True)
        .add_extension(x509.KeyUsage(**{**_NO_USAGE, **usage}), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False
        )
    if extended:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


_NO_USAGE = dict(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def create_root(paths: Paths, *, common_name: str = "Tolerance Development Root CA") -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issue(
        subject=_name(common_name),
        public_key=key.public_key(),
        issuer_cert=None,
        issuer_key=key,
        usage={"key_cert_sign": True, "crl_sign": True},
        ca=True,
    )
    _write_private(paths.root_key, _pem_key(key))
    paths.root_cert.parent.mkdir(parents=True, exist_ok=True)
    paths.root_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _load_root(paths: Paths):
    try:
        key = serialization.load_pem_private_key(paths.root_key.read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate(paths.root_cert.read_bytes())
    except (OSError, ValueError) as error:
        raise PkiError(f"No development root CA at {paths.root_key}: {error}") from error
    return cert, key


def is_development_pki(paths: Paths | None = None) -> bool:
    paths = paths or configured_paths()
    return paths.root_key.exists() and paths.root_cert.exists()


def create_institution_certificate(paths: Paths, *, code: str, name: str) -> Path:
    """A P-256 sealing certificate for one institution, stored as PKCS#12 with the root in its chain."""
    root_cert, root_key = _load_root(paths)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issue(
        subject=_name(f"{name} 电子印章 ({code})", organisation=name),
        public_key=key.public_key(),
        issuer_cert=root_cert,
        issuer_key=root_key,
        usage={"digital_signature": True, "content_commitment": True},
    )
    data = pkcs12.serialize_key_and_certificates(
        code.encode(), key, cert, [root_cert], serialization.BestAvailableEncryption(signing_passphrase())
    )
    target = paths.institution_pkcs12(code)
    _write_private(target, data)
    return target


def create_tsa(paths: Paths) -> None:
    """A test timestamp authority; pyHanko's in-process DummyTimeStamper only signs with RSA."""
    root_cert, root_key = _load_root(paths)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _issue(
        subject=_name("Tolerance Development TSA"),
        public_key=key.public_key(),
        issuer_cert=root_cert,
        issuer_key=root_key,
        usage={"digital_signature": True, "content_commitment": True},
        extended=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    _write_private(paths.tsa_key, _pem_key(key))
    paths.tsa_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def create_deployment_key(paths: Paths) -> None:
    """The key that signs audit checkpoints, with a certificate so auditors can check who signed them."""
    root_cert, root_key = _load_root(paths)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issue(
        subject=_name("Tolerance deployment audit key"),
        public_key=key.public_key(),
        issuer_cert=root_cert,
        issuer_key=root_key,
        usage={"digital_signature": True},
    )
    passphrase = settings.AUDIT_SIGNING_KEY_PASSPHRASE
    _write_private(paths.deployment_key, _pem_key(key, passphrase.encode() if passphrase else None))
    paths.deployment_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def trust_roots(paths: Paths | None = None) -> list[x509.Certificate]:
    """Every certificate in the trust-roots PEM bundle (our root, and a real TSA's root if configured)."""
    paths = paths or configured_paths()
    try:
        return x509.load_pem_x509_certificates(paths.root_cert.read_bytes())
    except (OSError, ValueError) as error:
        raise PkiError(f"Cannot read trust roots at {paths.root_cert}: {error}") from error


def institution_pkcs12(institution, paths: Paths | None = None) -> bytes:
    """The institution's PKCS#12, minted first if missing and the PKI is a development one."""
    paths = paths or configured_paths()
    target = paths.institution_pkcs12(institution.code)
    if not target.exists():
        if not is_development_pki(paths):
            raise PkiError(f"No sealing certificate for {institution.code} at {target}.")
        create_institution_certificate(paths, code=institution.code, name=institution.name_zh)
    return target.read_bytes()
