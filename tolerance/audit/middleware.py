from contextvars import ContextVar

_current_user = ContextVar("tolerance_audit_actor", default=None)


def current_actor():
    """The user of the request being served, if any: who released or cancelled a task."""
    return _current_user.get()


class AuditActorMiddleware:
    """Makes request.user available to the audit hooks that run inside viewflow's task saves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_user.set(request.user)
        try:
            return self.get_response(request)
        finally:
            _current_user.reset(token)
