import dataclasses

import pytest
from django.db import connection
from django.test import Client

from tolerance import demo
from tolerance.case_types import case_type_spec, register_case_type, unregister_case_type
from tolerance.decisions.kinds import (
    DecisionKindSpec,
    register_decision_kind,
    unregister_decision_kind,
)
from tolerance.models import CaseType, CaseTypePolicy

pytest_plugins = ["tests.object_store"]


@pytest.fixture(scope="session", autouse=True)
def _load_url_patterns():
    """Viewflow nodes can only reverse() once the URLconf has been loaded."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — loading the patterns is the point


@pytest.fixture
def institutions(db):
    from workflows.exemption.demo import seed_case_type_policies

    institutions = demo.seed_institutions()
    seed_case_type_policies(institutions)
    return institutions


@pytest.fixture
def users(institutions):
    return demo.seed_users(institutions)


@pytest.fixture
def guet(institutions):
    return institutions["GUET"]


@pytest.fixture
def gxnu(institutions):
    return institutions["GXNU"]


@pytest.fixture
def file_case(users):
    """File a case through the filing service (tests.factories.FiledCaseFactory) as a demo officer; by default
    a GUET exemption case about 张三: `file_case(officer="officer_gxnu", subjects=("researcher_gxnu",))`."""
    from tests.factories import FiledCaseFactory

    def make(*, officer="officer_guet", subjects=("researcher_zhang",), **fields):
        filer = users[officer]
        return FiledCaseFactory(
            institution=filer.profile.institution,
            filed_by=filer,
            subjects=[users[name] for name in subjects],
            **fields,
        )

    return make


@pytest.fixture
def client_for(users):
    """A logged-in test client for a demo user: `client_for("officer_guet")`."""

    def make(username):
        client = Client()
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")


@pytest.fixture(scope="session", autouse=True)
def _throwaway_pki(tmp_path_factory):
    """A development PKI (root CA, test TSA, deployment key) for the whole run; institution sealing
    certificates are minted on first use, as with `init_pki` in development."""
    from django.test import override_settings

    from tolerance.decisions import pki

    key_dir = tmp_path_factory.mktemp("pki")
    override = override_settings(
        KEY_DIR=key_dir,
        TRUST_ROOTS_PATH=key_dir / "root-ca.cert.pem",
        SIGNING_PKCS12_DIR=key_dir / "institutions",
        AUDIT_SIGNING_KEY_PATH=key_dir / "deployment.key.pem",
        SIGNING_PASSPHRASE="test-passphrase",
        TSA_URL="",
    )
    override.enable()
    paths = pki.configured_paths()
    pki.create_root(paths)
    pki.create_tsa(paths)
    pki.create_deployment_key(paths)
    yield paths
    override.disable()


@pytest.fixture(autouse=True)
def _private_checkpoint_dir(settings, tmp_path):
    """Checkpoint files outlive the test's rolled-back database: each test writes its own, so a checkpoint
    made by one (seed_demo makes one) never anchors another's chain."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request made by an earlier test in English
    leaves English active in the thread, which code run outside a request would then use."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Flows that do not exist yet (licensing) have decision templates already: the decisions layer is tested on
# them through stand-in registrations, as a case type registers itself.
_STAND_INS = [
    (
        CaseType.RECTIFICATION,
        DecisionKindSpec(
            kind="rectification",
            label="Compliance rectification decision",
            outcomes={"passed": "Rectification passed", "failed": "Rectification failed"},
            titles={"zh-hans": "合规整改认定书", "en": "Decision on Compliance Rectification"},
            templates={"zh-hans": "decisions/rectification.html", "en": "decisions/en/rectification.html"},
        ),
        "桂电整改",
    ),
    (
        CaseType.PAY_AFTER_USE,
        DecisionKindSpec(
            kind="licence",
            label="Pay-after-use licence decision",
            outcomes={"granted": "Licence granted"},
            titles={"zh-hans": "先使用后付费许可决定书", "en": "Decision on a Pay-after-use Licence"},
            templates={"zh-hans": "decisions/licence.html", "en": "decisions/en/licence.html"},
            requires_licence_terms=True,
        ),
        "桂电许可",
    ),
]


@pytest.fixture
def stand_in_case_types(request):
    """Registers the stand-ins for the test, and gives GUET their policy numbers when it has GUET."""
    # A type that exists for real keeps its own registration: a stand-in would replace it, then remove it.
    stand_ins = [entry for entry in _STAND_INS if case_type_spec(entry[0]) is None]
    for case_type, kind, _prefix in stand_ins:
        register_decision_kind(kind)
        register_case_type(
            dataclasses.replace(
                case_type_spec(CaseType.EXEMPTION), code=case_type, label=case_type.label, decision_kind=kind.kind
            )
        )
    if "guet" in request.fixturenames or "institutions" in request.fixturenames:
        guet = request.getfixturevalue("guet")
        for case_type, _kind, prefix in _STAND_INS:
            CaseTypePolicy.objects.get_or_create(
                institution=guet, case_type=case_type, defaults={"document_number_prefix": prefix}
            )
    yield
    for case_type, kind, _prefix in stand_ins:
        unregister_decision_kind(kind.kind)
        unregister_case_type(case_type)
