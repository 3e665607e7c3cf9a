"""The demo cases cover every stage, and were made by the flow itself (its tasks exist)."""

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task

from tolerance.models import Case, CaseType
from workflows.exemption.models import ExemptionStage

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_guet_case_in_every_stage():
    call_command("seed_demo", verbosity=0)
    stages = list(Case.objects.filter(institution__code="GUET").values_list("stage", flat=True))
    for stage in [
        ExemptionStage.COMPLETENESS_CHECK,
        ExemptionStage.SUPPLEMENT_REQUESTED,
        ExemptionStage.INVESTIGATION,
        ExemptionStage.COMMITTEE_REVIEW,
        ExemptionStage.PUBLICITY,
        ExemptionStage.APPEAL_REVIEW,
    ]:
        assert stage in stages
    decided = Case.objects.filter(case_type=CaseType.EXEMPTION, stage=ExemptionStage.APPEAL_WINDOW)
    assert sorted(d.decisions.get().outcome for d in decided) == ["exempt", "not_exempt", "reduced"]
    in_publicity = Case.objects.get(case_type=CaseType.EXEMPTION, stage=ExemptionStage.PUBLICITY)
    assert in_publicity.publicities.get().objections.count() == 1
    for case in Case.objects.all():
        assert case.process_id and Task.objects.filter(process_id=case.process_id).count() >= 2
    count = Case.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Case.objects.count() == count
