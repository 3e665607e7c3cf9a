from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from composition.site import site
from tolerance.views.accounts import ProtectedAuthViewset
from tolerance.views.sign_on import CampusLoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", ProtectedAuthViewset(with_profile_view=False).urls),
    path("accounts/campus/<str:code>/", login_not_required(CampusLoginView.as_view()), name="campus_login"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    # Public decision verification; every view in it is wrapped with login_not_required there.
    path("verify/", include("tolerance.decisions.urls_public")),
    path("decisions/", include("tolerance.decisions.urls")),
    path("audit/", include("tolerance.audit.urls")),
    path("case-actions/", include("workflows.steps.urls")),
    path("institution/", include("tolerance.administration.urls")),
    path("rectification/", include("workflows.rectification.urls")),
    path("licences/", include("workflows.licensing.urls")),
    path("statistics/", include("tolerance.statistics.urls")),
    path("notifications/", include("tolerance.notifications.urls")),
    path("exemption-register/", include("workflows.exemption.urls")),
    path("", site.urls),
]
