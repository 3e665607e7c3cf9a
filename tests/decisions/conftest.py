import pytest
from django.core.cache import cache

from tests.decisions import samples
from tests.tolerance.conftest import media_root, memory_archive  # noqa: F401 — fixtures used by tests here
from tolerance.decisions.services import decision_issue
from tolerance.models import CaseType
from tolerance.services.cases import SubjectSpec, case_file


@pytest.fixture(autouse=True)
def _stand_ins(stand_in_case_types):
    """Every test here may issue a rectification or licence decision (see tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Verification is rate-limited per address, and every test client comes from 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def exemption_case(guet, users):
    return case_file(
        institution=guet,
        case_type=CaseType.EXEMPTION,
        title="无线传感节点专利许可转化失败容错免责认定",
        filed_by=users["officer_guet"],
        subjects=[SubjectSpec(users["researcher_zhang"], "项目负责人")],
    )


@pytest.fixture
def rectification_case(guet, users):
    return case_file(
        institution=guet,
        case_type=CaseType.RECTIFICATION,
        title="李四离岗创业合规整改",
        filed_by=users["officer_guet"],
        subjects=[SubjectSpec(users["researcher_li"], "创业人员")],
    )


@pytest.fixture
def licence_case(guet, users):
    return case_file(
        institution=guet,
        case_type=CaseType.PAY_AFTER_USE,
        title="精密减速器专利先使用后付费许可",
        filed_by=users["officer_guet"],
        subjects=[SubjectSpec(users["licensee_demo"], "被许可企业联系人")],
    )


@pytest.fixture
def issue(users):
    """issue(case, kind, outcome, **content_overrides) -> Decision, issued by the GUET officer."""

    def make(case, kind="exemption", outcome="exempt", **overrides):
        return decision_issue(
            case=case,
            kind=kind,
            outcome=outcome,
            content=samples.CONTENT_BY_KIND[kind](**overrides),
            issued_by=users["officer_guet"],
        )

    return make
