from django.test import Client

from tolerance.services.cases import SubjectSpec, case_file, case_stage_set
from workflows.exemption.models import ExemptionStage


def test_the_next_step_is_shown_in_each_readers_language(users, guet):
    case = case_file(
        institution=guet,
        case_type="MZ",
        title="专利转让失败",
        filed_by=users["officer_guet"],
        subjects=[SubjectSpec(user=users["researcher_zhang"], role_in_case="项目负责人")],
    )
    case_stage_set(case=case, stage=ExemptionStage.PUBLICITY)

    researcher = Client()
    researcher.force_login(users["researcher_zhang"])
    assert "拟认定结论正在公示，可提出异议。" in researcher.get(f"/cases/{case.pk}/").content.decode()

    researcher.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert (
        "The proposed outcome is publicised; objections may be lodged."
        in researcher.get(f"/cases/{case.pk}/").content.decode()
    )
