"""The rectification section of the case page: the declaration, the subject's statement on the gap list,
the plan with its signed commitment, and each item with its state.

Staff of the institution and the subject see every item; a department contact sees only the items their
department verifies and the opinion it was asked for (tolerance.selectors.cases lets them see the case)."""

from django.db.models import Q
from django.utils import timezone

from tolerance.selectors.cases import is_case_subject
from tolerance.selectors.departments import departments_of
from workflows.access import is_case_officer
from workflows.rectification import intake
from workflows.rectification import items as item_services
from workflows.rectification.commitment import commitment_pending
from workflows.rectification.models import ExtensionDecision, ItemStatus, RectificationStage
from workflows.rectification.statement import statement_current


def _row(item, user, *, is_subject, is_staff, today):
    extensions = list(item.extensions.all())
    return {
        "item": item,
        "overdue": item.overdue_since is not None
        or (item.due_on is not None and not item.is_terminal and item.due_on < today),
        "evidence": list(item.evidence.all()),
        "verifiers": list(item.verifiers.all()),
        "extensions": extensions,
        "pending_extension": next((e for e in extensions if e.decision == ExtensionDecision.PENDING), None),
        "may_submit": is_subject and item.status in (ItemStatus.OPEN, ItemStatus.RETURNED),
        "may_request_extension": is_subject and not item.is_terminal and not extensions,
        "may_review": item.status == ItemStatus.SUBMITTED and item_services.item_may_verify(user, item),
        "may_decide_extension": is_staff,
    }


def _referrals(case, user, sees_all):
    rows = list(case.referrals.select_related("letter", "received_by__profile").order_by("pk"))
    mine = departments_of(user, case.institution)
    if not sees_all:
        rows = [row for row in rows if row.to_department in mine]
    return [{"referral": row, "may_ack": row.received_at is None and row.to_department in mine} for row in rows]


def rectification_panel_context(request, case, is_staff):
    details = getattr(case, "rectification", None)
    if details is None:
        return None
    user = request.user
    is_subject = is_case_subject(user, case)
    rectifying = case.stage == RectificationStage.RECTIFYING
    items = case.rectification_items.select_related("gap").prefetch_related(
        "extensions", "evidence__attachment", "verifiers"
    )
    requests = case.department_requests.all()
    if not (is_staff or is_subject):
        mine = departments_of(user, case.institution)
        items = items.filter(Q(verifier__in=mine) | Q(verifiers__department__in=mine)).distinct()
        requests = requests.filter(department__in=mine)
    today = timezone.localdate()
    return {
        "details": details,
        "show_declaration": is_staff or is_subject,
        "requests": requests,
        "rows": [
            _row(item, user, is_subject=is_subject and rectifying, is_staff=is_staff and rectifying, today=today)
            for item in items
        ],
        "negative_hits": details.negative_hits.all() if is_staff else None,
        "my_departments": departments_of(user, case.institution) if not is_staff else set(),
        "may_supply": is_subject and case.stage == RectificationStage.SUPPLEMENT,
        "referrals": _referrals(case, user, is_staff or is_subject),
        "suspension": case.stage == RectificationStage.SUSPENDED,
        "supplement": intake.supplement_pending(case) if (is_staff or is_subject) else None,
        "statement": statement_current(case) if (is_staff or is_subject) else None,
        "may_state": is_subject and case.stage == RectificationStage.STATEMENT,
        "commitments": case.plan_commitments.select_related("letter", "signed_by__profile")
        if (is_staff or is_subject)
        else (),
        "may_sign": commitment_pending(case, user) is not None,
        "officer_actions": is_case_officer(user, case)
        and (case.stage in intake.SUSPENDABLE or case.stage == RectificationStage.SUSPENDED),
    }
