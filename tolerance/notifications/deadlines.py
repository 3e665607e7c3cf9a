"""The scheduler's sweep over case deadlines (`Case.next_due`, which the shared steps set): a reminder
the institution's policy number of working days before, and a notice once it has passed. Each once
per case and deadline (the event key names both), to whoever must act now and the case's officer."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.models import Case, CaseTypePolicy
from tolerance.notifications.handoffs import task_candidates
from tolerance.notifications.kinds import DEADLINE_NEAR, OVERDUE
from tolerance.notifications.services import notify
from tolerance.working_days import add_days


def _open_task_people(case) -> list:
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    people = []
    for task in Task.objects.filter(
        process_id=case.process_id, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
    ):
        people.extend(task_candidates(task))
    return people


def deadline_notices_send(now) -> int:
    """Returns how many notices were written."""
    today = timezone.localdate(now)
    reminder_days = {
        (policy.institution_id, policy.case_type): policy.reminder_working_days
        for policy in CaseTypePolicy.objects.all()
    }
    horizon = add_days(today, max(reminder_days.values(), default=0), working=True)
    cases = Case.objects.filter(
        next_due__isnull=False, next_due__lte=horizon, process__isnull=False, process__finished__isnull=True
    ).select_related("filed_by__profile")
    written = 0
    for case in cases.iterator():
        if case.next_due < today:
            kind, key = OVERDUE, f"overdue:{case.pk}:{case.next_due.isoformat()}"
        elif case.next_due <= add_days(
            today, reminder_days.get((case.institution_id, case.case_type), 0), working=True
        ):
            kind, key = DEADLINE_NEAR, f"deadline:{case.pk}:{case.next_due.isoformat()}"
        else:
            continue
        with transaction.atomic():
            written += len(
                notify(
                    recipients=[*_open_task_people(case), case.filed_by],
                    kind=kind,
                    event_key=key,
                    title=_deadline_title(kind, case),
                    body=lambda case=case: (
                        _("“%(title)s” (%(stage)s) is due by %(date)s.")
                        % {"title": case.title, "stage": case.stage_label, "date": case.next_due.isoformat()}
                    ),
                    link=reverse("cases:detail", args=[case.pk]),
                    case=case,
                )
            )
    return written


def _deadline_title(kind, case):
    if kind == OVERDUE:
        return lambda: (
            _("Case %(case)s is overdue (due %(date)s)")
            % {
                "case": case.number,
                "date": case.next_due.isoformat(),
            }
        )
    return lambda: _("Case %(case)s is due on %(date)s") % {"case": case.number, "date": case.next_due.isoformat()}
