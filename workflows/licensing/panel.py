"""The licence on the case page: terms, review and conflicts (staff), the schedule with what was
received, reports, notices, how it ended, and the licence actions the viewer may take now."""

from workflows.licensing.conflict_service import conflict_message
from workflows.licensing.pages import licence_actions_available
from workflows.licensing.payments import reconciliation


def licensing_panel_context(request, case, is_staff):
    details = getattr(case, "licensing", None)
    if details is None:
        return None
    review = case.licensing_reviews.order_by("-id").first()
    return {
        "details": details,
        "results": details.results.order_by("number"),
        "review": review if is_staff else None,
        "conflicts": [(r["level"], conflict_message(r, request.user)) for r in review.conflicts]
        if review and is_staff
        else [],
        "account": reconciliation(case),
        "reports": case.usage_reports.order_by("period_start"),
        "notices": case.ladder_notices.order_by("issued_on", "id"),
        "closure": getattr(case, "licence_closure", None),
        "licence_actions": licence_actions_available(request.user, case),
    }
