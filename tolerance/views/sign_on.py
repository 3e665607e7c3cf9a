"""The campus login (CAS) of each institution, and a logout that ends the CAS session too."""

import logging
from urllib.parse import urlencode

import requests
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng.models import SessionTicket
from django_cas_ng.views import clean_sessions

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.middleware import error_page
from tolerance.models import Institution
from tolerance.sign_on import SignOnRefused, campus_user_resolve, sign_on_config

logger = logging.getLogger(__name__)
_SESSION_KEY = "campus_sign_on"
# The session backend's key length limit that django-cas-ng's SessionTicket keeps to.
_SESSION_KEY_MAX = 736


def _config_or_404(code: str):
    institution = Institution.objects.filter(code=code.upper(), is_active=True).first()
    config = sign_on_config(institution) if institution is not None else None
    if config is None:
        raise Http404
    return config


@method_decorator(csrf_exempt, name="dispatch")
class CampusLoginView(View):
    """GET without a ticket: off to the campus login. GET with one: verify it with the CAS server and sign
    the listed person in. POST: the CAS server's single sign-out of a session this login opened."""

    def _service_url(self, request, next_page: str) -> str:
        path = reverse("campus_login", args=[self.kwargs["code"]])
        return request.build_absolute_uri(path + ("?" + urlencode({"next": next_page}) if next_page else ""))

    def get(self, request, code):
        config = _config_or_404(code)
        next_page = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_page, allowed_hosts={request.get_host()}):
            next_page = ""
        client = config.client(self._service_url(request, next_page))
        ticket = request.GET.get("ticket", "")
        if not ticket:
            return redirect(client.get_login_url())
        try:
            cas_user, attributes, _pgtiou = client.verify_ticket(ticket)
        except requests.RequestException:
            logger.warning("CAS server of %s unreachable", config.institution.code, exc_info=True)
            return error_page(
                request,
                title=_("Campus login unavailable"),
                message=_("The campus login server cannot be reached at the moment; try again later."),
                status=503,
            )
        if not cas_user:
            return error_page(
                request,
                title=_("Campus login failed"),
                message=_("The campus login could not confirm who you are; please sign in again."),
                status=403,
            )
        try:
            user = campus_user_resolve(config=config, cas_user=cas_user, attributes=attributes or {})
        except SignOnRefused as refusal:
            with transaction.atomic():
                audit_record(
                    action=AuditAction.LOGIN_FAILED,
                    payload={"username": cas_user, "via": "cas", "institution": config.institution.code},
                )
            return error_page(request, title=_("Not registered"), message=str(refusal), status=403)
        auth_login(request, user, backend="tolerance.auth_backends.ModelBackend")
        request.session[_SESSION_KEY] = config.institution.code
        request.session.save()
        SessionTicket.objects.create(session_key=request.session.session_key[:_SESSION_KEY_MAX], ticket=ticket)
        return redirect(next_page or "/")

    def post(self, request, code):
        config = _config_or_404(code)
        clean_sessions(config.client(self._service_url(request, "")), request)
        return HttpResponse(status=200)


class CampusAwareLogoutView(auth_views.LogoutView):
    """Ends the session here and, for a session opened by a campus login, the CAS session as well."""

    def post(self, request, *args, **kwargs):
        code = request.session.get(_SESSION_KEY)
        session_key = request.session.session_key
        response = super().post(request, *args, **kwargs)
        if not code:
            return response
        if session_key:
            SessionTicket.objects.filter(session_key=session_key[:_SESSION_KEY_MAX]).delete()
        institution = Institution.objects.filter(code=code).first()
        config = sign_on_config(institution) if institution is not None else None
        if config is None:
            return response
        back = request.build_absolute_uri(reverse("login"))
        return redirect(config.client(back).get_logout_url(back))
