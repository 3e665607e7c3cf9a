"""Reads of the shared steps that depend on who is asking."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from tolerance import roles
from tolerance.models import Case
from tolerance.selectors.cases import cases_visible_to
from workflows.selectors import open_tasks
from workflows.steps.models import CommitteeReview, ConflictDeclaration, Vote
from workflows.steps.publicity import publicities_open_to

# The node every flow waits in during its appeal window (see workflows.steps.flow_hooks).
APPEAL_WAITING_NODE = "await_appeal"


def cases_in_publicity_for(user):
    """Cases whose publicity notice the user may read and object to now, by the notice's scope
    (workflows.steps.publicity.publicities_open_to)."""
    return Case.objects.filter(pk__in=publicities_open_to(user).values("case_id")).order_by("-id")


def appeal_waiting_task(case: Case):
    return open_tasks(case, APPEAL_WAITING_NODE).filter(status=STATUS.NEW).first()


def member_position(review: CommitteeReview | None, user) -> dict:
    """Where a committee member stands in the open round: declared? recused? voted?"""
    if review is None:
        return {"declared": False, "recused": False, "voted": False}
    declaration = review.declarations.filter(member=user).first()
    return {
        "declared": declaration is not None,
        "recused": bool(declaration and declaration.conflicted),
        "voted": review.votes.filter(member=user).exists(),
    }


def committee_work_pending(user, limit: int = 50) -> list[dict]:
    """The open rounds where this committee member still has to declare or vote, like tasks: each with
    the case, what to do and the page to do it on. A recused member has nothing left to do."""
    if not roles.has_role(user, roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR):
        return []
    reviews = (
        CommitteeReview.objects.filter(case__in=cases_visible_to(user), resolved_at__isnull=True)
        .annotate(
            declared=Exists(ConflictDeclaration.objects.filter(review=OuterRef("pk"), member=user)),
            recused=Exists(ConflictDeclaration.objects.filter(review=OuterRef("pk"), member=user, conflicted=True)),
            voted=Exists(Vote.objects.filter(review=OuterRef("pk"), member=user)),
        )
        .filter(recused=False, voted=False)
        .select_related("case")
        .order_by("opened_at")[:limit]
    )
    return [
        {
            "case": review.case,
            "review": review,
            "action": _("Vote") if review.declared else _("Declare conflicts of interest"),
            "url": reverse(
                "case_actions:vote" if review.declared else "case_actions:conflict_declare", args=[review.case_id]
            ),
        }
        for review in reviews
    ]
