import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import Case, CaseType


def test_numbers_count_per_institution_type_and_year(file_case, stand_in_case_types):
    year = timezone.localdate().year
    first = file_case()
    second = file_case(officer="reviewer_guet")
    other_type = file_case(case_type=CaseType.RECTIFICATION)
    other_institution = file_case(officer="officer_gxnu", subjects=("researcher_gxnu",))

    assert first.number == f"GUET-MZ-{year}-0001"
    assert second.number == f"GUET-MZ-{year}-0002"
    assert other_type.number == f"GUET-ZG-{year}-0001"
    assert other_institution.number == f"GXNU-MZ-{year}-0001"


def test_filing_records_who_filed_it_and_an_audit_event(file_case, users):
    case = file_case()

    assert case.filed_by == users["officer_guet"]
    assert list(case.subjects.all()) == [users["researcher_zhang"]]
    event = AuditEvent.objects.get(case_id=case.pk, action=AuditAction.CASE_FILED)
    assert event.payload["number"] == case.number


def test_a_rolled_back_filing_leaves_no_gap(file_case):
    with pytest.raises(RuntimeError), transaction.atomic():
        file_case()
        raise RuntimeError("the flow failed after the number was taken")

    assert file_case().sequence == 1


def test_an_officer_cannot_file_for_another_institution(file_case):
    with pytest.raises(ValidationError) as error:
        file_case(officer="officer_gxnu", subjects=("researcher_zhang",))

    assert "不属于本机构" in error.value.messages[0]
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_filing_on_postgresql_gives_unique_gap_free_numbers(on_postgresql, file_case):
    """Eight officers' sessions file five cases each at the same moment, each on its own connection."""
    threads, per_thread = 8, 5
    start = threading.Barrier(threads)
    numbers, errors = [], []

    def officer_session(index):
        try:
            start.wait()
            for _ in range(per_thread):
                numbers.append(file_case(officer="officer_guet" if index % 2 else "reviewer_guet").number)
        except Exception as exc:  # collected so the main thread reports it
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=officer_session, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    year = timezone.localdate().year
    expected = [f"GUET-MZ-{year}-{sequence:04d}" for sequence in range(1, threads * per_thread + 1)]
    assert errors == []
    assert sorted(numbers) == expected
    assert sorted(Case.objects.values_list("number", flat=True)) == expected
