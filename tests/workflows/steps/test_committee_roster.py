"""Roster changes made by the institution administrator while a case is before the committee: the open
round keeps the roster it opened with, and a person who leaves hands their tasks back to the queue."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from tests.sample_case_type.models import SampleOutcome
from tests.workflows.steps.conftest import MEMBERS, SAMPLE_URLS
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import CommitteePosition, CommitteeSeat
from tolerance.notifications.models import Notification
from workflows.steps.committee import committee_members, review_roster, review_tally
from workflows.steps.models import CommitteeReview

pytestmark = [pytest.mark.django_db, pytest.mark.urls(SAMPLE_URLS)]


def test_a_roster_change_during_an_open_vote_changes_nothing_in_it(sample, client_for, users):
    case = sample.file()
    sample.done("chair_guet", case, "open_review", {"agenda": "审议"})
    review = CommitteeReview.objects.get(case=case)
    admin = client_for("instadmin_guet")
    newcomer = users["researcher_li"]
    assert (
        admin.post(
            reverse("institution:seat_new"),
            {"user": newcomer.pk, "position": CommitteePosition.MEMBER, "term_starts_on": "2026-01-01"},
        ).status_code
        == 302
    )
    leaving = CommitteeSeat.objects.get(user=users["member4_guet"])
    assert (
        admin.post(
            reverse("institution:seat", args=[leaving.pk]),
            {
                "user": leaving.user_id,
                "position": leaving.position,
                "term_starts_on": "2026-01-01",
                "term_ends_on": "2026-01-02",
            },
        ).status_code
        == 302
    )
    assert review_tally(review).members == 5
    assert {user.username for user in review_roster(review)} == set(MEMBERS)
    assert {user.username for user in committee_members(case)} == {*MEMBERS[:4], "researcher_li"}

    # The newcomer sits from the next round: the page says so and nothing is recorded.
    newcomer_client = client_for("researcher_li")
    response = newcomer_client.post(reverse("case_actions:conflict_declare", args=[case.pk]), {"conflicted": "no"})
    assert response.status_code == 200 and "下一轮" in response.content.decode()
    assert not review.declarations.filter(member=newcomer).exists()

    # The member whose term ended can no longer act, but the round still counts the five it opened with.
    leaver = client_for("member4_guet")
    assert leaver.get(reverse("case_actions:vote", args=[case.pk])).status_code == 404
    sample.vote(case, SampleOutcome.UPHELD, voters=MEMBERS[:4])
    sample.done("chair_guet", case, "record_resolution", {"outcome": "upheld", "text": "决议"})
    review.refresh_from_db()
    assert (review.members_total, review.votes_cast, review.votes_for_outcome) == (5, 4, 4)


def test_a_deactivated_members_task_returns_to_the_queue_recorded_and_the_officers_notified(sample, client_for, users):
    case = sample.file()
    sample.done("chair_guet", case, "open_review", {"agenda": "审议"})
    sample.page("chair_guet", case, "record_resolution")  # the chair takes the task
    task = sample.task(case, "record_resolution")
    assert task.status == STATUS.ASSIGNED and task.owner == users["chair_guet"]

    admin = client_for("instadmin_guet")
    response = admin.post(reverse("institution:person_deactivate", args=[users["chair_guet"].profile.pk]))
    assert response.status_code == 302

    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    released = AuditEvent.objects.get(action=AuditAction.TASK_RELEASED, target_id=str(task.pk))
    assert released.actor_username == "instadmin_guet" and released.case_id == case.pk
    notified = Notification.objects.filter(case=case, event_key__startswith="account-deactivated:")
    assert set(notified.values_list("recipient__username", flat=True)) == {"officer_guet", "reviewer_guet"}
    assert "刘主任" in notified.first().title
    users["chair_guet"].refresh_from_db()
    assert not users["chair_guet"].is_active
    # The term ends today and the chair's role goes with it.
    assert not users["chair_guet"].groups.filter(name="committee_chair").exists()
