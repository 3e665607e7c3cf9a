"""Reading decisions. Visibility follows the case: whoever may see a case sees its decisions."""

from django.http import Http404

from tolerance.decisions.models import Decision
from tolerance.selectors.cases import cases_visible_to


def decisions_for_case(user, case):
    """The case's decisions, newest first; the caller has already checked that `user` may see `case`."""
    return Decision.objects.filter(case=case).select_related("supersedes").order_by("-issued_at", "-id")


def decision_get_visible(user, pk) -> Decision:
    try:
        return Decision.objects.select_related("case", "institution").get(pk=pk, case__in=cases_visible_to(user))
    except (Decision.DoesNotExist, ValueError):
        raise Http404 from None


def decision_find(*, verification_code: str = "", sha256: str = "") -> Decision | None:
    """The issued record a public verification refers to, by code or by the file's hash."""
    lookup = {"verification_code": verification_code} if verification_code else {"sha256": sha256}
    if not any(lookup.values()):
        return None
    return Decision.objects.select_related("case", "institution").filter(**lookup).first()
