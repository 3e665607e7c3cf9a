"""Turns a lost race for a case's row lock into a page the user can act on."""

from django.db import OperationalError
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from viewflow.workflow.exceptions import FlowLockFailed

from workflows.visibility import check_request

LOCK_CONFLICT_STATUS = 409
# deadlock_detected, serialization_failure
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


class FlowLockConflictMiddleware:
    """`select_for_update_lock` gives up after a few seconds of contention with `FlowLockFailed`.

    Viewflow's task views let it escape as a 500; it only means someone else is working on the same
    case right now, and nothing was changed, so say so and let the user retry. A deadlock PostgreSQL
    broke by rolling this request back means the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, FlowLockFailed) or _is_transaction_conflict(exception)):
            return None
        return TemplateResponse(
            request,
            "workflows/lists/lock_conflict.html",
            {"retry_url": _retry_url(request)},
            status=LOCK_CONFLICT_STATUS,
        )


def _is_transaction_conflict(exception) -> bool:
    """PostgreSQL broke a deadlock or a serialization conflict by rolling this request back: safe to retry."""
    return (
        isinstance(exception, OperationalError)
        and getattr(exception.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES
    )


def _retry_url(request) -> str:
    """The page to go back to: this one for a GET, the form's page (if it is ours) for a POST."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return ""


class ProcessVisibilityMiddleware:
    """Runs a flow page's visibility check before viewflow's SiteMiddleware checks the application.

    The check itself is part of every flow URL (workflows.visibility.guard_url_patterns) and works
    without this; running it first only makes an invisible case answer 404 rather than the 403 a
    researcher, who may not open the flow application at all, would otherwise get.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        url_name = getattr(callback, "visibility_url_name", None)
        if url_name is not None:
            check_request(request, url_name=url_name, kwargs=callback_kwargs)
        return None
