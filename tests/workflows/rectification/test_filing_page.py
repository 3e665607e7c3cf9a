"""The officer's rectification filing page: missing fields are named at the field in Chinese, the lead's
date defaults to today, and filing ends on the new case's page saying what comes next."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workflows.conftest import pdf
from tolerance.models import Case
from workflows.rectification.flow import RectificationFlow

pytestmark = pytest.mark.django_db


def test_missing_fields_are_named_and_filing_lands_on_the_case_page(driver, users):
    client = driver.client_for("officer_guet")
    url = RectificationFlow.start.reverse("execute")
    page = client.get(url).content.decode()
    # No browser bubble (neither Chinese nor visible in viewflow's fields): the server names what is missing.
    date_field = re.search(r'<vf-field-date id="id_declared_on"[^>]*>', page).group(0)
    assert "required" not in date_field and f'value="{timezone.localdate():%Y/%m/%d}"' in date_field

    response = client.post(url, {**driver.declaration(title=""), "subject": "", "lead_source": ""})
    assert response.status_code == 200 and not Case.objects.exists()
    text = response.content.decode()
    assert text.count('error="这个字段是必填项。"') >= 4  # title, subject, lead source, lead date

    data = {
        **driver.declaration(),
        "subject": users["researcher_zhang"].pk,
        "lead_source": "annual_check",
        "declared_on": timezone.localdate().isoformat(),
        "files": pdf("自查申报表.pdf"),
    }
    response = client.post(url, data, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert f"案件{case.number}已立案。案件现处于" in response.content.decode()
