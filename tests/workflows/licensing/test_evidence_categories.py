"""A licence's evidence upload offers no category of a step its flow does not have."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_licence_offers_no_appeal_evidence(licence_driver):
    case = licence_driver.file()
    page = licence_driver.client_for("officer_guet").get(reverse("cases:detail", args=[case.pk]))
    offered = {code for code, _label in page.context["upload_form"].fields["category"].choices}
    assert "appeal" not in offered and "minutes" not in offered
    assert offered - {""}, "a licence still offers its own categories"
