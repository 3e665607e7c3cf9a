"""Document numbers (文号) such as 桂电容认〔2026〕7号: per institution, case type and year, without gaps."""

from django.db import connection
from django.db.models import F

from tolerance.decisions.models import DecisionNumberSequence
from tolerance.models import Institution
from tolerance.selectors.policy import case_type_policy


def decision_number_allocate(*, institution: Institution, case_type: str, year: int) -> tuple[int, str]:
    """Take the next number inside the issuing transaction; the prefix is the case type's policy setting.

    The row stays locked until that transaction ends, so concurrent issues queue; a failed issue rolls
    the increment back with everything else, so no number is skipped.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("decision_number_allocate must run inside the issuing transaction.")
    # get_or_create retries the locked get if a concurrent first issue of the year created the row.
    prefix = case_type_policy(institution_id=institution.pk, case_type=case_type).document_number_prefix
    sequence, _created = DecisionNumberSequence.objects.select_for_update().get_or_create(
        institution=institution, case_type=case_type, year=year
    )
    DecisionNumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
    sequence.refresh_from_db(fields=["last_value"])
    value = sequence.last_value
    return value, f"{prefix}〔{year}〕{value}号"
