"""The verifier's review page shows the item it decides and the evidence submitted for it."""

import pytest
from django.urls import reverse

from tests.workflows.rectification.conftest import CONTACTS

pytestmark = pytest.mark.django_db


def test_the_review_page_shows_the_item_and_its_evidence(driver, rectifying):
    item = rectifying.rectification_items.get()
    driver.submit(rectifying, item)
    page = driver.client_for(CONTACTS[item.verifier]).get(reverse("rectification_pages:review", args=[item.pk]))
    text = page.content.decode()
    assert item.gap.code in text and item.gap.title in text
    assert item.remedy.splitlines()[0] in text
    evidence = item.evidence.get()
    assert "审批表.pdf" in text and "已补办审批并公示。" in text
    assert reverse("cases:attachment_download", args=[rectifying.pk, evidence.attachment_id]) in text
