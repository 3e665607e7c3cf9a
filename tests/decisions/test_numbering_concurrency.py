import threading

import pytest
from django.db import connection

from tests.decisions import samples
from tolerance.decisions.models import Decision
from tolerance.decisions.services import decision_issue


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_numbers(on_postgresql, exemption_case, rectification_case, users):
    barrier = threading.Barrier(2)
    errors = []

    def issue(case, kind, content):
        try:
            barrier.wait()
            decision_issue(
                case=case,
                kind=kind,
                outcome="exempt" if kind == "exemption" else "passed",
                content=content,
                issued_by=users["officer_guet"],
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=issue, args=(exemption_case, "exemption", samples.exemption_content())),
        threading.Thread(target=issue, args=(rectification_case, "rectification", samples.rectification_content())),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Decision.objects.values_list("sequence", flat=True)) == [1, 2]
