"""Reading decisions. Visibility follows the case: whoever may see a case sees its decisions."""

from django.db.models import Q
from django.http import Http404

from tolerance.decisions.models import Decision
from tolerance.selectors.cases import cases_visible_to


def decisions_for_case(case):
    """The case's decisions, newest first. The caller has already checked that its user may see `case`."""
    return Decision.objects.filter(case=case).select_related("supersedes").order_by("-issued_at", "-id")


def decisions_visible_to(user):
    """Decisions of the cases `user` may see, for every list of decisions (the admin's included)."""
    return Decision.objects.filter(case__in=cases_visible_to(user))


def decision_get_visible(user, pk) -> Decision:
    try:
        return decisions_visible_to(user).select_related("case", "institution").get(pk=pk)
    except (Decision.DoesNotExist, ValueError):
        raise Http404 from None


def decision_find(*, verification_code: str = "", sha256: str = "") -> Decision | None:
    """The issued record a public verification refers to, by code or by the hash of either rendering."""
    if verification_code:
        match = Q(verification_code=verification_code)
    elif sha256:
        match = Q(sha256=sha256) | Q(english_sha256=sha256)
    else:
        return None
    return Decision.objects.select_related("case", "institution").filter(match).first()
