import hashlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.decisions.helpers import stored_bytes
from tests.decisions.issued import IssuedExemptionTestCase
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import DecisionStatus

pytestmark = pytest.mark.django_db


class IssuedDecisionPagesTests(IssuedExemptionTestCase):
    def test_the_subject_downloads_the_identical_bytes_every_time(self):
        client = self.client_for("researcher_zhang")

        first = client.get(reverse("decisions:download", args=[self.decision.pk]))
        second = client.get(reverse("decisions:download", args=[self.decision.pk]))

        assert first.status_code == 200
        assert first["Content-Type"] == "application/pdf"
        assert first.content == second.content == stored_bytes(self.decision)
        downloads = AuditEvent.objects.filter(action="decision.downloaded", target_id=str(self.decision.pk))
        assert downloads.count() == 2

    def test_people_who_cannot_see_the_case_cannot_download(self):
        for username in ["researcher_li", "officer_gxnu", "researcher_gxnu"]:
            response = self.client_for(username).get(reverse("decisions:download", args=[self.decision.pk]))
            assert response.status_code == 404, username

    def test_anonymous_download_goes_to_login(self):
        response = Client().get(reverse("decisions:download", args=[self.decision.pk]))
        assert response.status_code == 302
        assert "login" in response["Location"]

    def test_case_page_lists_decisions_with_download_links(self):
        page = self.client_for("researcher_zhang").get(reverse("cases:detail", args=[self.case.pk])).content.decode()
        assert self.decision.document_number in page
        assert reverse("decisions:download", args=[self.decision.pk]) in page
        assert "有效" in page
        assert reverse("decisions:revoke", args=[self.decision.pk]) not in page

    def test_an_officer_revokes_through_the_case_page(self):
        decision = self.decision
        client = self.client_for("officer_guet")
        assert (
            reverse("decisions:revoke", args=[decision.pk])
            in client.get(reverse("cases:detail", args=[self.case.pk])).content.decode()
        )

        response = client.post(reverse("decisions:revoke", args=[decision.pk]), {"reason": "发现材料造假"}, follow=True)

        decision.refresh_from_db()
        assert decision.status == DecisionStatus.REVOKED
        assert "已撤销" in response.content.decode()

    def test_each_revocation_reason_is_labelled_for_its_own_decision(self):
        """A case page lists every decision of the case (a notice and the decision), each with its own
        revocation form: a shared field id left all but the first reason box without a label."""
        page = self.client_for("officer_guet").get(reverse("cases:detail", args=[self.case.pk])).content.decode()
        field_id = f"id_revoke_{self.decision.pk}_reason"
        assert f'for="{field_id}"' in page and f'id="{field_id}"' in page

    def test_researchers_cannot_revoke(self):
        decision = self.decision
        response = self.client_for("researcher_zhang").post(
            reverse("decisions:revoke", args=[decision.pk]), {"reason": "x"}
        )
        assert response.status_code == 403
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.IN_FORCE


def test_a_damaged_archive_file_is_never_served_and_fails_verification(exemption_case, issue, client_for):
    decision = issue(exemption_case)
    path = settings.MEDIA_ROOT / decision.storage_name
    path.write_bytes(path.read_bytes() + b"\n% tampered in storage\n")

    response = client_for("researcher_zhang").get(reverse("decisions:download", args=[decision.pk]))
    assert response.status_code == 404

    page = Client().get(reverse("decisions_public:verify_code", args=[decision.verification_code])).content.decode()
    assert "未通过验证" in page
    assert "不逐字节一致" in page


def test_decisions_go_to_the_storage_named_in_settings_and_are_downloaded_from_it(
    exemption_case, issue, client_for, memory_archive, media_root
):
    decision = issue(exemption_case)

    assert memory_archive.exists(f"decisions/{decision.sha256[:2]}/{decision.sha256}.pdf")
    assert memory_archive.exists(f"decisions/{decision.english_sha256[:2]}/{decision.english_sha256}.pdf")
    assert not media_root.exists()
    client = client_for("researcher_zhang")
    official = client.get(reverse("decisions:download", args=[decision.pk]))
    english = client.get(reverse("decisions:download", args=[decision.pk]), {"language": "en"})
    assert hashlib.sha256(official.content).hexdigest() == decision.sha256
    assert hashlib.sha256(english.content).hexdigest() == decision.english_sha256
    page = Client().get(reverse("decisions_public:verify_code", args=[decision.verification_code])).content.decode()
    assert "真实、未被改动且仍然有效" in page
