"""The officer's desk: one list over every case type, through the visibility selector, filtered,
ordered, paged and flagged (overdue, due soon) — the same rows on the page and in the export."""

from dataclasses import dataclass, field

from django.utils import timezone

from tolerance.filters import CaseFilter
from tolerance.models import CaseTypePolicy
from tolerance.selectors.cases import cases_visible_to
from tolerance.working_days import add_days

PAGE_SIZE = 50


@dataclass
class DeskRow:
    case: object
    overdue: bool
    due_soon: bool
    # A register's own columns for this case.
    extra: list = field(default_factory=list)


def desk_filter(user, params, *, register=None) -> CaseFilter:
    cases = cases_visible_to(user).select_related("institution", "filed_by__profile", "process")
    if register is not None:
        cases = register.rows(cases.filter(case_type=register.case_type))
    return CaseFilter(params, queryset=cases, user=user)


def desk_rows(filterset: CaseFilter):
    """The filtered cases in the chosen order (an unfiltered list if the filters are invalid)."""
    return filterset.ordered(filterset.qs if filterset.is_valid() else filterset.queryset)


def desk_page(filterset: CaseFilter, page: int) -> tuple[list[DeskRow], bool]:
    """One page of rows and whether there is a next one (no COUNT over the whole table)."""
    start = (page - 1) * PAGE_SIZE
    cases = list(desk_rows(filterset)[start : start + PAGE_SIZE + 1])
    return flag_rows(cases[:PAGE_SIZE]), len(cases) > PAGE_SIZE


def flag_rows(cases) -> list[DeskRow]:
    """Overdue: past its deadline and still open; due soon: within its institution's reminder days."""
    today = timezone.localdate()
    reminder = {
        (policy.institution_id, policy.case_type): policy.reminder_working_days
        for policy in CaseTypePolicy.objects.filter(institution_id__in={case.institution_id for case in cases})
    }
    # One working-day computation per reminder period, not per row (each reads the calendar overrides).
    soon_until = {days: add_days(today, days, working=True) for days in set(reminder.values()) | {0}}
    rows = []
    for case in cases:
        open_ = case.next_due is not None and case.process_id is not None and case.process.finished is None
        days = reminder.get((case.institution_id, case.case_type), 0)
        rows.append(
            DeskRow(
                case=case,
                overdue=open_ and case.next_due < today,
                due_soon=open_ and today <= case.next_due <= soon_until[days],
            )
        )
    return rows
