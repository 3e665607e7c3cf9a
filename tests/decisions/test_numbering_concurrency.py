import threading

import pytest
from django.db import connection

from tests.decisions import samples
from tests.factories import FiledCaseFactory
from tolerance.decisions.models import Decision
from tolerance.decisions.services import decision_issue


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_numbers(on_postgresql, exemption_case, users):
    """Each case type has its own series (its own prefix): two exemption decisions issued at once get 1 and 2."""
    second_case = FiledCaseFactory(
        institution=exemption_case.institution,
        case_type=exemption_case.case_type,
        title="另一项专利转让失败容错免责认定",
        filed_by=users["officer_guet"],
        subjects=[(users["researcher_li"], "项目负责人")],
    )
    barrier = threading.Barrier(2)
    errors = []

    def issue(case, kind, content):
        try:
            barrier.wait()
            decision_issue(
                case=case,
                kind=kind,
                outcome="exempt",
                content=content,
                issued_by=users["officer_guet"],
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=issue, args=(exemption_case, "exemption", samples.exemption_content())),
        threading.Thread(target=issue, args=(second_case, "exemption", samples.exemption_content())),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Decision.objects.values_list("sequence", flat=True)) == [1, 2]
