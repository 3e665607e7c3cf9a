import logging
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.core import is_ratelimited

from tolerance import roles
from tolerance.decisions.forms import RevokeForm, VerificationCodeForm, VerificationUploadForm
from tolerance.decisions.selectors import decision_get_visible, decisions_for_case
from tolerance.decisions.services import DecisionFileCorrupted, decision_file_read, decision_revoke
from tolerance.decisions.verification import decision_verify_code, decision_verify_file
from tolerance.selectors.cases import user_is_case_staff

logger = logging.getLogger(__name__)
_RATELIMIT_GROUP = "decisions.verify"
# Multipart framing around the PDF itself; anything bigger than the cap plus this is refused unread.
_UPLOAD_OVERHEAD = 64 * 1024


def _can_revoke(user, case) -> bool:
    return (
        user_is_case_staff(user, case)
        and roles.has_role(user, roles.OFFICER)
        and user.has_perm("decisions.change_decision")
    )


def case_panel_context(request, case):
    decisions = list(decisions_for_case(case))
    if not decisions:
        return None
    can_revoke = _can_revoke(request.user, case)
    if can_revoke:
        # A form per decision, its field ids its own: one shared id labels only the first reason box.
        for decision in decisions:
            decision.revoke_form = RevokeForm(auto_id=f"id_revoke_{decision.pk}_%s")
    return {"decisions": decisions, "can_revoke": can_revoke}


class DecisionDownloadView(View):
    def get(self, request, pk):
        decision = decision_get_visible(request.user, pk)
        english = request.GET.get("language") == "en"
        try:
            data = decision_file_read(decision=decision, read_by=request.user, english=english)
        except (OSError, DecisionFileCorrupted):
            logger.exception("Decision %s could not be served", decision.document_number)
            raise Http404(_("The decision file is unavailable; the administrator has been notified.")) from None
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{decision.download_name(english=english)}"'
        return response


class DecisionRevokeView(View):
    def post(self, request, pk):
        decision = decision_get_visible(request.user, pk)
        if not _can_revoke(request.user, decision.case):
            raise PermissionDenied
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                decision_revoke(decision=decision, reason=form.cleaned_data["reason"], revoked_by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The decision %(number)s was revoked.") % {"number": decision.document_number}
                )
        else:
            messages.error(request, _("Please give the reason for revoking the decision."))
        return redirect("cases:detail", pk=decision.case_id)


def _rate_limited(request) -> bool:
    return is_ratelimited(request, group=_RATELIMIT_GROUP, key="ip", rate=settings.DECISION_VERIFY_RATE, increment=True)


def _too_many(request):
    return render(request, "decisions_web/rate_limited.html", status=429)


def _actor(request):
    return request.user if request.user.is_authenticated else None


class VerifyView(View):
    """The public verification page: a code, or an uploaded PDF."""

    template_name = "decisions_web/verify.html"

    def get(self, request):
        return self._page(request, VerificationCodeForm(), VerificationUploadForm())

    def post(self, request):
        if _rate_limited(request):
            return _too_many(request)
        if "code" in request.POST:
            form = VerificationCodeForm(request.POST)
            if form.is_valid():
                return redirect("decisions_public:verify_code", code=form.cleaned_data["code"])
            return self._page(request, form, VerificationUploadForm(), status=400)
        limit = settings.DECISION_VERIFY_UPLOAD_MAX_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        # Digits only, and few enough that int() takes them (thousands of digits raise ValueError).
        if (
            not (declared.isascii() and declared.isdigit())
            or len(declared) > 15
            or int(declared) > limit + _UPLOAD_OVERHEAD
        ):
            too_big = _("The file is larger than %(limit)s; decision documents are much smaller.") % {
                "limit": filesizeformat(limit)
            }
            return self._page(
                request, VerificationCodeForm(), VerificationUploadForm(), status=413, upload_error=too_big
            )
        form = VerificationUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, VerificationCodeForm(), form, status=400)
        result = decision_verify_file(data=form.cleaned_data["file"], actor=_actor(request))
        return render(request, "decisions_web/result.html", {"result": result})

    def _page(self, request, code_form, upload_form, status=200, upload_error=""):
        context = {
            "code_form": code_form,
            "upload_form": upload_form,
            "upload_error": upload_error,
            "limit": settings.DECISION_VERIFY_UPLOAD_MAX_BYTES,
        }
        return render(request, self.template_name, context, status=status)


class VerifyCodeView(View):
    """Where the QR code points. Rate-limited like uploads, since each lookup probes the code space."""

    def get(self, request, code):
        if _rate_limited(request):
            return _too_many(request)
        result = decision_verify_code(code=code, actor=_actor(request))
        return render(request, "decisions_web/result.html", {"result": result}, status=200 if result.decision else 404)


class RootCertificateView(View):
    def get(self, request):
        try:
            data = Path(settings.TRUST_ROOTS_PATH).read_bytes()
        except OSError:
            raise Http404 from None
        response = HttpResponse(data, content_type="application/x-pem-file")
        response["Content-Disposition"] = 'attachment; filename="tolerance-root-ca.pem"'
        return response
