"""The decision admin lists only the decisions the site itself would show its user."""

import pytest
from django.urls import reverse

from tests.decisions import samples
from tests.factories import FiledCaseFactory
from tolerance.decisions.services import decision_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def gxnu_decision(gxnu, users):
    case = FiledCaseFactory(
        institution=gxnu,
        title="催化剂专利转让失败容错免责认定",
        filed_by=users["officer_gxnu"],
        subjects=[users["researcher_gxnu"]],
    )
    return decision_issue(
        case=case,
        kind="exemption",
        outcome="exempt",
        content=samples.CONTENT_BY_KIND["exemption"](),
        issued_by=users["officer_gxnu"],
    )


def shown(client):
    response = client.get(reverse("admin:decisions_decision_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_staff_see_in_the_admin_only_the_decisions_of_cases_they_may_see(
    exemption_case, issue, gxnu_decision, users, client_for
):
    guet_decision = issue(exemption_case)
    officer = users["officer_guet"]
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    assert officer.has_perm("decisions.view_decision")
    client = client_for("officer_guet")

    assert shown(client) == {guet_decision}
    assert client.get(reverse("admin:decisions_decision_change", args=[guet_decision.pk])).status_code == 200
    response = client.get(reverse("admin:decisions_decision_change", args=[gxnu_decision.pk]), follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    assert gxnu_decision.document_number not in response.content.decode()

    admin = client_for("admin")
    assert shown(admin) == {guet_decision, gxnu_decision}
    assert admin.get(reverse("admin:decisions_decision_change", args=[gxnu_decision.pk])).status_code == 200
