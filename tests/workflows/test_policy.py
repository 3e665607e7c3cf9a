"""The tolerance list: loaded from fixtures, versioned, edited only through audited services."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tolerance.audit.models import AuditEvent
from workflows.models import PolicyItem, PolicyItemKind, PolicyVersion
from workflows.services.policy import policy_item_save

pytestmark = pytest.mark.django_db


def test_load_policy_loads_each_institution_once(policy):
    for code in ("GUET", "GXNU"):
        version = policy[code]
        counts = {kind: version.items.filter(kind=kind).count() for kind in PolicyItemKind.values}
        assert counts[PolicyItemKind.ENTRY] >= 20
        assert counts[PolicyItemKind.CONDITION] == 6
        assert counts[PolicyItemKind.NEGATIVE] >= 9 and counts[PolicyItemKind.MITIGATING] >= 5
        audiences = set(version.items.filter(kind=PolicyItemKind.ENTRY).values_list("audience", flat=True))
        assert audiences == {"leader", "manager", "researcher"}
    events = AuditEvent.objects.filter(action="policy.changed").count()
    assert events == PolicyVersion.objects.count() + PolicyItem.objects.count()
    call_command("load_policy", verbosity=0)
    assert AuditEvent.objects.filter(action="policy.changed").count() == events


def test_admin_edits_are_audited_and_cited_items_are_frozen(driver, client_for, policy):
    admin = client_for("admin")
    item = policy["GUET"].items.get(kind=PolicyItemKind.ENTRY, code="E20")
    url = reverse("admin:workflows_policyitem_change", args=[item.pk])
    data = {
        "version": item.version_id,
        "kind": item.kind,
        "code": item.code,
        "order": item.order,
        "audience": item.audience,
        "title": "因不可抗力导致项目中断（修订）",
        "text": item.text,
    }
    assert admin.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action="policy.changed").latest("sequence")
    assert event.payload["after"]["title"] == "因不可抗力导致项目中断（修订）"
    assert event.payload["before"]["title"] == "不可抗力导致项目中断"
    case = driver.file()
    cited = case.exemption.cited_entries.first()
    cited.title = "改写"
    with pytest.raises(ValidationError):
        policy_item_save(item=cited, changed_by=None)
    assert PolicyItem.objects.get(pk=cited.pk).title != "改写"


def test_a_case_records_the_version_it_was_judged_under(driver, policy):
    case = driver.file()
    assert case.exemption.policy_version == policy["GUET"]
    assert str(policy["GUET"]).startswith("GUET ")
