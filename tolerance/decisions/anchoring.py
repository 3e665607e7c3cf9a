"""A decision's status (in force, superseded, revoked) as the audit chain tells it.

Issuing records `decision.issued` (naming the decision it supersedes, if any) and revoking records
`decision.revoked`, each in the transaction that changes the status; replaying them gives every
decision's current status. `verify_audit` compares that with the stored rows, and the public
verification page refuses to vouch for a decision whose stored status disagrees with its chain.
"""

import logging

from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.models import AuditEvent
from tolerance.decisions.models import Decision, DecisionStatus

logger = logging.getLogger(__name__)
_ACTIONS = (AuditAction.DECISION_ISSUED, AuditAction.DECISION_REVOKED)


def _replay(events) -> dict[str, str]:
    """Document number → status, from (action, payload) in chain order."""
    states: dict[str, str] = {}
    for action, payload in events:
        number = (payload or {}).get("document_number", "")
        if action == AuditAction.DECISION_ISSUED:
            states[number] = DecisionStatus.IN_FORCE
            if superseded := payload.get("supersedes"):
                states[superseded] = DecisionStatus.SUPERSEDED
        elif action == AuditAction.DECISION_REVOKED:
            states[number] = DecisionStatus.REVOKED
    return states


def _events(case_id=None):
    events = AuditEvent.objects.filter(action__in=_ACTIONS).order_by("sequence")
    if case_id is not None:
        # A decision is only ever superseded by one of the same case (decision_issue), so its case's
        # events are all that can change its status.
        events = events.filter(case_id=case_id)
    return events.values_list("action", "payload").iterator(chunk_size=5_000)


def decision_status_audited(decision: Decision) -> str | None:
    """The status the chain gives this decision; None if the chain never recorded its issue."""
    return _replay(_events(decision.case_id)).get(decision.document_number)


def _label(status: str | None) -> str:
    if status is None:
        return _("no record")
    return str(DecisionStatus(status).label) if status in DecisionStatus.values else status


def decision_status_problem(decision: Decision) -> str:
    """Empty if the stored status is the chain's; else the reason the decision's status cannot be vouched for."""
    audited = decision_status_audited(decision)
    if audited == decision.status:
        return ""
    logger.error(
        "Decision %s: stored status %s disagrees with the audit trail (%s)",
        decision.document_number,
        decision.status,
        audited,
    )
    return _(
        "The decision's stored status (%(stored)s) disagrees with the audit trail (%(audited)s): its status "
        "cannot be verified. Please contact the issuing institution."
    ) % {"stored": _label(decision.status), "audited": _label(audited)}


def decision_states_compare() -> list[str]:
    """For verify_audit: one line per decision whose stored status is not what the chain gives."""
    audited = _replay(_events())
    stored = dict(Decision.objects.values_list("document_number", "status"))
    return [
        _("Decision %(number)s: stored status %(stored)s, audit trail %(audited)s.")
        % {"number": number, "stored": _label(stored.get(number)), "audited": _label(audited.get(number))}
        for number in sorted(set(audited) | set(stored))
        if audited.get(number) != stored.get(number)
    ]
