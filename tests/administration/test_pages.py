"""Institution administrators manage their own institution's people, roster, contacts and policy numbers in
the site's pages — and reach nothing of another institution's."""

import pytest
from django.urls import reverse

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.models import CaseTypePolicy, CommitteePosition, CommitteeSeat, Department, DepartmentContact, Profile

pytestmark = pytest.mark.django_db

ADMINS = {"GUET": "instadmin_guet", "GXNU": "instadmin_gxnu"}
LIST_URLS = [
    "overview",
    "people",
    "person_new",
    "roster",
    "seat_new",
    "contacts",
    "contact_new",
    "policies",
    "import",
    "sign_on",
]


@pytest.fixture
def rows(users, institutions):
    """One row of each kind per institution, to walk the object pages with."""
    seats = {
        "GUET": CommitteeSeat.objects.get(user=users["chair_guet"]),
        "GXNU": CommitteeSeat.objects.create(
            institution=institutions["GXNU"],
            user=users["researcher_gxnu"],
            position=CommitteePosition.MEMBER,
            term_starts_on="2026-01-01",
        ),
    }
    return {
        code: {
            "person": users[ADMINS[code]].profile,
            "seat": seats[code],
            "contact": DepartmentContact.objects.filter(institution=institutions[code]).first(),
            "policy": CaseTypePolicy.objects.filter(institution=institutions[code]).first(),
        }
        for code in ADMINS
    }


def _object_urls(row):
    person = row["person"].pk
    return [
        reverse("institution:person", args=[person]),
        reverse("institution:person_roles", args=[person]),
        reverse("institution:person_deactivate", args=[person]),
        reverse("institution:person_reactivate", args=[person]),
        reverse("institution:seat", args=[row["seat"].pk]),
        reverse("institution:contact", args=[row["contact"].pk]),
        reverse("institution:policy", args=[row["policy"].pk]),
    ]


@pytest.mark.parametrize("own,other", [("GUET", "GXNU"), ("GXNU", "GUET")])
def test_each_administrator_reaches_their_own_institution_and_nothing_of_the_other(client_for, rows, own, other):
    client = client_for(ADMINS[own])
    for name in LIST_URLS:
        response = client.get(reverse(f"institution:{name}"))
        assert response.status_code == 200, name
        body = response.content.decode()
        assert rows[other]["person"].real_name not in body, name
    for url in _object_urls(rows[other]):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"real_name": "篡改", "roles": [roles.OFFICER]}).status_code == 404, url
    for url in _object_urls(rows[own])[:1] + _object_urls(rows[own])[4:]:
        assert client.get(url).status_code == 200, url
    # Nothing of the other institution changed, and no audit event was written for the attempts.
    assert Profile.objects.get(pk=rows[other]["person"].pk).real_name != "篡改"
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_CHANGED).exists()


@pytest.mark.parametrize(
    "username", ["officer_guet", "chair_guet", "researcher_zhang", "hr_guet", "supervisor_city", "admin"]
)
def test_other_roles_get_403_on_every_page(client_for, rows, username):
    client = client_for(username)
    for name in LIST_URLS:
        assert client.get(reverse(f"institution:{name}")).status_code == 403, name
    for url in _object_urls(rows["GUET"]):
        assert client.post(url, {}).status_code == 403, url


def test_an_administrator_adds_a_person_and_gives_roles_recorded_in_the_audit(client_for, guet):
    client = client_for("instadmin_guet")
    response = client.post(
        reverse("institution:person_new"),
        {
            "username": "newstaff",
            "real_name": "新同事",
            "staff_number": "G6001",
            "department": "人事处",
            "email": "new@guet.example.cn",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(staff_number="G6001")
    assert profile.institution == guet and profile.user.username == "newstaff"
    assert not profile.user.has_usable_password()
    response = client.post(reverse("institution:person_roles", args=[profile.pk]), {"roles": [roles.OFFICER]})
    assert response.status_code == 302
    assert roles.has_role(profile.user, roles.OFFICER)
    events = AuditEvent.objects.filter(target_id=str(profile.user.pk))
    assert {AuditAction.POLICY_CHANGED, AuditAction.PERMISSION_GRANTED} <= set(events.values_list("action", flat=True))


def test_bad_input_is_refused_beside_the_field_in_chinese_and_changes_nothing(client_for, users):
    client = client_for("instadmin_guet")
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("institution:person_new"),
        {"username": "dup", "real_name": "重复", "staff_number": "G1001", "email": "不是邮箱"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "有效的 Email" in str(form.errors["email"])
    response = client.post(
        reverse("institution:person_new"), {"username": "dup", "real_name": "重复", "staff_number": "G1001"}
    )
    assert "工号" in str(response.context["form"].errors["staff_number"])
    assert not Profile.objects.filter(real_name="重复").exists() and AuditEvent.objects.count() == before
    # An administrator cannot lock themselves out.
    own = users["instadmin_guet"].profile
    response = client.post(reverse("institution:person_roles", args=[own.pk]), {"roles": [roles.OFFICER]})
    assert response.status_code == 400 and roles.has_role(users["instadmin_guet"], roles.INSTITUTION_ADMIN)


def test_the_roster_gives_and_takes_the_committee_roles_with_the_term(client_for, users, guet):
    client = client_for("instadmin_guet")
    researcher = users["researcher_li"]
    response = client.post(
        reverse("institution:seat_new"),
        {
            "user": researcher.pk,
            "position": CommitteePosition.MEMBER,
            "term_starts_on": "2026-01-01",
            "term_ends_on": "",
        },
    )
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert roles.has_role(researcher, roles.COMMITTEE_MEMBER)
    seat = CommitteeSeat.objects.get(user=researcher)
    # A second chair for the same term is refused beside the position.
    response = client.post(
        reverse("institution:seat", args=[seat.pk]),
        {
            "user": researcher.pk,
            "position": CommitteePosition.CHAIR,
            "term_starts_on": "2026-01-01",
            "term_ends_on": "",
        },
    )
    assert response.status_code == 200 and "主任委员" in str(response.context["form"].errors["position"])
    response = client.post(
        reverse("institution:seat", args=[seat.pk]),
        {
            "user": researcher.pk,
            "position": CommitteePosition.MEMBER,
            "term_starts_on": "2026-01-01",
            "term_ends_on": "2026-01-31",
        },
    )
    assert response.status_code == 302
    researcher = type(researcher).objects.get(pk=researcher.pk)
    assert not roles.has_role(researcher, roles.COMMITTEE_MEMBER)
    # Another institution's person cannot be seated.
    response = client.post(
        reverse("institution:seat_new"),
        {"user": users["researcher_gxnu"].pk, "position": CommitteePosition.MEMBER, "term_starts_on": "2026-01-01"},
    )
    assert response.status_code == 200 and not CommitteeSeat.objects.filter(user=users["researcher_gxnu"]).exists()


def test_department_contacts_and_policy_numbers(client_for, users, guet):
    client = client_for("instadmin_guet")
    response = client.post(
        reverse("institution:contact_new"),
        {"department": Department.AUDIT, "user": users["researcher_li"].pk, "is_active": "on"},
    )
    assert response.status_code == 302
    assert roles.has_role(
        type(users["researcher_li"]).objects.get(pk=users["researcher_li"].pk), roles.DEPARTMENT_CONTACT
    )
    policy = CaseTypePolicy.objects.filter(institution=guet).first()
    data = {
        "document_number_prefix": policy.document_number_prefix,
        "publicity_days": 7,
        "publicity_day_count": policy.publicity_day_count,
        "objection_days": 9,
        "appeal_working_days": policy.appeal_working_days,
        "supplement_working_days": policy.supplement_working_days,
        "committee_quorum_percent": policy.committee_quorum_percent,
        "vote_threshold_percent": policy.vote_threshold_percent,
    }
    refused = client.post(reverse("institution:policy", args=[policy.pk]), data)
    assert refused.status_code == 200 and refused.context["form"].errors["objection_days"]
    data["objection_days"] = 5
    assert client.post(reverse("institution:policy", args=[policy.pk]), data).status_code == 302
    policy.refresh_from_db()
    assert policy.publicity_days == 7
    event = AuditEvent.objects.filter(action=AuditAction.POLICY_CHANGED, target_id=str(policy.pk)).latest("sequence")
    assert event.payload["changes"]["publicity_days"] == [5, 7]
