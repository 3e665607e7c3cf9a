"""The licensee's portal and the permission matrix of every licence page: a company's contacts see every
case of their company and nothing of another's; no page answers anyone with a 500."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.workflows.licensing.conftest import pdf
from tolerance import roles
from tolerance.demo import DEMO_USERS
from tolerance.models import CompanyContact, Profile
from workflows.licensing import applications

ACTIONS = [
    "report",
    "accept",
    "evidence",
    "receipt",
    "cnipa",
    "elect",
    "exit",
    "convert",
    "complete",
    "terminate",
    "record_cancel",
]
OFFICERS = {"officer_guet", "reviewer_guet"}
MAY = {
    "report": OFFICERS | {"licensee_demo"},
    "accept": OFFICERS,
    "evidence": {"licensee_demo"},
    "receipt": {"finance_guet"},
    "cnipa": OFFICERS,
    "elect": OFFICERS | {"licensee_demo"},
    "record_cancel": OFFICERS,
    "exit": OFFICERS | {"licensee_demo"},
    "convert": OFFICERS,
    "complete": OFFICERS,
    "terminate": OFFICERS,
}
SEES = OFFICERS | {
    "chair_guet",
    "member1_guet",
    "member2_guet",
    "member3_guet",
    "member4_guet",
    "researcher_zhang",  # named as the inventor
    "licensee_demo",
    "finance_guet",
    "supervisor_city",
    "admin",
}


@pytest.fixture
def licence(licence_driver):
    return licence_driver.granted()


def test_every_licence_page_for_every_demo_user(licence, users):
    case = licence
    for spec in DEMO_USERS:
        client = Client()
        client.force_login(users[spec.username])
        portal = client.get(reverse("licence_pages:portal"))
        assert portal.status_code == 200, spec.username
        assert (case.number in portal.content.decode()) == (spec.username in SEES), spec.username
        detail = client.get(reverse("cases:detail", args=[case.pk]))
        assert detail.status_code == (200 if spec.username in SEES else 404), spec.username
        for action in ACTIONS:
            url = reverse(f"licence_pages:{action}", args=[case.pk])
            for response in (client.get(url), client.post(url, {})):
                expected = 404 if spec.username not in SEES else 200 if spec.username in MAY[action] else 403
                assert response.status_code == expected, (spec.username, action, response.status_code)
    anonymous = Client().get(reverse("licence_pages:report", args=[case.pk]))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_companys_new_contact_sees_its_cases_and_files_reports(licence, licensing):
    newcomer = get_user_model().objects.create_user("licensee_new", password="x")
    newcomer.groups.add(Group.objects.get(name=roles.LICENSEE_CONTACT))
    Profile.objects.create(user=newcomer, real_name="郑助理", organisation="桂林漓江智能装备有限公司")
    client = Client()
    client.force_login(newcomer)
    assert client.get(reverse("cases:detail", args=[licence.pk])).status_code == 404

    CompanyContact.objects.create(company=licensing["companies"]["licensee_demo"], user=newcomer)
    assert not licence.subject_links.filter(user=newcomer).exists()
    assert client.get(reverse("cases:detail", args=[licence.pk])).status_code == 200
    start = licence.licensing.contract_effective_on
    response = client.post(
        reverse("licence_pages:report", args=[licence.pk]),
        {
            "period_start": start.isoformat(),
            "period_end": start.isoformat(),
            "units": "3",
            "net_sales": "1200.50",
            "milestone": "",
            "note": "样机调试中。",
            "evidence": pdf("样机照片.pdf"),
        },
    )
    assert response.status_code == 302
    assert licence.usage_reports.get().net_sales == Decimal("1200.50")


def test_the_other_companys_contact_sees_nothing_of_it(licence, client_for):
    client = client_for("licensee_other")
    assert client.get(reverse("cases:detail", args=[licence.pk])).status_code == 404
    decision = licence.decisions.get()
    assert client.get(reverse("decisions:download", args=[decision.pk])).status_code == 404
    assert licence.number not in client.get(reverse("licence_pages:portal")).content.decode()
    # The contact of the licensee downloads it, and sees what is due on the portal.
    own = client_for("licensee_demo")
    assert own.get(reverse("decisions:download", args=[decision.pk])).status_code == 200
    assert licence.number in own.get(reverse("licence_pages:portal")).content.decode()


CONTACTS = {"licensee_demo", "licensee_other"}
SEES_APPLICATION = OFFICERS | {"licensee_demo"}


def test_every_application_page_for_every_demo_user_and_both_companies(licensing, users, client_for):
    application = applications.application_submit(
        submitted_by=users["licensee_demo"],
        title="北斗定位模组普通许可申请（门户）",
        results=[licensing["results"]["ZL202210123456.1"]],
        terms=application_terms(),
        documents=[pdf("营业执照.pdf")],
    )
    pages = {
        "application": reverse("licence_pages:application", args=[application.pk]),
        "accept": reverse("licence_pages:application_accept", args=[application.pk]),
        "decline": reverse("licence_pages:application_decline", args=[application.pk]),
    }
    for spec in DEMO_USERS:
        name = spec.username
        client = client_for(name)
        apply_expected = 200 if name in CONTACTS else 403
        assert client.get(reverse("licence_pages:apply")).status_code == apply_expected, name
        assert client.post(reverse("licence_pages:apply"), {}).status_code == apply_expected, name
        listing = client.get(reverse("licence_pages:applications"))
        assert listing.status_code == 200, name
        assert (application.title in listing.content.decode()) == (name in SEES_APPLICATION), name
        detail = client.get(pages["application"]).status_code
        assert detail == (200 if name in SEES_APPLICATION else 404), name
        for action in ("decline", "accept"):
            status = client.post(pages[action], {}).status_code
            expected = {404} if name not in SEES_APPLICATION else {403} if name not in OFFICERS else {200, 302}
            assert status in expected, (name, action, status)
            assert client.get(pages[action]).status_code in ({404} if name not in SEES_APPLICATION else {403, 405})
    anonymous = Client().get(reverse("licence_pages:apply"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def application_terms():
    today = timezone.localdate()
    return {
        "intended_use": "用于车载定位终端。",
        "licence_type": "ordinary",
        "fields_of_use": ["G01S"],
        "territories": ["450000"],
        "start_on": today,
        "end_on": today + datetime.timedelta(days=3 * 365),
        "free_use_months": 12,
        "trigger_mode": "any_of",
        "trigger_date": today + datetime.timedelta(days=365),
        "trigger_milestone": "",
        "trigger_revenue": None,
        "payment_mode": "lump",
        "fee_total": Decimal("50000.00"),
        "instalments": 1,
        "royalty_percent": None,
        "valuation_reference": "",
    }
