import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tolerance.decisions import pki

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_key_dir(tmp_path):
    with override_settings(
        KEY_DIR=tmp_path,
        TRUST_ROOTS_PATH=tmp_path / "root-ca.cert.pem",
        SIGNING_PKCS12_DIR=tmp_path / "institutions",
        AUDIT_SIGNING_KEY_PATH=tmp_path / "deployment.key.pem",
    ):
        yield tmp_path


def test_init_pki_creates_everything_and_if_missing_only_completes(empty_key_dir, institutions):
    call_command("init_pki", stdout=io.StringIO())
    created = sorted(path.relative_to(empty_key_dir).as_posix() for path in empty_key_dir.rglob("*") if path.is_file())
    assert created == [
        "deployment.cert.pem",
        "deployment.key.pem",
        "institutions/GUET.p12",
        "institutions/GXNU.p12",
        "root-ca.cert.pem",
        "root-ca.key.pem",
        "tsa.cert.pem",
        "tsa.key.pem",
    ]
    root = (empty_key_dir / "root-ca.cert.pem").read_bytes()

    with pytest.raises(CommandError):
        call_command("init_pki", stdout=io.StringIO())
    (empty_key_dir / "institutions" / "GXNU.p12").unlink()
    call_command("init_pki", "--if-missing", stdout=io.StringIO())

    assert (empty_key_dir / "root-ca.cert.pem").read_bytes() == root
    assert (empty_key_dir / "institutions" / "GXNU.p12").exists()


def test_a_development_pki_mints_a_missing_institution_certificate(empty_key_dir, guet):
    call_command("init_pki", stdout=io.StringIO())
    (empty_key_dir / "institutions" / "GUET.p12").unlink()
    assert pki.institution_pkcs12(guet)
    assert (empty_key_dir / "institutions" / "GUET.p12").exists()


def test_a_production_pki_never_mints_certificates(empty_key_dir, guet):
    call_command("init_pki", stdout=io.StringIO())
    (empty_key_dir / "root-ca.key.pem").unlink()
    (empty_key_dir / "institutions" / "GUET.p12").unlink()
    with pytest.raises(pki.PkiError):
        pki.institution_pkcs12(guet)
