"""The request being served, if any, so audit events can record who acted and where from."""

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings

from tolerance.text import text_strip_controls

_current = ContextVar("tolerance_request_origin", default=None)


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    user_agent: str
    request_id: str
    # request.user (lazy): who is acting, for audit hooks that run inside saves (task lifecycle, role changes).
    user: object = None
    # Audit identities (actor snapshot by user id) read during this request: read once, not per event.
    identities: dict = field(default_factory=dict, compare=False, repr=False)


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client, as far as the trusted proxies in front of the site tell it.

    With settings.TRUSTED_PROXIES = 0 (no proxy) it is REMOTE_ADDR: X-Forwarded-For is then whatever the
    client wrote. With N proxies, each appends the address it was connected from, so the client is the N-th
    entry from the right; entries further left were written by the client and are never believed. A header
    with fewer entries than proxies, or a malformed entry, falls back to REMOTE_ADDR.
    """
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < trusted:
        return remote
    return _address(forwarded[-trusted]) or remote


def ratelimit_address(request) -> str:
    """client_address for django-ratelimit's `key="ip"` (settings.RATELIMIT_IP_META_KEY), which needs one."""
    return client_address(request) or "0.0.0.0"


def bind(request):
    origin = RequestOrigin(
        ip_address=client_address(request),
        user_agent=text_strip_controls(request.headers.get("User-Agent", "")[:300]),
        request_id=getattr(request, "request_id", ""),
        user=getattr(request, "user", None),
    )
    return _current.set(origin)


def unbind(token):
    _current.reset(token)


def current_origin() -> RequestOrigin | None:
    return _current.get()


def identity_cached(user_id) -> dict | None:
    origin = _current.get()
    return origin.identities.get(user_id) if origin is not None else None


def identity_remember(user_id, identity: dict) -> None:
    origin = _current.get()
    if origin is not None:
        origin.identities[user_id] = identity


def identity_forget(user_id) -> None:
    origin = _current.get()
    if origin is not None:
        origin.identities.pop(user_id, None)


def current_user():
    """The signed-in user of the request being served, or None (no request, or not signed in)."""
    origin = _current.get()
    user = origin.user if origin is not None else None
    return user if user is not None and user.is_authenticated else None
