"""Reads of the shared steps that depend on who is asking."""

from django.utils import timezone
from viewflow.workflow.status import STATUS

from tolerance.models import Case
from tolerance.selectors.cases import user_institution_id
from workflows.selectors import open_tasks
from workflows.steps.models import CommitteeReview

# The node every flow waits in during its appeal window (see workflows.steps.flow_hooks).
APPEAL_WAITING_NODE = "await_appeal"


def cases_in_publicity_for(user):
    """Cases of the user's institution whose publicity is open for objections.

    Deliberately wider than cases_visible_to: a publicity notice is addressed to the whole institution,
    which is the point of 公示. Only the notice is shown through it, never the case file.
    """
    institution_id = user_institution_id(user)
    if not user.is_authenticated or institution_id is None:
        return Case.objects.none()
    today = timezone.localdate()
    return (
        Case.objects.filter(
            institution_id=institution_id,
            publicities__closed_at__isnull=True,
            publicities__starts_on__lte=today,
            publicities__objections_until__gte=today,
        )
        .distinct()
        .order_by("-id")
    )


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
