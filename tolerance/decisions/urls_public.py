"""Verification pages anyone holding a decision may use, without an account."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from tolerance.decisions.views import RootCertificateView, VerifyCodeView, VerifyView

app_name = "decisions_public"

urlpatterns = [
    path("", login_not_required(VerifyView.as_view()), name="verify"),
    path("root-ca.pem", login_not_required(RootCertificateView.as_view()), name="root_certificate"),
    path("<str:code>/", login_not_required(VerifyCodeView.as_view()), name="verify_code"),
]
