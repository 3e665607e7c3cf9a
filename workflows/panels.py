"""The exemption section of the case page: details, findings, evaluation, committee, publicity, and
what the viewer can do now. Parties see outcomes, never deliberation (individual votes, findings drafts)."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from tolerance.models import CaseType
from tolerance.selectors.cases import user_is_case_staff
from workflows import access, selectors
from workflows.models import ExemptionOutcome
from workflows.services.committee import review_current
from workflows.services.publicity import publicity_current


def _task_links(user, case):
    links = []
    for task in selectors.open_tasks(case):
        node = task.flow_task
        if not hasattr(node, "can_execute"):
            continue
        try:
            if task.status == STATUS.ASSIGNED and node.can_execute(user, task):
                links.append((node.task_title, node.reverse("execute", args=[case.process_id, task.pk])))
            elif task.status == STATUS.NEW and hasattr(node, "can_assign") and node.can_assign(user, task):
                links.append((node.task_title, node.reverse("assign", args=[case.process_id, task.pk])))
        except NoReverseMatch:
            continue
    return links


def _action_url(name, case):
    return reverse(f"exemption_actions:{name}", args=[case.pk])


def exemption_panel_context(request, case):
    if case.case_type != CaseType.EXEMPTION or not hasattr(case, "exemption"):
        return None
    user = request.user
    is_staff = user_is_case_staff(user, case)
    is_subject = access.is_case_subject(user, case)
    review = review_current(case)
    reviews = list(case.committee_reviews.order_by("round"))
    publicity = publicity_current(case)
    today = timezone.localdate()
    details = case.exemption
    position = selectors.member_position(review, user) if review and not review.is_resolved else None
    is_member = access.is_committee_member(user, case)
    can_declare = position is not None and is_member and not position["declared"]
    can_vote = (
        position is not None
        and is_member
        and position["declared"]
        and not position["recused"]
        and not position["voted"]
    )
    open_publicity = publicity is not None and publicity.closed_at is None
    can_object = open_publicity and today <= publicity.objections_until and access.may_object(user, case)
    can_register_paper = open_publicity and access.is_case_officer(user, case)
    can_appeal = (
        is_subject
        and not hasattr(case, "appeal")
        and details.appeal_deadline is not None
        and today <= details.appeal_deadline
        and selectors.appeal_waiting_task(case) is not None
    )
    return {
        "details": details,
        "entries": details.cited_entries.order_by("order"),
        "is_staff": is_staff,
        "findings": case.findings.select_related("item").prefetch_related("evidence") if is_staff else None,
        "evaluation": case.evaluations.order_by("-id").first() if is_staff else None,
        "reviews": [
            {
                "review": r,
                "outcome_label": ExemptionOutcome(r.outcome).label if r.outcome else "",
                # Members see each other's votes only once the round is resolved; parties never.
                "votes": [
                    (vote.member, ExemptionOutcome(vote.outcome).label, vote.reason)
                    for vote in r.votes.select_related("member__profile")
                ]
                if is_staff and r.is_resolved
                else None,
            }
            for r in reviews
            # A round closed without a resolution is committee deliberation: staff only.
            if is_staff or r.outcome or not r.is_resolved
        ],
        "publicity": publicity,
        "objections": publicity.objections.all() if (publicity and is_staff) else None,
        "appeal": getattr(case, "appeal", None),
        "tasks": _task_links(user, case) if is_staff else [],
        "actions": [
            (label, _action_url(name, case))
            for allowed, name, label in [
                (can_declare, "conflict_declare", _("Declare conflicts of interest")),
                (can_vote, "vote", _("Vote")),
                (can_object, "objection_lodge", _("Lodge an objection")),
                (can_register_paper, "objection_paper", _("Register a paper objection")),
                (can_appeal, "appeal", _("Appeal the decision (until %(date)s)") % {"date": details.appeal_deadline}),
            ]
            if allowed
        ],
    }
