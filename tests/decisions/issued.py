"""One exemption decision issued once for a whole test class, for tests that only read it.

Issuing renders, seals and self-verifies a Chinese and an English PDF (the cost of these tests); tests that
look at, download or verify that decision need not each issue their own. Each test still runs inside its
own rolled-back savepoint (Django's TestCase), so what one test writes (downloads, verifications, a
revocation) no other test sees. Tests that need a fresh numbering, a failed or superseded issue, or that
change the stored file, issue their own decision through the `issue` fixture instead.
"""

from django.core.cache import cache

from tests.decisions import samples
from tests.factories import FiledCaseFactory
from tests.testcases import DemoUsersTestCase
from tolerance.decisions.services import decision_issue
from tolerance.models import CaseType


class IssuedExemptionTestCase(DemoUsersTestCase):
    """`self.decision` of `self.case`, GUET's exemption case about 张三, issued by `self.users["officer_guet"]`."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        officer = cls.users["officer_guet"]
        cls.case = FiledCaseFactory(
            institution=officer.profile.institution,
            case_type=CaseType.EXEMPTION,
            title="无线传感节点专利许可转化失败容错免责认定",
            filed_by=officer,
            subjects=[(cls.users["researcher_zhang"], "项目负责人")],
        )
        cls.decision = decision_issue(
            case=cls.case,
            kind="exemption",
            outcome="exempt",
            content=samples.exemption_content(),
            issued_by=officer,
        )

    def setUp(self):
        # Verification is rate-limited per address, and every test client comes from 127.0.0.1.
        cache.clear()
        self.addCleanup(cache.clear)
