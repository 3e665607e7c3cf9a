"""Every notice of a licence is a sealed Chinese PDF from the decisions layer: the payment notice at the
trigger, the demand for payment and the breach notice of the overdue ladder, and the termination notice.
One walk issues them all; each verifies on /verify/ and with `manage.py verify_decision`."""

import datetime
import re

from django.urls import reverse

from tests.decisions.helpers import pdf_text, stored_bytes
from tests.decisions.test_verification import verify_by_command, verify_by_page
from tests.workflows.licensing.conftest import moment
from tests.workflows.licensing.test_payments import TODAY, page, paying  # noqa: F401 — the fixture
from workflows.licensing.ladder import overdue_ladder_run
from workflows.licensing.ledger import NoticeKind
from workflows.licensing.models import LicensingStage

TITLES = {
    "licence": "先使用后付费许可决定书",
    "licence_payment": "付费通知书",
    "licence_demand": "催款函",
    "licence_breach": "违约通知书",
    "licence_termination": "解除许可通知书",
}


def test_every_licence_notice_renders_in_chinese_sealed_and_verifies(paying, client_for, tmp_path):  # noqa: F811
    licensee = client_for("licensee_demo")
    # The trigger sent the payment notice; the licensee elects to pay within the election period.
    assert paying.licensing.election_due_on >= TODAY()
    assert licensee.post(page("elect", paying), {"choice": "pay", "note": ""}).status_code == 302
    response = licensee.post(page("elect", paying), {"choice": "exit", "note": ""})
    assert response.status_code == 200 and "已作出选择" in response.content.decode()

    due = paying.payment_dues.order_by("sequence").first()
    overdue_ladder_run(moment(due.due_on + datetime.timedelta(days=15)))
    overdue_ladder_run(moment(due.due_on + datetime.timedelta(days=30)))
    demand = paying.ladder_notices.get(kind=NoticeKind.DEMAND)
    breach = paying.ladder_notices.get(kind=NoticeKind.BREACH)
    assert demand.document.kind == "licence_demand" and breach.document.kind == "licence_breach"
    reason = "逾期未付款且未在纠正期内纠正"
    assert client_for("officer_guet").post(page("terminate", paying), {"reason": reason}).status_code == 302
    paying.refresh_from_db()
    assert paying.stage == LicensingStage.TERMINATED

    decisions = {decision.kind: decision for decision in paying.decisions.all()}
    assert set(decisions) == set(TITLES)
    for kind, decision in decisions.items():
        data = stored_bytes(decision)
        text = re.sub(r"\s+", "", pdf_text(data))
        assert TITLES[kind] in text and paying.number in text, kind
        assert "真实、未被改动且仍然有效" in verify_by_page(data), kind
        code, output = verify_by_command(data, tmp_path)
        assert code == 0 and decision.document_number in output, kind
    text = re.sub(r"\s+", "", pdf_text(stored_bytes(decisions["licence_breach"])))
    assert "纠正期限" in text and breach.cure_by.isoformat() in text and "100000.00" in text
    assert "信用约束" in re.sub(r"\s+", "", pdf_text(stored_bytes(decisions["licence_termination"])))
    # The licensee's contact downloads its letters; another company's contact cannot.
    download = reverse("decisions:download", args=[decisions["licence_breach"].pk])
    assert licensee.get(download).status_code == 200
    assert client_for("licensee_other").get(download).status_code == 404
