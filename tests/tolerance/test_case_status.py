from django.test import Client

from tests.factories import CaseFactory
from tolerance.services.cases import case_stage_set
from workflows.exemption.models import ExemptionStage


def test_the_next_step_is_shown_in_each_readers_language(users, guet):
    case = CaseFactory(institution=guet, filed_by=users["officer_guet"], subjects=[users["researcher_zhang"]])
    case_stage_set(case=case, stage=ExemptionStage.PUBLICITY)

    researcher = Client()
    researcher.force_login(users["researcher_zhang"])
    assert "拟认定结论正在公示，可提出异议。" in researcher.get(f"/cases/{case.pk}/").content.decode()

    researcher.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert (
        "The proposed outcome is publicised; objections may be lodged."
        in researcher.get(f"/cases/{case.pk}/").content.decode()
    )
