"""The exemption details on the case page: the conversion, the entries relied on, and for staff the
findings and the rule evaluation (drafts of the determination, never shown to the parties)."""


def exemption_panel_context(request, case, is_staff):
    details = getattr(case, "exemption", None)
    if details is None:
        return None
    return {
        "details": details,
        "entries": details.cited_entries.order_by("order"),
        "findings": case.findings.select_related("item").prefetch_related("evidence") if is_staff else None,
        "evaluation": case.evaluations.order_by("-id").first() if is_staff else None,
    }
