import pytest
from django.core.cache import cache

from tests.decisions import samples
from tests.factories import FiledCaseFactory
from tests.tolerance.conftest import media_root, memory_archive  # noqa: F401 — fixtures used by tests here
from tolerance.decisions.services import decision_issue
from tolerance.models import CaseType


@pytest.fixture(autouse=True)
def _stand_ins(stand_in_case_types):
    """Every test here may issue a rectification or licence decision (see tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Verification is rate-limited per address, and every test client comes from 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


def _guet_case(users, case_type, title, subject, role):
    """Filed through the service: a decision embeds the case's audit trail, which starts with the filing."""
    return FiledCaseFactory(
        institution=users["officer_guet"].profile.institution,
        case_type=case_type,
        title=title,
        filed_by=users["officer_guet"],
        subjects=[(users[subject], role)],
    )


@pytest.fixture
def exemption_case(users):
    return _guet_case(
        users, CaseType.EXEMPTION, "无线传感节点专利许可转化失败容错免责认定", "researcher_zhang", "项目负责人"
    )


@pytest.fixture
def rectification_case(users):
    return _guet_case(users, CaseType.RECTIFICATION, "李四离岗创业合规整改", "researcher_li", "创业人员")


@pytest.fixture
def licence_case(users):
    return _guet_case(
        users, CaseType.PAY_AFTER_USE, "精密减速器专利先使用后付费许可", "licensee_demo", "被许可企业联系人"
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
