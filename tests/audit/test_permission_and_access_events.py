"""Roles and permissions granted or revoked, and requests refused with 403, are audit events."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.audit.verification import chain_verify
from workflows.exemption.flow import ExemptionFlow


def _events(action, username):
    return list(
        AuditEvent.objects.filter(action=action, payload__user=username)
        .order_by("sequence")
        .values_list("payload", flat=True)
    )


def test_a_role_given_and_taken_away_is_recorded(users):
    member = users["member1_guet"]
    chair = Group.objects.get(name=roles.COMMITTEE_CHAIR)
    with transaction.atomic():
        member.groups.add(chair)
    with transaction.atomic():
        member.groups.remove(chair)
    expected = {"user": "member1_guet", "role": roles.COMMITTEE_CHAIR}
    assert _events(AuditAction.PERMISSION_GRANTED, "member1_guet")[-1] == expected
    assert _events(AuditAction.PERMISSION_REVOKED, "member1_guet") == [expected]
    assert chain_verify().intact


def test_a_role_changed_from_the_group_side_and_cleared_is_recorded(users):
    researcher = users["researcher_zhang"]
    supervisors = Group.objects.get(name=roles.SUPERVISOR)
    with transaction.atomic():
        supervisors.user_set.add(researcher)
    assert {"user": "researcher_zhang", "role": roles.SUPERVISOR} in _events(
        AuditAction.PERMISSION_GRANTED, "researcher_zhang"
    )
    held = set(researcher.groups.values_list("name", flat=True))
    with transaction.atomic():
        researcher.groups.clear()
    revoked = {payload["role"] for payload in _events(AuditAction.PERMISSION_REVOKED, "researcher_zhang")}
    assert revoked == held


def test_removing_a_role_the_user_does_not_hold_records_nothing(users):
    before = AuditEvent.objects.filter(action=AuditAction.PERMISSION_REVOKED).count()
    with transaction.atomic():
        users["researcher_zhang"].groups.remove(Group.objects.get(name=roles.OFFICER))
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_REVOKED).count() == before


def test_a_single_permission_granted_is_recorded_by_its_code(users):
    permission = Permission.objects.get(codename="view_auditevent")
    with transaction.atomic():
        users["officer_guet"].user_permissions.add(permission)
    assert _events(AuditAction.PERMISSION_GRANTED, "officer_guet")[-1] == {
        "user": "officer_guet",
        "permission": "audit.view_auditevent",
    }


def test_a_grant_rolled_back_leaves_no_event(users):
    before = AuditEvent.objects.count()
    chair = Group.objects.get(name=roles.COMMITTEE_CHAIR)
    with pytest.raises(RuntimeError), transaction.atomic():
        users["member2_guet"].groups.add(chair)
        raise RuntimeError("the admin form failed after the groups were saved")
    assert AuditEvent.objects.count() == before
    assert not users["member2_guet"].groups.filter(pk=chair.pk).exists()


def test_a_forbidden_page_is_recorded_with_who_and_where(client_for, users):
    url = ExemptionFlow.start.reverse("execute")
    assert client_for("researcher_zhang").get(url).status_code == 403
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).latest("sequence")
    assert denied.actor_username == "researcher_zhang"
    assert denied.payload == {"method": "GET", "path": url}
    assert denied.ip_address == "127.0.0.1" and denied.request_id
    assert denied.case_id is None


def test_a_request_refused_by_csrf_is_recorded_without_an_actor(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "officer_guet", "password": "x"})
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).latest("sequence")
    assert denied.actor_username == "" and denied.payload["path"] == "/accounts/login/"


def test_anonymous_refusals_are_recorded_only_up_to_a_rate_per_address(users, settings, client_for):
    # A daily window, so the test never straddles a window boundary; the cache starts empty.
    settings.AUDIT_ANONYMOUS_DENIALS_RATE = "5/d"
    cache.clear()
    anonymous = Client(enforce_csrf_checks=True)
    for _ in range(8):
        assert anonymous.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED).count() == 5

    researcher = client_for("researcher_zhang")
    for _ in range(8):
        assert researcher.get(ExemptionFlow.start.reverse("execute")).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor_username="researcher_zhang").count() == 8
