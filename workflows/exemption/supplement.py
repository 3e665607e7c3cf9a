"""The supplement deadline acts (F07): when the filer has not supplemented by the due date (plus the
version's grace), the case is refused as incomplete or handed back to an officer, who extends the
deadline or refuses. Either way an audit event records it and the filer is told. The reminder before the
due date is the desk's deadline sweep (`Case.next_due`, set when the supplement is requested)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.audit.actions import AuditAction
from tolerance.audit.services import audit_record
from tolerance.models import Case
from tolerance.notifications.services import notify
from tolerance.selectors.policy import case_policy
from tolerance.services.cases import case_stage_set
from tolerance.text import text_validate
from tolerance.working_days import add_working_days
from workflows.exemption.determinations import version_rules
from workflows.exemption.models import ExemptionStage, IntakeResult, IntakeReview

SUPPLEMENT_EXPIRED = "exemption_supplement_expired"
REFUSE = "refuse"
ESCALATE = "escalate"


def _rules(case: Case) -> dict:
    return version_rules(case).get("supplement", {})


def supplement_on_expiry(case: Case) -> str:
    """What a passed deadline leads to; versions that predate the rule hand the case back to an officer."""
    return _rules(case).get("on_expiry", ESCALATE)


def supplement_last_day(case: Case) -> datetime.date:
    due = case.intake_reviews.order_by("-id").first().supplement_due
    grace = _rules(case).get("grace_working_days", 0)
    return add_working_days(due, grace) if grace else due


def supplement_deadline_moment(case: Case) -> datetime.datetime:
    """The deadline runs through its last day; it passes at midnight after it, local time."""
    last = supplement_last_day(case)
    return timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))


def supplement_expire(*, case: Case) -> str:
    """The timer's consequence, with its audit event and the filer's notice; returns the consequence."""
    consequence = supplement_on_expiry(case)
    due = supplement_last_day(case)
    with transaction.atomic():
        stage = ExemptionStage.REFUSED if consequence == REFUSE else ExemptionStage.SUPPLEMENT_REQUESTED
        case_stage_set(case=case, stage=stage)
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=None,
            case=case,
            target=case,
            payload={"change": "supplement_expired", "due": due.isoformat(), "consequence": consequence},
        )
        notify(
            recipients=[case.filed_by],
            kind=SUPPLEMENT_EXPIRED,
            event_key=f"exemption:supplement_expired:{case.pk}:{due.isoformat()}",
            title=lambda: _("The supplement deadline of case %(case)s has passed") % {"case": case.number},
            body=lambda: (
                (
                    _("The filing was not supplemented by %(due)s: it is refused as incomplete.")
                    if consequence == REFUSE
                    else _(
                        "The filing was not supplemented by %(due)s: an officer will extend the deadline or refuse it."
                    )
                )
                % {"due": due.isoformat()}
            ),
            link=reverse("cases:detail", args=[case.pk]),
            case=case,
        )
    return consequence


def supplement_expiry_decide(
    *, case: Case, decided_by, extend: bool, working_days: int | None, reason: str
) -> IntakeReview:
    """The officer's choice after a passed deadline: a new deadline (at most the policy's supplement
    period again) or the refusal of the filing. Recorded as a completeness review, so the flow reads it
    as it reads the first one."""
    text_validate(reason, label=_("reason"), multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for extending the deadline or refusing the filing.")})
    longest = case_policy(case).supplement_working_days
    if extend and (working_days is None or not 1 <= working_days <= longest):
        raise ValidationError({"working_days": _("Extend by 1 to %(days)d working days.") % {"days": longest}})
    with transaction.atomic():
        due = add_working_days(timezone.localdate(), working_days) if extend else None
        review = IntakeReview.objects.create(
            case=case,
            result=IntakeResult.SUPPLEMENT if extend else IntakeResult.REFUSED,
            reason=reason,
            supplement_due=due,
            reviewed_by=decided_by,
        )
        if extend:
            case_stage_set(case=case, stage=ExemptionStage.SUPPLEMENT_REQUESTED, next_due=due)
        else:
            case_stage_set(case=case, stage=ExemptionStage.REFUSED)
        audit_record(
            action=AuditAction.FORM_SUBMITTED,
            actor=decided_by,
            case=case,
            target=review,
            payload={
                "form": "supplement_expiry",
                "result": review.result,
                "reason": reason,
                "supplement_due": due.isoformat() if due else None,
            },
        )
    return review
