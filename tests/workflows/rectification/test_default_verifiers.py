"""Default other verifying departments per gap are catalogue data: each item classified under the gap gets
them and the officer may add others; the admin edits them through the audited service, refuses a code not
offered and freezes them once a case relied on the gap."""

from django.urls import reverse

from tests.workflows.exemption.test_policy import _change_page_data
from tests.workflows.rectification.cases import RectificationTestCase
from tolerance.audit.models import AuditEvent
from workflows.rectification.catalogue import CatalogueItem


def _item_prefix(data, code):
    return next(key[: -len("-code")] for key, value in data.items() if key.endswith("-code") and value == code)


class DefaultVerifiers(RectificationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        driver = cls.class_driver()
        cls.case = driver.file()
        driver.accept(cls.case)
        driver.opinions(cls.case)
        driver.verify(cls.case)

    def test_each_item_gets_the_gaps_default_verifiers_and_the_officer_adds_others(self):
        g03 = self.catalogues["GUET"].items.get(code="G03")
        assert g03.extra_verifiers == ["hr"]
        # The classification page lists each gap with its verifiers.
        task = self.driver.task(self.case, "classify")
        url = task.flow_task.reverse("execute", args=[self.case.process_id, task.pk])
        self.client_for("officer_guet").post(task.flow_task.reverse("assign", args=[self.case.process_id, task.pk]))
        page = self.client_for("officer_guet").get(url).content.decode()
        assert g03.verifiers_text() in page
        response = self.driver.classify(
            self.case, self.driver.gap(code="G03", verifier="finance"), self.driver.gap(co_verifiers=["audit"])
        )
        assert response.status_code == 302
        first, second = self.case.rectification_items.order_by("order")
        assert [v.department for v in first.verifiers.order_by("pk")] == ["finance", "hr"]
        assert [v.department for v in second.verifiers.order_by("pk")] == ["hr", "audit"]
        event = AuditEvent.objects.filter(payload__form="rectification_gaps").latest("pk")
        assert event.payload["gaps"][0]["default_verifiers"] == ["hr"]

    def test_the_admin_edits_them_audited_and_freezes_them_once_used(self):
        admin = self.client_for("admin")
        version = self.catalogues["GUET"]
        url = reverse("admin:workflows_catalogueversion_change", args=[version.pk])
        data = _change_page_data(admin.get(url))
        prefix = _item_prefix(data, "G06")
        data[f"{prefix}-extra_verifiers"] = ["research", "finance"]
        assert admin.post(url, data).status_code == 302
        assert CatalogueItem.objects.get(version=version, code="G06").extra_verifiers == ["research", "finance"]
        event = AuditEvent.objects.filter(action="policy.changed", payload__after__code="G06").latest("pk")
        assert event.payload["before"]["extra_verifiers"] == [] and event.payload["after"]["extra_verifiers"] == [
            "research",
            "finance",
        ]
        # A code not offered: a form error, nothing saved.
        data = _change_page_data(admin.get(url))
        data[f"{_item_prefix(data, 'G06')}-extra_verifiers"] = ["nobody"]
        events = AuditEvent.objects.filter(action="policy.changed").count()
        response = admin.post(url, data)
        assert response.status_code == 200
        assert CatalogueItem.objects.get(version=version, code="G06").extra_verifiers == ["research", "finance"]
        assert AuditEvent.objects.filter(action="policy.changed").count() == events
        # Once a case relied on G03, its verifiers are frozen.
        assert self.driver.classify(self.case, self.driver.gap(code="G03", verifier="finance")).status_code == 302
        data = _change_page_data(admin.get(url))
        data[f"{_item_prefix(data, 'G03')}-extra_verifiers"] = []
        response = admin.post(url, data)
        assert response.status_code == 200 and "发布新版本" in response.content.decode()
        assert CatalogueItem.objects.get(version=version, code="G03").extra_verifiers == ["hr"]
