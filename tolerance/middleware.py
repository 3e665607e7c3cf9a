import logging
import re
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from tolerance import request_context
from tolerance.file_store import FileStoreUnavailable

logger = logging.getLogger(__name__)
_LINE_BREAKS = str.maketrans("", "", "\n\r\t")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestContextMiddleware:
    """Makes the current request's origin available to services that record audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A client-chosen id is kept only if it is plain: it is stored in audit events and logs.
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_context.bind(request)
        try:
            response = self.get_response(request)
        finally:
            request_context.unbind(token)
        response["X-Request-ID"] = request.request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY on every response that does not set its own.

    Django 5.2 has no built-in CSP. The policy forbids inline and foreign scripts, so text typed into a
    case can never run as script even if a template forgot to escape it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; here Chinese is the working
    language of every institution, so a browser set to English must not turn the pages English unasked.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def error_page(request, *, title, message, status):
    """A plain page for a request that could not be served; it needs no signed-in user or site menu."""
    return render(request, "tolerance/error.html", {"title": title, "message": message}, status=status)


class ControlCharacterMiddleware:
    """Answers 400 for a NUL or other control character in the path or the query string.

    No page of this site takes one, and further in they reach places that fail on them (PostgreSQL
    refuses NUL in text, the audit trail would lose the event): refused here, at the edge, once.
    Line breaks and tabs are allowed in query values (a search box), never in the path.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._hostile(request):
            return error_page(
                request,
                title=_("Invalid address"),
                message=_(
                    "The address contains a control character (such as a NUL byte) and cannot be served. "
                    "Check the link, or go back and try again."
                ),
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _hostile(request) -> bool:
        if forbidden_control(request.path_info, multiline=False):
            return True
        return any(
            forbidden_control(key, multiline=False) or any(forbidden_control(v, multiline=True) for v in values)
            for key, values in request.GET.lists()
        )


def forbidden_control(value: str, *, multiline: bool) -> bool:
    """A C0/C1 control character (multiline: other than line breaks and tabs) in `value`."""
    if multiline:
        value = value.translate(_LINE_BREAKS)
    return any(char < " " or "\x7f" <= char <= "\x9f" for char in value)


class StorageErrorMiddleware:
    """The archive failing (a read-only or full disk, an unreachable bucket) is a page saying so, not a 500.

    Whatever the view was doing has been rolled back with its transaction, and the store never leaves a
    partial file, so the page can say that nothing was saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FileStoreUnavailable):
            return None
        logger.error("File storage unavailable at %s: %s", request.path, exception, exc_info=exception)
        return error_page(
            request,
            title=_("File storage unavailable"),
            message=_(
                "The file storage cannot be used right now, so nothing was saved. Please try again later; "
                "if this persists, tell the system administrator."
            ),
            status=503,
        )
