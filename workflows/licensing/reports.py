"""Usage reports due at the policy's interval, as one idempotent daily sweep: reminders at the policy's
days around each report's due date, a missed report recorded once its due date has passed, and after
`misses_before_breach` missed reports a sealed breach notice with a cure period in working days.
Filing the missing reports within the cure period resolves the breach (payments.report_filed)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.models import Case, CaseType
from tolerance.notifications.services import notify
from tolerance.services.cases import case_stage_set
from tolerance.working_days import add_working_days
from workflows.licensing import letters
from workflows.licensing.ladder import _step
from workflows.licensing.ledger import LadderNotice, NoticeKind
from workflows.licensing.models import LicensingStage
from workflows.licensing.notices import REPORT_REMINDER
from workflows.licensing.payments import ACTIVE_STAGES, report_periods, reported
from workflows.licensing.policy import licensing_policy
from workflows.licensing.services import company_contacts

REPORT_BREACH_STEP = "reports"


def _case_sweep(case, today) -> None:
    details = case.licensing
    policy = licensing_policy(case)
    contacts = company_contacts(case.company)
    ahead = max([0, *policy.report_reminders_days])
    for number, start, end, due in report_periods(details, policy, today + datetime.timedelta(days=ahead)):
        if reported(case, end):
            continue
        values = {"case": case.number, "from": start, "to": end, "due": due}
        for days in policy.report_reminders_days:
            if today == due - datetime.timedelta(days=days) and _step(
                case, None, NoticeKind.REPORT_REMINDER, f"{number}:{days}", today
            ):
                notify(
                    recipients=contacts,
                    kind=REPORT_REMINDER,
                    event_key=f"licensing:report:{case.pk}:{number}:{days}",
                    title=lambda values=values: (
                        _("Usage report of licence %(case)s for %(from)s–%(to)s is due on %(due)s") % values
                    ),
                    link=f"/licences/{case.pk}/report/",
                    case=case,
                )
        if today > due:
            _step(case, None, NoticeKind.REPORT_MISSED, str(number), today)
    if policy.misses_before_breach is None:
        return
    missed = LadderNotice.objects.filter(case=case, kind=NoticeKind.REPORT_MISSED, resolved_on__isnull=True)
    open_breach = LadderNotice.objects.filter(
        case=case, kind=NoticeKind.BREACH, due__isnull=True, resolved_on__isnull=True
    ).exists()
    if missed.count() < policy.misses_before_breach or open_breach:
        return
    cure_by = add_working_days(today, policy.cure_working_days)
    steps = sorted(int(step) for step in missed.values_list("step", flat=True))
    notice = _step(case, None, NoticeKind.BREACH, f"{REPORT_BREACH_STEP}:{steps[-1]}", today, cure_by=cure_by)
    if notice is None:
        return
    periods = {number: (start, end) for number, start, end, _due in report_periods(details, policy, today)}
    notice.document = letters.breach_issue(
        case=case,
        cure_by=cure_by,
        grounds_text=[
            _("Usage report for %(from)s–%(to)s not filed") % {"from": periods[n][0], "to": periods[n][1]}
            for n in steps
            if n in periods
        ],
    )
    notice.save(update_fields=["document"])
    case_stage_set(case=case, stage=LicensingStage.BREACH, next_due=cure_by)
    notify(
        recipients=contacts + [case.filed_by],
        kind=REPORT_REMINDER,
        event_key=f"licensing:report_breach:{notice.pk}",
        title=lambda: (
            _("Breach notice: usage reports of licence %(case)s missing; cure by %(cure)s")
            % {"case": case.number, "cure": cure_by}
        ),
        link=f"/cases/{case.pk}/",
        case=case,
    )


def report_reminders_run(now: datetime.datetime) -> int:
    """The daily sweep over licences in force; returns how many it looked at."""
    today = timezone.localdate(now)
    cases = Case.objects.filter(
        case_type=CaseType.PAY_AFTER_USE, stage__in=ACTIVE_STAGES, licensing__contract_effective_on__isnull=False
    ).select_related("licensing__policy_version", "company", "filed_by")
    count = 0
    for case in cases:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(of=("self",)).select_related("licensing__policy_version").get(pk=case.pk)
            )
            _case_sweep(case, today)
        count += 1
    return count
