"""The request being served, if any, so audit events can record where an action came from."""

from contextvars import ContextVar
from dataclasses import dataclass

_current = ContextVar("tolerance_request_origin", default=None)


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    user_agent: str
    request_id: str


def bind(request):
    origin = RequestOrigin(
        # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", "")[:300],
        request_id=getattr(request, "request_id", ""),
    )
    return _current.set(origin)


def unbind(token):
    _current.reset(token)


def current_origin() -> RequestOrigin | None:
    return _current.get()
