"""Cases judged under version 1 of a tolerance list keep reading and verifying as they did once version 2
(per-person determinations, the computed publicity check) is in force."""

import django.apps
import pytest
from django.urls import reverse

from tests.workflows.conftest import Driver, day_after, run_timers
from tolerance.decisions.models import Decision
from tolerance.decisions.verification import decision_verify_code
from workflows.exemption.investigation import determinations_propose
from workflows.exemption.models import SubjectDetermination
from workflows.exemption.policy import POLICY_DIR, policy_load, policy_version_current
from workflows.exemption.result_models import ResultApplication

pytestmark = pytest.mark.django_db

migration = __import__(
    "workflows.migrations.0008_exemption_per_subject", fromlist=["determinations_from_case_outcomes"]
)


@pytest.fixture
def version_one(institutions):
    return {
        code: policy_load(institution=institutions[code], path=POLICY_DIR / f"{code}-v1.json") for code in ("GUET",)
    }


def test_a_version_one_case_decided_before_version_two_still_reads_and_verifies(
    client_for, users, institutions, version_one
):
    driver = Driver(client_for, users, version_one)
    case = driver.file()
    assert case.exemption.policy_version.number == 1
    driver.to_committee(case)
    driver.through_committee(case, "exempt")
    run_timers(day_after(case.publicities.get().ends_on))
    driver.issue(case)
    decision = Decision.objects.get(case=case)
    assert "subject_rows" not in decision.content and not ResultApplication.objects.exists()

    policy_load(institution=institutions["GUET"], path=POLICY_DIR / "GUET-v2.json")
    assert policy_version_current(institutions["GUET"]).number == 2
    case.refresh_from_db()
    # One determination for the case, from case-level findings, as version 1 judged it.
    (proposal,) = determinations_propose(case)
    assert proposal.subject is None and proposal.evaluation.proposal == "exempt"
    page = client_for("officer_guet").get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "v1" in page.content.decode()
    assert decision_verify_code(code=decision.verification_code).genuine


def test_the_migration_gives_each_subject_of_an_old_evaluation_its_outcome(client_for, users, version_one):
    driver = Driver(client_for, users, version_one)
    case = driver.file()
    driver.to_committee(case)
    evaluation = case.evaluations.get()
    SubjectDetermination.objects.filter(evaluation=evaluation).delete()  # as before the migration
    migration.determinations_from_case_outcomes(django.apps.apps, None)
    (row,) = SubjectDetermination.objects.filter(evaluation=evaluation)
    assert (row.subject.user, row.outcome, row.proposal) == (
        users["researcher_zhang"],
        evaluation.outcome,
        evaluation.proposal,
    )
