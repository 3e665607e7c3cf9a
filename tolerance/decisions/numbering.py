"""Document numbers (文号) such as 桂电容认〔2026〕7号: per institution, case type and year, without gaps.

Issuing renders and seals the document with its number printed in it (about a second for both
languages). The number row is not locked across that: the issuer renders with the number it expects
(`decision_number_expected`, no lock), then takes the next number under the row lock
(`decision_number_allocate`); only if someone else took that number in between does it render again,
holding the lock. Two officers of one institution issuing at once therefore wait at most one render for
each other, and the series stays gap-free: no number is taken before its document exists, so no number
is ever voided.
"""

from django.db import connection
from django.db.models import F

from tolerance.decisions.models import DecisionNumberSequence
from tolerance.models import Institution
from tolerance.selectors.policy import case_type_policy


def _number(*, institution: Institution, case_type: str, year: int, value: int) -> str:
    prefix = case_type_policy(institution_id=institution.pk, case_type=case_type).document_number_prefix
    return f"{prefix}〔{year}〕{value}号"


def decision_number_expected(*, institution: Institution, case_type: str, year: int) -> tuple[int, str]:
    """The number the next issue will most likely get, read without a lock (nothing is taken)."""
    last = (
        DecisionNumberSequence.objects.filter(institution=institution, case_type=case_type, year=year)
        .values_list("last_value", flat=True)
        .first()
    )
    value = (last or 0) + 1
    return value, _number(institution=institution, case_type=case_type, year=year, value=value)


def decision_number_allocate(*, institution: Institution, case_type: str, year: int) -> tuple[int, str]:
    """Take the next number inside the issuing transaction; the prefix is the case type's policy setting.

    The row stays locked until that transaction ends, so concurrent issues queue; a failed issue rolls
    the increment back with everything else, so no number is skipped.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("decision_number_allocate must run inside the issuing transaction.")
    # get_or_create retries the locked get if a concurrent first issue of the year created the row.
    sequence, _created = DecisionNumberSequence.objects.select_for_update().get_or_create(
        institution=institution, case_type=case_type, year=year
    )
    DecisionNumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
    sequence.refresh_from_db(fields=["last_value"])
    value = sequence.last_value
    return value, _number(institution=institution, case_type=case_type, year=year, value=value)
