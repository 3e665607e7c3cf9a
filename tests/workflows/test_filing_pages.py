"""The filing pages as a browser draws them: every choice list is plain checkboxes (viewflow's own elements
for them are undefined or throw), labels mean what they say, and filing ends on the new case's page."""

import re

import pytest
from django.urls import reverse

from tolerance.models import Case, PendingUpload
from workflows.flows import ExemptionFlow

pytestmark = pytest.mark.django_db


def checkboxes(html, name):
    return re.findall(rf'<input type="checkbox" name="{name}" value="([^"]*)"', html)


def test_the_exemption_filing_form_draws_its_lists_as_checkboxes_and_files_to_the_case_page(driver):
    client = driver.client_for("officer_guet")
    page = client.get(ExemptionFlow.start.reverse("execute")).content.decode()
    assert "vf-field-select-multiple" not in page and "vf-field-checkbox-select" not in page
    assert checkboxes(page, "cited_entries")
    # The publicity's end date, not an e-mail's recipient.
    assert "截止日期" in page and "收件人" not in page

    # A rejected submission keeps its files and lists them, each with a box to drop it.
    rejected = client.post(ExemptionFlow.start.reverse("execute"), driver.filing_data(title=""))
    assert rejected.status_code == 200
    held = rejected.content.decode()
    kept = PendingUpload.objects.filter(purpose="exemption_filing")
    assert kept.exists()
    assert sorted(checkboxes(held, "held_drop")) == sorted(str(upload.pk) for upload in kept)
    assert "vf-field-checkbox-select" not in held

    before = set(Case.objects.values_list("pk", flat=True))
    response = client.post(ExemptionFlow.start.reverse("execute"), driver.filing_data(), follow=True)
    case = Case.objects.exclude(pk__in=before).get()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert f"案件{case.number}已立案。案件现处于“材料完整性审查中”。下一步：" in response.content.decode()
