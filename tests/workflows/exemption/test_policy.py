"""The tolerance list: loaded from fixtures, versioned, edited only through audited services."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tolerance.audit.models import AuditEvent
from workflows.exemption.policy import policy_item_frozen_message, policy_item_save
from workflows.models import PolicyItem, PolicyItemKind, PolicyVersion

pytestmark = pytest.mark.django_db


def test_load_policy_loads_each_institution_once(policy):
    for code in ("GUET", "GXNU"):
        version = policy[code]
        counts = {kind: version.items.filter(kind=kind).count() for kind in PolicyItemKind.values}
        assert counts[PolicyItemKind.ENTRY] >= 20
        assert counts[PolicyItemKind.CONDITION] == 6
        assert counts[PolicyItemKind.NEGATIVE] >= 9 and counts[PolicyItemKind.MITIGATING] >= 4
        # v2 (domain-exemption-fixes.md F08, F11): the recorded dissent exempts, and the list is approved.
        assert counts[PolicyItemKind.EXEMPTING] == 1 and version.number == 2 and version.approved_by
        assert version.items.get(code="C3").checks["publicity_min_days"] == 15
        audiences = set(version.items.filter(kind=PolicyItemKind.ENTRY).values_list("audience", flat=True))
        assert audiences == {"leader", "manager", "researcher"}
    # load_policy also loads the other case types' policy; each records its own events.
    tolerance_list = ["workflows.PolicyVersion", "workflows.PolicyItem"]
    events = AuditEvent.objects.filter(action="policy.changed", target_type__in=tolerance_list).count()
    assert events == PolicyVersion.objects.count() + PolicyItem.objects.count()
    every_policy_event = AuditEvent.objects.filter(action="policy.changed").count()
    call_command("load_policy", verbosity=0)
    assert AuditEvent.objects.filter(action="policy.changed").count() == every_policy_event


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


def _change_page_data(response):
    """The POST data of an admin change page as it was rendered: every form's initial values."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = str(value.pk if hasattr(value, "pk") else value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(key)] = str(value)
        for form in formset.forms:
            add(form)
    return data


def test_the_admin_refuses_editing_a_cited_item_with_a_form_error(driver, client_for):
    admin = client_for("admin")
    case = driver.file()
    cited = case.exemption.cited_entries.order_by("order").first()
    url = reverse("admin:workflows_policyitem_change", args=[cited.pk])
    data = _change_page_data(admin.get(url))
    data["title"] = "改写"
    events = AuditEvent.objects.filter(action="policy.changed").count()

    response = admin.post(url, data, follow=True)

    assert response.status_code == 200 and response.redirect_chain == []
    assert response.context["adminform"].form.non_field_errors() == [policy_item_frozen_message()]
    assert not list(response.context["messages"])  # no "changed successfully", no after-the-fact refusal
    assert PolicyItem.objects.get(pk=cited.pk).title != "改写"
    assert AuditEvent.objects.filter(action="policy.changed").count() == events


def test_the_version_page_refuses_a_changed_cited_item_and_saves_nothing(driver, client_for):
    admin = client_for("admin")
    case = driver.file()
    version = case.exemption.policy_version
    cited = case.exemption.cited_entries.order_by("order").first()
    free = version.items.exclude(pk__in=case.exemption.cited_entries.all()).filter(kind=PolicyItemKind.ENTRY).first()
    url = reverse("admin:workflows_policyversion_change", args=[version.pk])
    page = admin.get(url)
    data = _change_page_data(page)
    forms = page.context["inline_admin_formsets"][0].formset.forms
    for form in forms:
        if form.instance.pk == cited.pk:
            data[form.add_prefix("title")] = "改写"
        elif form.instance.pk == free.pk:
            data[form.add_prefix("title")] = "未被引用的条目（修订）"
    version_title = version.title
    data["title"] = version_title + "（修订）"

    response = admin.post(url, data)

    assert response.status_code == 200
    inline_errors = [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms if form.errors]
    assert len(inline_errors) == 1, inline_errors
    assert not list(response.context["messages"])
    assert PolicyItem.objects.get(pk=cited.pk).title != "改写"
    assert PolicyItem.objects.get(pk=free.pk).title != "未被引用的条目（修订）"
    version.refresh_from_db()
    assert version.title == version_title

    # An edit of the version that leaves the cited item alone still goes through.
    data = _change_page_data(admin.get(url))
    for form in forms:
        if form.instance.pk == free.pk:
            data[form.add_prefix("title")] = "未被引用的条目（修订）"
    assert admin.post(url, data).status_code == 302
    assert PolicyItem.objects.get(pk=free.pk).title == "未被引用的条目（修订）"
