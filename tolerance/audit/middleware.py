from http import HTTPStatus

from django.db import transaction

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.audit.throttle import anonymous_event_allowed

_MAX_PATH = 500


class AccessDeniedAuditMiddleware:
    """Records every 403 this site answers (a permission check, CSRF, a read-only role) as access denied.

    Placed after RequestContextMiddleware, so the event carries the request's address and id. 404s for
    cases of another institution are not recorded: most 404s are mistyped or stale links. Anonymous
    refusals are recorded up to a rate per address, so a script cannot flood the chain (every append
    queues on its head); a signed-in user's are always recorded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == HTTPStatus.FORBIDDEN:
            user = getattr(request, "user", None)
            actor = user if user is not None and user.is_authenticated else None
            if actor is None and not anonymous_event_allowed(request, group="audit.access_denied"):
                return response
            with transaction.atomic():
                audit_record(
                    action=AuditAction.ACCESS_DENIED,
                    actor=actor,
                    payload={"method": request.method, "path": request.path[:_MAX_PATH]},
                )
        return response
