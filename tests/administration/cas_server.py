"""A real CAS server inside the tests: django-mama-cas, mounted under /cas/ beside the site's URLs and
served by pytest-django's live server. Campus accounts are users of the same database whose first name
holds the staff number and last name the name, released as the attributes a campus server would send."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, include, path
from mama_cas import urls as mama_cas_urls

from composition.urls import urlpatterns as site_urlpatterns


def staff_attributes(user, service):
    return {"employeeNumber": user.first_name, "displayName": user.last_name}


def _public(pattern: URLPattern) -> URLPattern:
    # The site requires a login everywhere; the CAS server's own pages are where one logs in.
    return URLPattern(pattern.pattern, login_not_required(pattern.callback), pattern.default_args, pattern.name)


urlpatterns = [path("cas/", include([_public(p) for p in mama_cas_urls.urlpatterns])), *site_urlpatterns]
