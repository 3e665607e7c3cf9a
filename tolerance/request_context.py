"""The request being served, if any, so audit events can record who acted and where from."""

from contextvars import ContextVar
from dataclasses import dataclass

_current = ContextVar("tolerance_request_origin", default=None)


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    user_agent: str
    request_id: str
    # request.user (lazy): who is acting, for audit hooks that run inside saves (task lifecycle, role changes).
    user: object = None


def bind(request):
    origin = RequestOrigin(
        # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", "")[:300],
        request_id=getattr(request, "request_id", ""),
        user=getattr(request, "user", None),
    )
    return _current.set(origin)


def unbind(token):
    _current.reset(token)


def current_origin() -> RequestOrigin | None:
    return _current.get()


def current_user():
    """The signed-in user of the request being served, or None (no request, or not signed in)."""
    origin = _current.get()
    user = origin.user if origin is not None else None
    return user if user is not None and user.is_authenticated else None
