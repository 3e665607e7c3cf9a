"""A decision's status is anchored in the audit chain: an UPDATE behind the services' back is caught by
verify_audit and by the public verification page."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.decisions.issued import IssuedExemptionTestCase
from tolerance.decisions.anchoring import decision_states_compare, decision_status_audited
from tolerance.decisions.models import DecisionStatus
from tolerance.decisions.services import decision_revoke

pytestmark = pytest.mark.django_db


def _page(decision) -> str:
    response = Client().get(reverse("decisions_public:verify_code", args=[decision.verification_code]))
    return response.content.decode()


def _unrevoke(decision):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE decisions_decision SET status = %s, revocation_reason = '' WHERE id = %s",
            [DecisionStatus.IN_FORCE, decision.pk],
        )


def test_every_status_is_derived_from_the_chain(exemption_case, issue, users):
    first = issue(exemption_case, "exemption", "not_exempt")
    second = issue(exemption_case, "exemption", "reduced", supersedes=first)
    assert decision_status_audited(first) == DecisionStatus.SUPERSEDED
    assert decision_status_audited(second) == DecisionStatus.IN_FORCE
    decision_revoke(decision=second, reason="认定依据有误", revoked_by=users["officer_guet"])
    assert decision_status_audited(second) == DecisionStatus.REVOKED
    assert decision_states_compare() == []


class IssuedDecisionStatusTests(IssuedExemptionTestCase):
    def test_an_unrevoked_decision_is_caught_by_verify_audit_and_the_public_page(self):
        decision = self.decision
        decision_revoke(decision=decision, reason="认定依据有误", revoked_by=self.users["officer_guet"])
        call_command("verify_audit", verbosity=0)
        assert "已被撤销" in _page(decision)

        _unrevoke(decision)

        with pytest.raises(CommandError) as failure:
            call_command("verify_audit", verbosity=0)
        assert failure.value.returncode == 1
        assert decision.document_number in str(failure.value)
        page = _page(decision)
        assert "真实、未被改动且仍然有效" not in page
        assert "未通过验证" in page
        assert "存储的状态（有效）与审计记录（已撤销）不符" in page

    def test_an_intact_decision_still_verifies(self):
        call_command("verify_audit", verbosity=0)
        assert "真实、未被改动且仍然有效" in _page(self.decision)
