"""Pages mounted beside the Viewflow site still carry its menu."""

from django.urls import resolve, reverse


class InCasesMenuMixin:
    """Viewflow's middleware attaches the site and application only to the site's own URLs. For a page
    mounted beside it, take them from the Cases application's index, where the middleware would find them."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        match = request.resolver_match
        if match is not None and getattr(match, "site", None) is None:
            extra = getattr(resolve(reverse("cases:index")).url_name, "extra", {})
            match.site, match.app = extra.get("site"), extra.get("app")
            match.viewset = extra.get("viewset", match.app)
