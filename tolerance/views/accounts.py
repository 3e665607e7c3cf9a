"""The accounts pages' protection: what a locked-out login sees (django-axes calls `lockout_response`
instead of authenticating: the login page again, with the reason in the user's language), and a
password-reset form that sends mail only so often per client address."""

from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from viewflow.contrib.auth import AuthenticationForm, AuthViewset

from tolerance.views.sign_on import CampusAwareLogoutView


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins: this account or this address is locked for %(minutes)s minutes. "
        "Try again later, or ask an administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout_message": lockout_message()},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Each request mails a link: past the rate the form is shown again with the reason, nothing is sent."""

    def post(self, request, *args, **kwargs):
        if is_ratelimited(
            request, group="accounts.password_reset", key="ip", rate=settings.PASSWORD_RESET_RATE, increment=True
        ):
            context = self.get_context_data(form=self.get_form(), password_reset_limited=True)
            return self.render_to_response(context, status=HTTPStatus.TOO_MANY_REQUESTS)
        return super().post(request, *args, **kwargs)


class ProtectedAuthViewset(AuthViewset):
    """Viewflow's login, logout and password pages, with the password reset throttled."""

    pass_reset_view_class = ThrottledPasswordResetView
    logout_view_class = CampusAwareLogoutView
