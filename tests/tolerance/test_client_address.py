"""The client's address behind the configured number of trusted proxies, for rate limits and audit events."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.request_context import client_address


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        # No proxy configured: the header is whatever the client wrote, and is ignored.
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # The client wrote the left entries itself; nginx appended the address it really saw.
        (1, "10.0.0.2", "1.1.1.1, 2.2.2.2, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.2", "1.1.1.1, 198.51.100.1, 10.0.0.3", "198.51.100.1"),
        # Fewer entries than proxies, or garbage: REMOTE_ADDR.
        (1, "10.0.0.2", "", "10.0.0.2"),
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_counts_trusted_proxies_from_the_right(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from(remote, forwarded)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_the_verification_rate_limit_keys_on_the_real_client_behind_the_proxy(settings, proxies):
    settings.TRUSTED_PROXIES = proxies
    with override_settings(DECISION_VERIFY_RATE="2/m"):
        # Every request reaches the site from the proxy (REMOTE_ADDR 127.0.0.1), for two different clients.
        first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
        second = Client(HTTP_X_FORWARDED_FOR="198.51.100.2")
        statuses = [first.get("/verify/NOSUCHCODE1/").status_code for _ in range(3)]
        assert statuses[-1] == 429
        other = second.get("/verify/NOSUCHCODE1/").status_code
    # With the proxy counted, one client's lookups do not block another; without, they share 127.0.0.1.
    assert (other == 429) is (proxies == 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("proxies", "expected"), [(0, "127.0.0.1"), (1, "198.51.100.9")])
def test_audit_events_record_the_real_client_address(settings, users, proxies, expected):
    settings.TRUSTED_PROXIES = proxies
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.9")
    client.post("/accounts/login/", {"username": "officer_guet", "password": "wrong"})
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("sequence")
    assert event.ip_address == expected


def test_the_setting_is_read_from_the_environment(monkeypatch):
    from tolerance import env

    monkeypatch.setenv("TOLERANCE_TRUSTED_PROXIES", "1")
    env.check_unknown_variables()  # known, so no error
    assert env.get_int("TOLERANCE_TRUSTED_PROXIES", 0, minimum=0) == 1
