"""A case page's evidence upload offers the categories of that case's type (and the shared ones) only."""

import pytest
from django.urls import reverse

from tests.workflows.conftest import pdf
from tolerance.models import Attachment

pytestmark = pytest.mark.django_db


def test_an_exemption_case_offers_only_exemption_and_shared_categories(driver):
    case = driver.file()
    client = driver.client_for("officer_guet")
    url = reverse("cases:detail", args=[case.pk])
    page = client.get(url)
    offered = {code for code, _label in page.context["upload_form"].fields["category"].choices}
    assert {"minutes", "supplement", "appeal"} <= offered
    assert not offered & {"declaration", "rectification_item"}
    assert "整改" not in page.content.decode().split('name="category"', 1)[1].split("</select>", 1)[0]

    # Another type's category is refused, not filed.
    before = Attachment.objects.count()
    client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"file": pdf("整改证明.pdf"), "category": "rectification_item"},
    )
    assert Attachment.objects.count() == before
