"""The signed 整改承诺书: after the rectification notice the subject accepts the approved plan through the
portal; the commitment is a sealed document that verifies, and nobody else can sign it."""

from django.urls import reverse

from tests.decisions.helpers import pdf_text, stored_bytes
from tests.decisions.test_verification import verify_by_page
from tests.workflows.rectification.cases import RectificationTestCase
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision
from tolerance.notifications.models import Notification
from workflows.rectification import demo
from workflows.rectification.models import PlanCommitment


class Commitment(RectificationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        staff = demo.STAFF["GUET"]
        cls.case = demo.file_case(cls.institutions["GUET"], cls.users, staff, "张三在职创办企业未经审批", 0)
        demo.drive(cls.case, cls.users, staff, ["G01"], "rectifying")

    def url(self):
        return reverse("rectification_pages:commitment", args=[self.case.pk])

    def test_the_subject_signs_the_plan_and_it_is_sealed(self):
        case = self.case
        subject = self.client_for("researcher_zhang")
        assert self.url() in subject.get(f"/cases/{case.pk}/").content.decode()
        page = subject.get(self.url()).content.decode()
        item = case.rectification_items.get()
        assert "G01" in page and item.due_on.strftime("%Y-%m-%d") in page and "人事处" in page
        # Without ticking the commitment: a Chinese error, nothing signed, no audit event.
        events = AuditEvent.objects.count()
        response = subject.post(self.url(), {})
        assert response.status_code == 200 and "必填项" in response.content.decode()
        assert not PlanCommitment.objects.exists() and AuditEvent.objects.count() == events
        assert subject.post(self.url(), {"confirm": "on"}).status_code == 302
        commitment = PlanCommitment.objects.get(case=case)
        letter = commitment.letter
        assert letter.kind == "rectification_commitment" and commitment.notice.kind == "rectification_notice"
        data = stored_bytes(letter)
        assert "整改承诺书" in pdf_text(data) and "G01" in pdf_text(data)
        page = verify_by_page(data)
        assert "真实、未被改动且仍然有效" in page and letter.document_number in page
        assert AuditEvent.objects.filter(payload__form="rectification_commitment").count() == 1
        assert Notification.objects.filter(recipient=self.users["officer_guet"], kind="rectification_commitment_signed")
        # The case page shows the signed commitment to the office, and a second signature is refused.
        office = self.client_for("officer_guet").get(f"/cases/{case.pk}/").content.decode()
        assert letter.document_number in office
        again = subject.post(self.url(), {"confirm": "on"})
        assert again.status_code == 200 and "没有等待你签署的整改方案" in again.content.decode()
        assert Decision.objects.filter(case=case, kind="rectification_commitment").count() == 1

    def test_nobody_else_signs(self):
        assert self.client_for("officer_guet").post(self.url(), {"confirm": "on"}).status_code == 403
        assert self.client_for("hr_guet").post(self.url(), {"confirm": "on"}).status_code in (403, 404)
        assert self.client_for("researcher_li").post(self.url(), {"confirm": "on"}).status_code == 404
        assert not PlanCommitment.objects.exists()
