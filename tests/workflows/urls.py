"""The project URLconf plus the exemption participation pages, until tolerance/urls.py mounts them."""

from django.urls import include, path

from tolerance.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns]
if not any(getattr(p, "namespace", None) == "exemption_actions" for p in project_urlpatterns):
    urlpatterns.append(path("exemption-actions/", include("workflows.urls")))
