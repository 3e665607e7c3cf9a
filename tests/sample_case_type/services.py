"""Filing a sample case: the core's filing plus the process and the type's first stage."""

from django.db import transaction

from tests.sample_case_type.case_type import CODE
from tests.sample_case_type.models import SampleStage
from tolerance.models import Case
from tolerance.selectors.policy import case_type_policy
from tolerance.services.cases import SubjectSpec, case_file, case_stage_set


def sample_file(*, process, institution, filed_by, title: str, subjects: list[SubjectSpec]) -> Case:
    # Refuse before numbering a case whose type the institution has not configured.
    case_type_policy(institution_id=institution.pk, case_type=CODE)
    with transaction.atomic():
        process.save()
        case = case_file(institution=institution, case_type=CODE, title=title, filed_by=filed_by, subjects=subjects)
        case.process = process
        case.save(update_fields=["process"])
        case_stage_set(case=case, stage=SampleStage.HEARING)
    return case
