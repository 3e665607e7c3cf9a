from django.test import Client

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.demo import demo_password


def test_login_failed_login_and_logout_are_recorded_without_the_password(users):
    client = Client()
    client.post("/accounts/login/", {"username": "officer_guet", "password": "not-the-password"})
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.payload == {"username": "officer_guet"}
    assert b"not-the-password" not in bytes(failed.canonical)
    assert failed.ip_address == "127.0.0.1"

    client.post("/accounts/login/", {"username": "officer_guet", "password": demo_password()})
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login.actor_username == "officer_guet" and login.request_id

    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_username="officer_guet").exists()
