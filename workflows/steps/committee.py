"""Committee review, shared by every case type.

Design: the open-source Viewflow has no dynamic Split, so members do not get one task each. The chair
opens a round (task "open_review"); the flow then waits in the chair's "record_resolution" task while
members declare conflicts and vote through our own views (these services). The chair's resolution is
accepted only when it matches the count: quorum of the non-recused members, outcome above threshold.
Votes and declarations are marked internal so the case's parties never see them.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance import roles
from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.case_types import case_type_spec_for
from tolerance.models import Case
from tolerance.selectors.policy import case_policy
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from workflows.access import is_case_chair
from workflows.steps import notices, rules
from workflows.steps.appeal import appealed_keys, is_appeal_review
from workflows.steps.models import CommitteeReview, ConflictDeclaration, Vote

# The stage every case type uses for 中止 (discipline inspection investigates the same facts): while a case
# is in it, nobody acts on it, the committee included, until it is resumed.
SUSPENDED_STAGE = "suspended"


def is_suspended(case: Case) -> bool:
    return case.stage == SUSPENDED_STAGE


def suspended_problem() -> str:
    return _("The case is suspended; nothing can be done on it until it is resumed.")


def committee_members(case: Case):
    """Everyone sitting on the case institution's committee (members and the chair)."""
    return (
        get_user_model()
        .objects.filter(
            groups__name__in=[roles.COMMITTEE_MEMBER, roles.COMMITTEE_CHAIR],
            profile__institution_id=case.institution_id,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def review_roster(review: CommitteeReview):
    """The members a round counts: the committee as it stood when the round opened (or, for a round
    opened before rosters were kept, as it stands now)."""
    kept = review.roster.all()
    return kept if kept.exists() else committee_members(review.case)


def sits_on_review(review: CommitteeReview, user) -> bool:
    """A member takes part in the round they were on the committee for, even if their term ends during it;
    someone who joins later does not."""
    return review_roster(review).filter(pk=user.pk).exists()


def review_current(case: Case) -> CommitteeReview | None:
    return case.committee_reviews.order_by("-round").first()


def round_determinations(case: Case, review: CommitteeReview | None = None) -> list[tuple[str, str]]:
    """(key, label) of what a round decides: every determination of the case, except on appeal, where
    only those appealed (a case judged once is appealed, and reviewed, as a whole)."""
    keys = case_type_spec_for(case).determination_keys(case)
    review = review or review_current(case)
    if review is None or not review.is_appeal:
        return keys
    appealed = set(appealed_keys(case))
    return keys if "" in appealed else [(key, label) for key, label in keys if key in appealed]


def _standing_rows(review: CommitteeReview, decided: set[str]) -> list[dict]:
    """On appeal, the determinations nobody appealed keep the outcome the last resolution gave them."""
    if not review.is_appeal:
        return []
    before = review.case.committee_reviews.filter(round__lt=review.round).exclude(outcome="").order_by("-round").first()
    if before is None:
        return []
    resolved = {row["key"]: row["outcome"] for row in before.determinations}
    return [
        {"key": key, "label": label, "outcome": resolved.get(key, before.outcome), "standing": True}
        for key, label in case_type_spec_for(review.case).determination_keys(review.case)
        if key not in decided
    ]


def review_open(*, case: Case, opened_by, agenda: str) -> CommitteeReview:
    """Open the next round; after an appeal it is the appeal review."""
    if not is_case_chair(opened_by, case):
        raise ValidationError(_("Only the chair of this institution's committee can open a review."))
    with transaction.atomic():
        current = review_current(case)
        if current is not None and not current.is_resolved:
            raise ValidationError(_("A review of this case is already open."))
        is_appeal = is_appeal_review(case)
        review = CommitteeReview.objects.create(
            case=case,
            round=(current.round + 1) if current else 1,
            is_appeal=is_appeal,
            opened_by=opened_by,
            agenda=agenda,
        )
        review.roster.set(committee_members(case))
        # The step, not each case type, puts the case before the committee: a type's flow may reach this
        # round from anywhere (after filing, after a substantive objection, after an appeal).
        stages = case_type_spec_for(case).step_stages
        case_stage_set(case=case, stage=stages.appeal_review if is_appeal else stages.committee_review)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=opened_by,
            case=case,
            target=review,
            payload={"form": "committee_open", "round": review.round, "appeal": is_appeal},
        )
        notices.review_opened(case, review, committee_members(case))
    return review


def _open_review_for(case, member, *, as_member=True):
    """The case's open review, locked. Call inside a transaction.

    The row is locked before it is checked: a resolution committed while we waited for the lock is seen,
    so nothing is added to a review that has just been resolved. A member must sit on the round's roster;
    the chair's own acts (`as_member=False`) are checked by the caller against the chair's role, so a chair
    who takes over mid-round can close it.
    """
    review = case.committee_reviews.select_for_update().order_by("-round").first()
    case.refresh_from_db(fields=["stage"])
    if is_suspended(case):
        raise ValidationError(suspended_problem())
    if review is None or review.is_resolved:
        raise ValidationError(_("No committee review of this case is open."))
    if as_member and not sits_on_review(review, member):
        raise ValidationError(_("Only members of this institution's committee take part."))
    return review


def conflict_declare(*, case: Case, member, conflicted: bool, note: str) -> ConflictDeclaration:
    """Declare (once per round) whether the member has a conflict; a conflicted member is recused."""
    with transaction.atomic():
        review = _open_review_for(case, member)
        if review.declarations.filter(member=member).exists():
            raise ValidationError(_("You have already declared for this review."))
        text_validate(note, label=_("note"), multiline=True)
        if conflicted and not note.strip():
            raise ValidationError({"note": _("Describe the conflict of interest.")})
        declaration = ConflictDeclaration.objects.create(review=review, member=member, conflicted=conflicted, note=note)
        audit_record(
            action=AuditAction.CONFLICT_DECLARED,
            actor=member,
            case=case,
            target=declaration,
            payload={"round": review.round, "conflicted": conflicted, "note": note, "internal": True},
        )
    return declaration


def vote_cast(*, case: Case, member, outcome: str, reason: str) -> Vote:
    """One vote per member and round, after a declaration without conflict, for one of the type's outcomes."""
    return ballot_cast(case=case, member=member, outcomes={"": outcome}, reason=reason)[0]


def ballot_cast(*, case: Case, member, outcomes: dict[str, str], reason: str) -> list[Vote]:
    """A member's votes on every determination of the case (CaseTypeSpec.determinations) at once, with
    one reason; a case with one determination has the single key ""."""
    spec = case_type_spec_for(case)
    keys = [key for key, _label in round_determinations(case)]
    if set(outcomes) != set(keys):
        raise ValidationError(_("Vote on every person concerned."))
    for key in keys:
        if outcomes[key] not in spec.outcomes_for(case).values:
            raise ValidationError({f"outcome_{key}" if key else "outcome": _("Choose one of the offered outcomes.")})
    text_validate(reason, label=_("reason"), multiline=True)
    if not reason.strip():
        raise ValidationError(_("Give the reason for your vote."))
    with transaction.atomic():
        review = _open_review_for(case, member)
        declaration = review.declarations.filter(member=member).first()
        if declaration is None:
            raise ValidationError(_("Declare any conflict of interest before voting."))
        if declaration.conflicted:
            raise ValidationError(_("You are recused from this review and cannot vote."))
        if review.votes.filter(member=member).exists():
            raise ValidationError(_("You have already voted in this review."))
        votes = []
        for key in keys:
            vote = Vote.objects.create(
                review=review, member=member, subject_key=key, outcome=outcomes[key], reason=reason
            )
            audit_record(
                action=AuditAction.VOTE_CAST,
                actor=member,
                case=case,
                target=vote,
                payload={"round": review.round, "outcome": outcomes[key], "reason": reason, "internal": True}
                | ({"determination": key} if key else {}),
            )
            votes.append(vote)
    return votes


def review_tally(review: CommitteeReview, subject_key: str = "") -> rules.Tally:
    """The count of one determination (the case's only one by default)."""
    policy = case_policy(review.case)
    return rules.tally(
        members=review_roster(review).count(),
        recused=review.declarations.filter(conflicted=True).count(),
        votes=list(review.votes.filter(subject_key=subject_key).values_list("outcome", flat=True)),
        quorum_percent=policy.committee_quorum_percent,
        threshold_percent=policy.vote_threshold_percent,
    )


def review_tallies(review: CommitteeReview) -> list[tuple[str, str, rules.Tally]]:
    """(key, label, tally) of every determination of the review's case."""
    return [(key, label, review_tally(review, key)) for key, label in round_determinations(review.case, review)]


def _round_close(review: CommitteeReview, count: rules.Tally, *, closed_by, text: str, outcome: str = "") -> None:
    """Record the count a round closed with; without an outcome it closed on a new ballot."""
    review.outcome = outcome
    review.resolution_text = text
    review.members_total = count.members
    review.members_recused = count.recused
    review.votes_cast = count.votes_cast
    review.votes_for_outcome = count.counts[outcome] if outcome else None
    review.resolved_by = closed_by
    review.resolved_at = timezone.now()
    review.save()


def _determinations_resolve(review, outcomes: dict[str, str]) -> tuple[str, rules.Tally, list[dict]]:
    """Check each determination's outcome against its count; the case's outcome is theirs if they agree."""
    spec = case_type_spec_for(review.case)
    rows = []
    count = None
    for key, label, count in review_tallies(review):
        if not count.quorum_met:
            raise ValidationError(
                _("No quorum: %(cast)d of %(eligible)d non-recused members voted, %(required)d needed.")
                % {"cast": count.votes_cast, "eligible": count.eligible, "required": count.quorum_required}
            )
        if count.passed is None:
            raise ValidationError(
                _("For %(name)s no outcome has more than the threshold share of the votes.") % {"name": label}
            )
        if outcomes.get(key) != count.passed:
            raise ValidationError(_("The resolution must match the vote count."))
        rows.append(
            {
                "key": key,
                "label": label,
                "outcome": count.passed,
                "votes_cast": count.votes_cast,
                "votes_for": count.counts[count.passed],
            }
        )
    rows += _standing_rows(review, {row["key"] for row in rows})
    agreed = {row["outcome"] for row in rows}
    return (agreed.pop() if len(agreed) == 1 else spec.mixed_outcome), count, rows


def resolution_record(
    *, case: Case, recorded_by, outcome: str = "", text: str, outcomes: dict[str, str] | None = None
) -> CommitteeReview:
    """The chair records the resolution; it must be the outcome the count supports.

    A case type with several determinations passes `outcomes` (key -> outcome), each checked against its
    own count; the review's outcome is then their common outcome, or the type's mixed outcome.
    """
    if not is_case_chair(recorded_by, case):
        raise ValidationError(_("Only the chair of this institution's committee can record the resolution."))
    if outcomes is not None:
        return _resolution_record_per_determination(case=case, recorded_by=recorded_by, outcomes=outcomes, text=text)
    with transaction.atomic():
        review = _open_review_for(case, recorded_by, as_member=False)
        count = review_tally(review)
        if not count.quorum_met:
            raise ValidationError(
                _("No quorum: %(cast)d of %(eligible)d non-recused members voted, %(required)d needed.")
                % {"cast": count.votes_cast, "eligible": count.eligible, "required": count.quorum_required}
            )
        if count.passed is None:
            raise ValidationError(_("No outcome has more than the threshold share of the votes."))
        if outcome != count.passed:
            raise ValidationError(_("The resolution must match the vote count."))
        _round_close(review, count, closed_by=recorded_by, text=text, outcome=outcome)
        audit_record(
            action=AuditAction.RESOLUTION_RECORDED,
            actor=recorded_by,
            case=case,
            target=review,
            payload={
                "round": review.round,
                "outcome": outcome,
                "members": count.members,
                "recused": count.recused,
                "votes_cast": count.votes_cast,
                "votes_for": count.counts[outcome],
                "text": text,
            },
        )
    return review


def _resolution_record_per_determination(*, case, recorded_by, outcomes, text) -> CommitteeReview:
    with transaction.atomic():
        review = _open_review_for(case, recorded_by)
        outcome, count, rows = _determinations_resolve(review, outcomes)
        _round_close(review, count, closed_by=recorded_by, text=text)
        review.outcome = outcome
        review.determinations = rows
        review.votes_for_outcome = rows[0].get("votes_for") if len(rows) == 1 else None
        review.save(update_fields=["outcome", "determinations", "votes_for_outcome"])
        audit_record(
            action=AuditAction.RESOLUTION_RECORDED,
            actor=recorded_by,
            case=case,
            target=review,
            payload={
                "round": review.round,
                "outcome": outcome,
                "members": count.members,
                "recused": count.recused,
                "determinations": rows,
                "text": text,
            },
        )
    return review


def ballot_restart(*, case: Case, restarted_by, reason: str) -> CommitteeReview:
    """A quorate vote in which no outcome passed: close the round without a resolution and open the next.

    Without this a deadlocked committee would leave the case waiting forever. The closed round keeps its
    votes; members declare and vote afresh in the new round. Parties never see the failed round.
    """
    if not is_case_chair(restarted_by, case):
        raise ValidationError(_("Only the chair of this institution's committee can call a new ballot."))
    text_validate(reason, label=_("reason"), multiline=True)
    if not reason.strip():
        raise ValidationError(_("Record why the vote is held again."))
    with transaction.atomic():
        review = _open_review_for(case, restarted_by, as_member=False)
        counts = [count for _key, _label, count in review_tallies(review)]
        count = counts[0]
        if not all(c.quorum_met for c in counts):
            raise ValidationError(_("Wait for a quorum before calling a new ballot."))
        if all(c.passed is not None for c in counts):
            raise ValidationError(_("The count supports an outcome: record that resolution instead."))
        _round_close(review, count, closed_by=restarted_by, text=reason)
        audit_record(
            action=AuditAction.RESOLUTION_RECORDED,
            actor=restarted_by,
            case=case,
            target=review,
            payload={
                "round": review.round,
                "outcome": "",
                "new_ballot": True,
                "votes_cast": count.votes_cast,
                "text": reason,
                "internal": True,
            },
        )
        return review_open(case=case, opened_by=restarted_by, agenda=review.agenda)


def resolution_sentence(review: CommitteeReview, outcome_label: str) -> str:
    """The one-line account a decision quotes, e.g. 应到5人，回避1人，实到4人，4票同意免责."""
    return _(
        "Committee meeting of %(date)s: %(members)d members, %(recused)d recused, %(cast)d voted, "
        "%(votes)d votes for “%(outcome)s”."
    ) % {
        "date": timezone.localtime(review.resolved_at).strftime("%Y-%m-%d"),
        "members": review.members_total,
        "recused": review.members_recused,
        "cast": review.votes_cast,
        "votes": review.votes_for_outcome,
        "outcome": outcome_label,
    }
