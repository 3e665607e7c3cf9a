from types import SimpleNamespace

from django.utils import translation

from tolerance.audit.actions import AuditAction
from tolerance.audit.timeline import event_sentence


def _form_event(form_code):
    return SimpleNamespace(
        action=AuditAction.FORM_SUBMITTED,
        payload={"form": form_code},
        actor_username="officer_guet",
        actor_name="王科",
        actor_role="officer",
        get_action_display=lambda: "表单提交",
    )


def test_history_names_the_workflow_form_in_chinese_not_its_code():
    with translation.override("zh-hans"):
        sentence = event_sentence(_form_event("exemption_filing"))
    assert "容错免责认定申请" in sentence
    assert "exemption_filing" not in sentence


def test_evidence_categories_show_their_chinese_label():
    from tolerance.models import Attachment

    with translation.override("zh-hans"):
        assert str(Attachment(category="minutes").category_label) == "集体决策会议纪要"
        assert str(Attachment(category="supplement").category_label) == "补正材料"
