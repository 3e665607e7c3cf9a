"""Reading the audit trail."""

from tolerance.audit.models import AuditEvent


def case_chain_head(case) -> tuple[int, str] | None:
    """(case sequence, event hash) of the newest event in the case's own chain, or None if it has none."""
    head = AuditEvent.objects.filter(case_id=case.pk).order_by("-case_sequence").values_list(
        "case_sequence", "event_hash"
    ).first()
    return tuple(head) if head else None


def case_trail(case):
    """The case's events in chain order, for the timeline and for exports."""
    return AuditEvent.objects.filter(case_id=case.pk).order_by("case_sequence")
