"""The scheduler's sweep over case deadlines (`Case.next_due`, which the shared steps set): a reminder
the institution's policy number of working days before, and a notice once it has passed. Each once
per case and deadline (the event key names both), to whoever must act now and the case's officer.

An appeal window is a deadline of the subjects, not of the staff: it has its own figure
(`appeal_reminder_working_days`) and its reminder also goes to the subjects, telling them until when
they may appeal. The same sweep, so one reminder per case and deadline still holds."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tolerance.case_types import case_type_spec_for
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


def _in_appeal_window(case) -> bool:
    return case.stage == case_type_spec_for(case).step_stages.appeal_window


def deadline_notices_send(now) -> int:
    """Returns how many notices were written."""
    today = timezone.localdate(now)
    policies = {(policy.institution_id, policy.case_type): policy for policy in CaseTypePolicy.objects.all()}
    furthest = max(
        (max(policy.reminder_working_days, policy.appeal_reminder_working_days) for policy in policies.values()),
        default=0,
    )
    horizon = add_days(today, furthest, working=True)
    cases = Case.objects.filter(
        next_due__isnull=False, next_due__lte=horizon, process__isnull=False, process__finished__isnull=True
    ).select_related("filed_by__profile")
    written = 0
    for case in cases.iterator():
        policy = policies.get((case.institution_id, case.case_type))
        appeal = _in_appeal_window(case)
        if policy is None:
            days = 0
        else:
            days = policy.appeal_reminder_working_days if appeal else policy.reminder_working_days
        recipients = [*_open_task_people(case), case.filed_by]
        if case.next_due < today:
            kind, key = OVERDUE, f"overdue:{case.pk}:{case.next_due.isoformat()}"
        elif case.next_due <= add_days(today, days, working=True):
            kind, key = DEADLINE_NEAR, f"deadline:{case.pk}:{case.next_due.isoformat()}"
            if appeal:
                recipients.extend(link.user for link in case.subject_links.select_related("user__profile"))
        else:
            continue
        with transaction.atomic():
            written += len(
                notify(
                    recipients=recipients,
                    kind=kind,
                    event_key=key,
                    title=_deadline_title(kind, case, appeal),
                    body=_deadline_body(kind, case, appeal),
                    link=reverse("cases:detail", args=[case.pk]),
                    case=case,
                )
            )
    return written


def _deadline_body(kind, case, appeal):
    if appeal and kind == DEADLINE_NEAR:
        return lambda: (
            _("You may apply for a review of the decision on “%(title)s” until %(date)s; after that it is final.")
            % {"title": case.title, "date": case.next_due.isoformat()}
        )
    return lambda: (
        _("“%(title)s” (%(stage)s) is due by %(date)s.")
        % {"title": case.title, "stage": case.stage_label, "date": case.next_due.isoformat()}
    )


def _deadline_title(kind, case, appeal):
    if appeal and kind == DEADLINE_NEAR:
        return lambda: (
            _("The appeal window of case %(case)s closes on %(date)s")
            % {"case": case.number, "date": case.next_due.isoformat()}
        )
    if kind == OVERDUE:
        return lambda: (
            _("Case %(case)s is overdue (due %(date)s)")
            % {
                "case": case.number,
                "date": case.next_due.isoformat(),
            }
        )
    return lambda: _("Case %(case)s is due on %(date)s") % {"case": case.number, "date": case.next_due.isoformat()}
