"""Races on one case, on PostgreSQL with real connections: each has exactly one effect.

Each contender runs in its own thread with its own database connection, released together by a
barrier. The loser of a lock race gets 403 (the task already moved on) or the 409 "someone else is
working on this case" page, never a 500 and never a second effect.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from viewflow.workflow import STATUS
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from tests.factories import exemption_case_decided
from tests.workflows.lists_fixtures import exemption_flow_fixture, flow_app_fixture, seed_cases_fixture  # noqa: F401
from tolerance.models import Case

LOSER_STATUSES = {403, 409}


def _race(*contenders):
    """Run each callable in its own thread and connection, started together; return their results."""
    barrier = threading.Barrier(len(contenders))
    results = [None] * len(contenders)

    def run(index, contender):
        try:
            barrier.wait(timeout=10)
            results[index] = contender()
        except Exception as error:  # the test inspects what each contender met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, contender)) for index, contender in enumerate(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _poster(user, url, data):
    client = Client()
    client.force_login(user)
    return lambda: client.post(url, data).status_code


def _only_active_task(case, node, **fields):
    """Leave the seeded case with a single active task, at `node`."""
    with transaction.atomic():
        Task.objects.filter(process_id=case.process_id).exclude(status=STATUS.DONE).delete()
        return Task.objects.create(process_id=case.process_id, flow_task=node, flow_task_type=node.task_type, **fields)


@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_the_same_task_exactly_one_wins(on_postgresql, users, seed_cases, exemption_flow):
    case = seed_cases(1)[0]
    task = Task.objects.get(process_id=case.process_id, flow_task=exemption_flow.investigate, status=STATUS.NEW)
    url = exemption_flow.investigate.reverse("assign", args=[case.process_id, task.pk])
    officers = [users["officer_guet"], users["reviewer_guet"]]

    statuses = _race(*(_poster(officer, url, {}) for officer in officers))

    assert sorted(statuses)[0] == 302 and sorted(statuses)[1] in LOSER_STATUSES, statuses
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED
    assert task.owner == officers[statuses.index(302)]


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_task_form_executes_once(on_postgresql, users, seed_cases, exemption_flow):
    case = seed_cases(1)[0]
    reviewer = users["reviewer_guet"]
    task = _only_active_task(
        case,
        exemption_flow.check_completeness,
        status=STATUS.ASSIGNED,
        owner=reviewer,
        owner_permission="workflows.officer_task_exemptionprocess",
        assigned=timezone.now(),
    )
    url = exemption_flow.check_completeness.reverse("execute", args=[case.process_id, task.pk])
    form = {"result": "accepted", "reason": ""}

    statuses = _race(_poster(reviewer, url, form), _poster(reviewer, url, form))

    assert sorted(statuses)[0] == 302 and sorted(statuses)[1] in LOSER_STATUSES, statuses
    assert case.intake_reviews.count() == 1
    assert Task.objects.filter(process_id=case.process_id, flow_task=exemption_flow.investigate).count() == 1


def _waiting_for_appeal(users):
    """A case the flow has decided and waits on for an appeal (driven there from code), its window's timer due now."""
    from workflows.steps.selectors import appeal_waiting_task

    case = exemption_case_decided(users)
    waiting = appeal_waiting_task(case)
    timer = Task.objects.get(process_id=case.process_id, status=STATUS.SCHEDULED)
    Task.objects.filter(pk=timer.pk).update(scheduled=timezone.now() - datetime.timedelta(seconds=1))
    return case, waiting


@pytest.mark.django_db(transaction=True)
def test_the_appeal_window_timer_firing_while_a_subject_appeals_has_one_effect(
    on_postgresql, users, policy, exemption_flow
):
    """Either the appeal is recorded and the case goes back to the committee, or the window closes.

    The losing appeal must fail cleanly (a form error, or the 409 page), not with a database error:
    it has to take the flow lock before it writes anything, as the timer does.
    """
    from workflows.models import Appeal
    from workflows.steps.appeal import appeal_lodge

    case, waiting = _waiting_for_appeal(users)
    subject = users["researcher_zhang"]

    def appeal():
        fresh = Case.objects.get(pk=case.pk)
        return appeal_lodge(
            case=fresh,
            lodged_by=subject,
            reasons="New evidence.",
            files=[],
            waiting_task=Task.objects.get(pk=waiting.pk),
        )

    def fire_timers():
        call_command("workflow_timers", stdout=open("/dev/null", "w"))

    results = _race(appeal, fire_timers)

    appealed = Appeal.objects.filter(case=case).exists()
    waiting.refresh_from_db()
    case.refresh_from_db()
    # The committee's first round is done; an appeal opens a second one.
    review_tasks = (
        Task.objects.filter(process_id=case.process_id, flow_task=exemption_flow.open_review)
        .exclude(status=STATUS.DONE)
        .count()
    )
    if appealed:
        assert waiting.status == STATUS.DONE and review_tasks == 1 and case.stage != "closed"
    else:
        assert isinstance(results[0], (ValidationError, FlowLockFailed)), results
        assert waiting.status == STATUS.CANCELED and review_tasks == 0 and case.stage == "closed"


def _while_row_locked(model, pk, change, contender):
    """Lock `model` row `pk` in one connection, run `contender` in another until it waits for that lock,
    then apply `change` to the row and commit. Returns what the contender returned or raised.

    A contender that checks the row before locking it passes its check on the stale row and then acts
    after the change; one that locks first sees the committed change.
    """
    import time

    locked, done = threading.Event(), threading.Event()
    outcome = {}

    def holder():
        try:
            with transaction.atomic():
                row = model.objects.select_for_update().get(pk=pk)
                locked.set()
                assert done.wait(timeout=20), "the contender never waited for the lock"
                change(row)
        finally:
            connection.close()

    def run_contender():
        try:
            outcome["result"] = contender()
        except Exception as error:  # the test inspects what the contender met
            outcome["result"] = error
        finally:
            connection.close()

    hold = threading.Thread(target=holder)
    hold.start()
    assert locked.wait(timeout=20)
    contend = threading.Thread(target=run_contender)
    contend.start()
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and contend.is_alive():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.02)
    done.set()
    hold.join(timeout=30)
    contend.join(timeout=30)
    return outcome.get("result")


@pytest.mark.django_db(transaction=True)
def test_a_vote_racing_the_resolution_is_refused(on_postgresql, users, seed_cases):
    """The review is locked before it is checked: a vote cast while the chair resolves lands nowhere."""
    from workflows.models import CommitteeReview, ConflictDeclaration, ExemptionOutcome, Vote
    from workflows.steps.committee import vote_cast

    case = seed_cases(1)[0]
    member = users["member1_guet"]
    review = CommitteeReview.objects.create(case=case, round=1, opened_by=users["chair_guet"], agenda="")
    ConflictDeclaration.objects.create(review=review, member=member, conflicted=False, note="")

    def resolve(row):
        row.outcome, row.resolved_at, row.resolved_by = ExemptionOutcome.EXEMPT, timezone.now(), users["chair_guet"]
        row.save()

    def vote():
        return vote_cast(
            case=Case.objects.get(pk=case.pk),
            member=member,
            outcome=ExemptionOutcome.EXEMPT,
            reason="Facts are clear.",
        )

    result = _while_row_locked(CommitteeReview, review.pk, resolve, vote)

    assert isinstance(result, ValidationError), result
    assert not Vote.objects.filter(review=review).exists()


@pytest.mark.django_db(transaction=True)
def test_an_objection_racing_the_close_of_publicity_is_refused(on_postgresql, users, seed_cases):
    """The publicity is locked before it is checked: an objection lodged while it closes is refused."""
    from workflows.models import Objection, Publicity
    from workflows.steps.publicity import objection_lodge

    case = seed_cases(1)[0]
    today = timezone.localdate()
    publicity = Publicity.objects.create(
        case=case,
        notice_text="Notice.",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
        objections_until=today + datetime.timedelta(days=5),
    )

    def close(row):
        row.closed_at = timezone.now()
        row.save(update_fields=["closed_at"])

    def lodge():
        return objection_lodge(case=Case.objects.get(pk=case.pk), text="I object.", lodged_by=users["researcher_zhang"])

    result = _while_row_locked(Publicity, publicity.pk, close, lodge)

    assert isinstance(result, ValidationError), result
    assert not Objection.objects.filter(publicity=publicity).exists()
