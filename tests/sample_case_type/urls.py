"""The site's URLs plus the sample flow's pages, for the tests that drive the sample type.

Selected with `pytest.mark.urls` (tests/workflows/steps), so every other test sees exactly the real site.
The sample flow gets a site of its own under its own namespace rather than a place in the real site's
menu: the real site object is not touched, and no URL name of the real site is shadowed."""

from django.urls import path

from composition.site import ToleranceSite
from composition.urls import urlpatterns as site_urlpatterns
from tests.sample_case_type.flows import SampleFlow
from workflows.viewsets import flow_applications

sample_site = ToleranceSite(viewsets=flow_applications([SampleFlow]), app_name="sample_site")

urlpatterns = [path("sample-site/", sample_site.urls), *site_urlpatterns]
