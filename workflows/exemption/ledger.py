"""容错认定台账 (X4's register columns): one row per person of every decision in force, read from what the
sealed decision states, with the acknowledgements of its application (F04) and its referral (F05)."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tolerance.decisions.models import Decision
from tolerance.models import SubjectAudience
from tolerance.selectors.cases import cases_visible_to
from workflows.exemption.case_type import DECISION_KIND
from workflows.exemption.determinations import subject_name
from workflows.exemption.models import CASE_OUTCOME_CHOICES
from workflows.exemption.result_models import Referral, ResultApplication

LEDGER_COLUMNS = {
    "case": gettext_lazy("Case number"),
    "name": gettext_lazy("Person"),
    "audience": gettext_lazy("Leader, manager or researcher"),
    "entries": gettext_lazy("Tolerance list entries relied on"),
    "outcome": gettext_lazy("Outcome"),
    "scope": gettext_lazy("Liability scope"),
    "date": gettext_lazy("Decided on"),
    "document": gettext_lazy("Decision number"),
    "acknowledged": gettext_lazy("Acknowledged by departments"),
    "referral": gettext_lazy("Referral"),
}


def _referral_state(referral) -> str:
    if referral is None:
        return ""
    if referral.received_at:
        return _("referred, receipt acknowledged")
    return _("referred, acknowledgement overdue") if referral.escalated_at else _("referred, awaiting acknowledgement")


def ledger_rows(user) -> list[dict]:
    """Four queries whatever the number of decisions: decisions, their subjects, applications, referrals."""
    decisions = list(
        Decision.objects.filter(case__in=cases_visible_to(user), kind=DECISION_KIND, superseded_by__isnull=True)
        .select_related("case")
        .prefetch_related("case__subject_links__user__profile")
        .order_by("-issue_date", "-id")
    )
    ids = [decision.pk for decision in decisions]
    acks = defaultdict(lambda: [0, 0])
    for application in ResultApplication.objects.filter(decision_id__in=ids).only(
        "decision_id", "subject_id", "acknowledged_at"
    ):
        counts = acks[application.decision_id, application.subject_id]
        counts[0] += application.acknowledged_at is not None
        counts[1] += 1
    referrals = {(r.decision_id, r.subject_id): r for r in Referral.objects.filter(decision_id__in=ids)}
    outcome_labels = dict(CASE_OUTCOME_CHOICES)
    rows = []
    for decision in decisions:
        stated = {row.get("subject"): row for row in decision.content.get("subject_rows", [])}
        by_name = {row["name"]: row for row in stated.values()}
        for link in decision.case.subject_links.all():
            name = subject_name(link)
            row = stated.get(link.pk) or by_name.get(name) or {}
            done, total = acks.get((decision.pk, link.pk), (0, 0))
            rows.append(
                {
                    "case": decision.case.number,
                    "name": name,
                    "audience": row.get("audience") or (SubjectAudience(link.audience).label if link.audience else ""),
                    "entries": "；".join(decision.content.get("tolerance_entries", [])),
                    "outcome": row.get("outcome_label") or outcome_labels.get(decision.outcome, decision.outcome),
                    "scope": row.get("scope", ""),
                    "date": decision.issue_date.isoformat(),
                    "document": decision.document_number,
                    "acknowledged": f"{done}/{total}" if total else "",
                    "referral": _referral_state(referrals.get((decision.pk, link.pk))),
                }
            )
    return rows
