"""Login protection: lockout per account and per address, its unlock, the cool-off, a bounded audit
trail of failures, and a throttled password reset."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.demo import demo_password

LOCKED_ZH = "登录失败次数过多"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = _login(client, username, "not-the-password", address)
        assert response.status_code in (200, 429)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_with_a_chinese_message(users, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    _fail(client, "officer_guet", 5)
    with translation.override("zh-hans"):
        response = _login(client, "officer_guet", demo_password())
    assert response.status_code == 429
    assert LOCKED_ZH in response.content.decode()
    assert not _logged_in(client)


def test_the_account_is_locked_from_another_address_too(users):
    _fail(Client(), "officer_guet", 5, address="10.0.0.1")
    client = Client()
    response = _login(client, "officer_guet", demo_password(), address="10.0.0.2")
    assert response.status_code == 429 and not _logged_in(client)


def test_an_address_is_locked_for_every_account(users):
    _fail(Client(), "nobody-1", 3, address="10.0.0.9")
    _fail(Client(), "nobody-2", 2, address="10.0.0.9")
    client = Client()
    response = _login(client, "officer_guet", demo_password(), address="10.0.0.9")
    assert response.status_code == 429 and not _logged_in(client)


def test_fewer_failures_than_the_limit_still_let_the_user_in(users):
    client = Client()
    _fail(client, "officer_guet", 4)
    _login(client, "officer_guet", demo_password())
    assert _logged_in(client)


def test_an_administrator_unlocks_with_axes_reset(users):
    _fail(Client(), "officer_guet", 5)
    call_command("axes_reset_username", "officer_guet")
    call_command("axes_reset_ip", "10.0.0.1")
    client = Client()
    _login(client, "officer_guet", demo_password())
    assert _logged_in(client)


def test_an_administrator_unlocks_in_the_admin(users, client_for):
    _fail(Client(), "officer_guet", 5)
    admin = client_for("admin")
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert attempts
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    client = Client()
    _login(client, "officer_guet", demo_password())
    assert _logged_in(client)


def test_the_lockout_ends_after_the_cool_off(users, settings):
    _fail(Client(), "officer_guet", 5)
    # As if the cool-off had passed since the last failure.
    passed = settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - passed)
    client = Client()
    _login(client, "officer_guet", demo_password())
    assert _logged_in(client)


def test_failed_logins_do_not_flood_the_audit_chain(users, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    settings.AUDIT_ANONYMOUS_DENIALS_RATE = "5/m"
    _fail(Client(), "officer_guet", 12)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5


def test_password_reset_is_throttled(users, settings):
    settings.PASSWORD_RESET_RATE = "3/h"
    users["officer_guet"].email = "officer@example.org"
    users["officer_guet"].save()
    client = Client()
    statuses = [
        client.post("/accounts/password_reset/", {"email": "officer@example.org"}, REMOTE_ADDR="10.0.0.5").status_code
        for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
