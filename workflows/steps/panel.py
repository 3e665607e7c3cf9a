"""The workflow section of the case page, for a case of any type: committee rounds, publicity, the appeals
and what the viewer can do now, around the case type's own details. Parties see outcomes, never
deliberation (individual votes, failed rounds), and objections without their authors."""

from django.urls import NoReverseMatch
from viewflow.workflow.status import STATUS

from tolerance.case_types import case_type_spec
from tolerance.selectors.cases import user_is_case_staff
from workflows.selectors import open_tasks
from workflows.steps.actions import actions_available
from workflows.steps.appeal import appeal_rows, own_determination
from workflows.steps.publicity import publicity_current


def _task_links(user, case):
    links = []
    for task in open_tasks(case):
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


def _appeals_seen(user, case, is_staff) -> list:
    """Staff see every appeal; a person judged on their own sees the appeal against their own determination
    (a case judged once has one appeal, which its parties all see)."""
    rows = appeal_rows(case)
    if is_staff:
        return rows
    own = own_determination(case, user)
    return [(appeal, label) for appeal, label in rows if appeal.subject_key in ("", own)]


def steps_panel_context(request, case):
    spec = case_type_spec(case.case_type)
    if spec is None or case.process_id is None:
        return None
    user = request.user
    is_staff = user_is_case_staff(user, case)
    type_context = spec.panel_context(request, case, is_staff) if spec.panel_context else {}
    if type_context is None:
        return None
    publicity = publicity_current(case)
    return {
        **type_context,
        "case_type_label": spec.label,
        "type_template": spec.panel_template,
        "is_staff": is_staff,
        "reviews": [
            {
                "review": r,
                "outcome_label": spec.outcome_label(r.outcome) if r.outcome else "",
                # Per person, when the round decided several (on appeal, those not appealed stand).
                "determinations": [
                    (row["label"], spec.outcome_label(row["outcome"]), row.get("standing", False))
                    for row in r.determinations
                ],
                # Members see each other's votes only once the round is resolved; parties never.
                "votes": [
                    (vote.member, spec.outcome_label(vote.outcome), vote.reason)
                    for vote in r.votes.select_related("member__profile")
                ]
                if is_staff and r.is_resolved
                else None,
            }
            for r in case.committee_reviews.order_by("round")
            # A round closed without a resolution is committee deliberation: staff only.
            if is_staff or r.outcome or not r.is_resolved
        ],
        "publicity": publicity,
        # Parties see the objections to their case and how they were ruled, never who lodged them.
        "objections": publicity.objections.all() if publicity else None,
        "show_objectors": is_staff,
        "appeals": _appeals_seen(user, case, is_staff),
        "tasks": _task_links(user, case) if is_staff else [],
        "actions": actions_available(user, case),
    }
