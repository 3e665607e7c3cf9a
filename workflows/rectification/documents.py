"""What a rectification case writes into its sealed documents: the 整改通知书 (the approved plan, item by
item) and the 整改认定书 (every item with its deadline, extension and acceptance). Both are stored and
shown to everyone, so they are written in the site's language."""

from django.utils.translation import gettext as _

from tolerance.decisions.content import DecisionContent, Ground
from tolerance.models import Case, Department
from workflows.rectification.models import ExtensionDecision, FinalRoundOutcome, RectificationOutcome
from workflows.steps.committee import resolution_sentence, review_current
from workflows.steps.issuing import previous_decision


def _department(code: str) -> str:
    try:
        return str(Department(code).label)
    except ValueError:
        return code


def _items(case: Case):
    return case.rectification_items.select_related("gap").prefetch_related(
        "extensions", "evidence__attachment", "verifiers"
    )


def facts_text(case: Case) -> str:
    details = case.rectification
    text = _(
        "%(origin)s on %(declared)s: %(activity)s at %(company)s (unified social credit code %(uscc)s) as %(role)s, "
        "holding %(equity)s%% of the equity, since %(started)s. %(account)s"
    ) % {
        "origin": details.get_origin_display(),
        "declared": details.declared_on,
        "activity": details.get_activity_kind_display(),
        "company": details.company_name,
        "uscc": details.company_uscc,
        "role": details.role,
        "equity": details.equity_percent,
        "started": details.started_on,
        "account": details.account,
    }
    if details.facts_verified:
        text += "\n\n" + _("Verified: %(facts)s") % {"facts": details.facts_verified}
    if details.discrepancies:
        text += "\n\n" + _("Discrepancies: %(text)s") % {"text": details.discrepancies}
    return text


def referral_text(case: Case) -> str:
    bodies = "、".join(
        _department(code) for code in case.rectification.catalogue.setting("failed_referral_departments")
    )
    return _("The failed items are referred to %(bodies)s, which handle them under the rules.") % {"bodies": bodies}


def _plan_ground(item) -> Ground:
    return Ground(
        condition=f"{item.gap.code} {item.gap.title}",
        finding=_("Remedy: %(remedy)s\nEvidence required: %(evidence)s\nDue by %(due)s; verified by %(verifier)s.")
        % {
            "remedy": item.remedy,
            "evidence": item.evidence_required,
            "due": item.due_on or "—",
            "verifier": item.departments_text(),
        },
    )


def _negative_grounds(case: Case) -> list[Ground]:
    return [
        Ground(condition=f"{item.code} {item.title}", finding=item.basis, verdict="applies")
        for item in case.rectification.negative_hits.order_by("order")
    ]


def notice_content(case: Case) -> DecisionContent:
    review = review_current(case)
    catalogue = case.rectification.catalogue
    reasoning = _(
        "Each item must be completed and its evidence uploaded through the system by its deadline. One extension "
        "per item may be requested with reasons before the deadline, of at most %(percent)s%% of the original "
        "period. An item returned more than %(returns)s times, or still incomplete %(grace)s working days after "
        "its deadline, is not accepted, and the rectification then fails: %(referral)s"
    ) % {
        "percent": catalogue.setting("extension_max_percent_of_original"),
        "returns": catalogue.setting("max_returns_per_item"),
        "grace": catalogue.setting("overdue_grace_working_days"),
        "referral": referral_text(case),
    }
    return DecisionContent(
        facts=facts_text(case),
        grounds=[_plan_ground(item) for item in _items(case)],
        reasoning=reasoning,
        committee_resolution=resolution_sentence(review, RectificationOutcome(review.outcome).label),
        tolerance_list_version=str(catalogue),
    )


def _final_ground(item) -> Ground:
    extensions = [e for e in item.extensions.all() if e.decision != ExtensionDecision.PENDING]
    extension_text = "；".join(
        _("extension granted to %(date)s") % {"date": e.new_due_on}
        if e.decision == ExtensionDecision.GRANTED
        else _("extension refused: %(reason)s") % {"reason": e.decision_reason}
        for e in extensions
    ) or _("no extension")
    finding = _("Remedy: %(remedy)s\nDue by %(due)s; %(extension)s.\nAcceptance: %(status)s. %(note)s") % {
        "remedy": item.remedy,
        "due": item.due_on or "—",
        "extension": extension_text,
        "status": item.get_status_display(),
        "note": item.note,
    }
    return Ground(
        condition=f"{item.gap.code} {item.gap.title}",
        finding=finding.strip(),
        evidence=[entry.note or entry.attachment.original_name for entry in item.evidence.all()],
        verdict="met" if item.status == "passed" else "not_met",
    )


def rectification_decision_content(*, case: Case, facts: str, reasoning: str) -> DecisionContent:
    review = review_current(case)
    return DecisionContent(
        facts=facts,
        grounds=_negative_grounds(case) + [_final_ground(item) for item in _items(case)],
        reasoning=reasoning,
        committee_resolution=resolution_sentence(review, RectificationOutcome(review.outcome).label) if review else "",
        tolerance_list_version=str(case.rectification.catalogue),
        supersedes=previous_decision(case),
    )


def rectification_decision_notice(*, case: Case, outcome: str) -> str:
    if outcome == FinalRoundOutcome.PASSED:
        return _(
            "The past conduct listed is regularised and not pursued; the human resources office is told that no "
            "negative assessment follows from it."
        )
    return referral_text(case)


def rectification_publicity_notice(*, case: Case) -> str:
    """A rectification case is not publicised (domain-rectification.md §6); the step never asks for it."""
    return ""


def proposed_reasoning(case: Case, outcome: str) -> str:
    items = list(case.rectification_items.all())
    passed = sum(1 for item in items if item.status == "passed")
    text = _("%(passed)s of %(total)s items were accepted.") % {"passed": passed, "total": len(items)}
    if case.rectification.negative_hits.exists():
        text = _("The case is on the negative list and is not rectifiable.") + " " + text
    if outcome == FinalRoundOutcome.FAILED:
        text += "\n\n" + referral_text(case)
    return text
