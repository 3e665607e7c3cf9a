"""The shared steps' actions outside the task lists, each answering "may this user do this now?" once.

The action's page refuses a user its check refuses, and the case page offers exactly the actions whose
check passes, so the two can never disagree (after Wagtail's action classes with check()/execute()).
The pages call the services to execute; the services check again under their locks.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import access
from workflows.steps import selectors
from workflows.steps.appeal import appeal_deadline, appeal_problem, own_determination
from workflows.steps.committee import is_suspended, review_current, sits_on_review, suspended_problem
from workflows.steps.publicity import may_read_notice, publicity_current


@dataclass(frozen=True)
class CaseAction(ABC):
    """`who` says whether the user may ever take the action on this case (else the page is 403);
    `not_now` says why not at this moment ("" when it can be taken), so the page can explain instead."""

    name: str
    label: str

    @abstractmethod
    def who(self, user, case) -> bool: ...

    @abstractmethod
    def not_now(self, user, case) -> str: ...

    def check(self, user, case) -> bool:
        return self.who(user, case) and not self.not_now(user, case)

    def menu_label(self, case) -> str:
        return str(self.label)

    def url(self, case) -> str:
        return reverse(f"case_actions:{self.name}", args=[case.pk])


class CommitteeRoundAction(CaseAction):
    """Taking part in the case's open committee round, as a member (or the chair) of its committee."""

    def who(self, user, case):
        return access.is_committee_member(user, case)

    def not_now(self, user, case):
        if is_suspended(case):
            return suspended_problem()
        review = review_current(case)
        if review is None or review.is_resolved:
            return _("No committee review of this case is open.")
        if not sits_on_review(review, user):
            return _("You joined the committee after this review opened; you take part from the next one.")
        return self.position_problem(selectors.member_position(review, user))

    @abstractmethod
    def position_problem(self, position: dict) -> str:
        """Why the member cannot take this action given where they stand in the round ("" if they can)."""


def _open_publicity(case):
    publicity = publicity_current(case)
    return publicity if publicity is not None and publicity.closed_at is None else None


class DeclareConflict(CommitteeRoundAction):
    def position_problem(self, position):
        return _("You have already declared for this review.") if position["declared"] else ""


class CastVote(CommitteeRoundAction):
    def position_problem(self, position):
        if not position["declared"]:
            return _("Declare any conflict of interest before voting.")
        if position["recused"]:
            return _("You are recused from this review and cannot vote.")
        return _("You have already voted in this review.") if position["voted"] else ""


class LodgeObjection(CaseAction):
    def who(self, user, case):
        return may_read_notice(user, case)

    def not_now(self, user, case):
        publicity = _open_publicity(case)
        if publicity is None:
            return _("The case is not in publicity.")
        if timezone.localdate() > publicity.objections_until:
            return _("The objection period ended on %(date)s.") % {"date": publicity.objections_until}
        return ""


class RegisterPaperObjection(CaseAction):
    def who(self, user, case):
        return access.is_case_officer(user, case)

    def not_now(self, user, case):
        return "" if _open_publicity(case) is not None else _("The case is not in publicity.")


class LodgeAppeal(CaseAction):
    """A person the decision judges appeals their own determination (the case's, when it has one)."""

    def who(self, user, case):
        return own_determination(case, user) is not None

    def not_now(self, user, case):
        return appeal_problem(case, user, waiting_task=selectors.appeal_waiting_task(case))

    def menu_label(self, case):
        return _("Appeal the decision (until %(date)s)") % {"date": appeal_deadline(case)}


DECLARE_CONFLICT = DeclareConflict("conflict_declare", _("Declare conflicts of interest"))
CAST_VOTE = CastVote("vote", _("Vote"))
LODGE_OBJECTION = LodgeObjection("objection_lodge", _("Lodge an objection"))
REGISTER_PAPER_OBJECTION = RegisterPaperObjection("objection_paper", _("Register a paper objection"))
LODGE_APPEAL = LodgeAppeal("appeal", _("Appeal the decision"))

ACTIONS = [DECLARE_CONFLICT, CAST_VOTE, LODGE_OBJECTION, REGISTER_PAPER_OBJECTION, LODGE_APPEAL]


def register_case_action(action: CaseAction) -> None:
    """A case type's own action on other cases' pages (e.g. opening a related case from this one)."""
    if all(known.name != action.name for known in ACTIONS):
        ACTIONS.append(action)


def actions_available(user, case) -> list[tuple[str, str]]:
    """(label, url) of every action the user may take on the case now."""
    return [(action.menu_label(case), action.url(case)) for action in ACTIONS if action.check(user, case)]
