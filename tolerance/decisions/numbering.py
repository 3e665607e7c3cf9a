"""Document numbers (文号) such as 桂电容认〔2026〕7号: per institution and year, without gaps."""

from django.db import connection
from django.db.models import F

from tolerance.decisions.models import DecisionNumberSequence
from tolerance.models import Institution


def decision_number_allocate(*, institution: Institution, year: int) -> tuple[int, str]:
    """Take the next number inside the issuing transaction.

    The row stays locked until that transaction ends, so concurrent issues queue; a failed issue rolls
    the increment back with everything else, so no number is skipped.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("decision_number_allocate must run inside the issuing transaction.")
    # get_or_create retries the locked get if a concurrent first issue of the year created the row.
    sequence, _created = DecisionNumberSequence.objects.select_for_update().get_or_create(
        institution=institution, year=year
    )
    DecisionNumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
    sequence.refresh_from_db(fields=["last_value"])
    value = sequence.last_value
    return value, f"{institution.document_number_prefix}〔{year}〕{value}号"
