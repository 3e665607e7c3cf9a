"""What the demo's licences must show (called by tests/composition/test_seed_demo.py, which seeds once): GUET
and GXNU licences in every stage for two companies, one conflict passed with a recorded reason, one in breach,
one converted, one exited, each granted licence with its sealed decision."""

from tolerance.models import Case, CaseType
from workflows.licensing.ledger import LicenceEnd
from workflows.licensing.models import LicensingReview, LicensingStage


def check_demo():
    cases = Case.objects.filter(case_type=CaseType.PAY_AFTER_USE)
    guet = set(cases.filter(institution__code="GUET").values_list("stage", flat=True))
    gxnu = set(cases.filter(institution__code="GXNU").values_list("stage", flat=True))
    assert {
        LicensingStage.REVIEW,
        LicensingStage.PUBLICITY,
        LicensingStage.COMMITTEE_REVIEW,
        LicensingStage.FREE_USE,
        LicensingStage.PAYING,
        LicensingStage.BREACH,
        LicensingStage.CONVERTED,
    } <= guet
    assert {LicensingStage.REVIEW, LicensingStage.FREE_USE, LicensingStage.PAYING} <= gxnu
    exited = cases.filter(title__contains="已退出").get()
    assert exited.stage == LicensingStage.EXITED and exited.licence_closure.ending == LicenceEnd.EXITED
    assert set(cases.values_list("company__contacts__user__username", flat=True)) == {
        "licensee_demo",
        "licensee_other",
    }
    passed_with_reason = LicensingReview.objects.exclude(proceed_reason="").get()
    assert "冲突已处理" in passed_with_reason.case.title
    for case in cases.filter(stage__in=[LicensingStage.FREE_USE, LicensingStage.PAYING, LicensingStage.BREACH]):
        assert case.decisions.filter(kind="licence", outcome="granted").exists(), case.number
