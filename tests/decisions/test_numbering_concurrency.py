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


@pytest.mark.django_db(transaction=True)
def test_an_issue_being_rendered_does_not_hold_the_number_and_renders_again_if_it_was_taken(
    on_postgresql, exemption_case, users, monkeypatch
):
    """While one officer's decision is rendering, another's issues at once (the number row is not locked);
    the first then finds its expected number taken and renders again with the next: no gap, no wait."""
    from tolerance.decisions import services

    other_case = FiledCaseFactory(
        institution=exemption_case.institution,
        case_type=exemption_case.case_type,
        title="另一项专利转让失败容错免责认定",
        filed_by=users["officer_guet"],
        subjects=[(users["researcher_li"], "项目负责人")],
    )
    rendering, release = threading.Event(), threading.Event()
    printed = []
    real_produce = services._produce

    def produce(**kwargs):
        context = kwargs["context"]
        if context["case"].pk == exemption_case.pk:
            printed.append(context["document_number"])
            if len(printed) == 1:
                rendering.set()
                release.wait(30)
        return real_produce(**kwargs)

    monkeypatch.setattr(services, "_produce", produce)
    errors = []

    def slow_issue():
        try:
            decision_issue(
                case=exemption_case,
                kind="exemption",
                outcome="exempt",
                content=samples.exemption_content(),
                issued_by=users["officer_guet"],
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_issue)
    thread.start()
    try:
        assert rendering.wait(60)
        with connection.cursor() as cursor:
            # Were the number row locked by the rendering issue, this one would fail after 2 s.
            cursor.execute("SET lock_timeout = '2s'")
        fast = decision_issue(
            case=other_case,
            kind="exemption",
            outcome="exempt",
            content=samples.exemption_content(),
            issued_by=users["officer_guet"],
        )
    finally:
        release.set()
        thread.join()

    assert errors == []
    slow = Decision.objects.get(case=exemption_case)
    assert (fast.sequence, slow.sequence) == (1, 2)
    # Expected 1 and rendered it (both languages), found it taken, rendered 2 instead.
    assert printed[0] == fast.document_number
    assert set(printed[2:]) == {slow.document_number}
