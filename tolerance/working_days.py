"""Working-day arithmetic for every deadline in the system.

China's statutory holidays and adjusted working days (调休) come from the `chinesecalendar` package;
the WorkingDayOverride table corrects or extends it (a holiday announced after the package release,
a campus closure) and always wins.
"""

import datetime

import chinese_calendar

from tolerance.models import WorkingDayOverride


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(WorkingDayOverride.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day"))


def statutory_is_working_day(day: datetime.date) -> bool:
    """What the published national calendar says, before any override."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Outside the years the package knows: fall back to Monday–Friday until an override exists.
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted).

    `add_working_days(Friday, 1)` is the next working Monday; across 国庆 it skips the holiday and counts
    an adjusted Saturday. Zero returns `start` unchanged.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    # Generous window for one override query: holidays never remove more than ~2 weeks in a row.
    overrides = _overrides(start, start + datetime.timedelta(days=days * 3 + 30))
    current = start
    counted = 0
    while counted < days:
        current += datetime.timedelta(days=1)
        working = overrides.get(current)
        if working is None:
            working = statutory_is_working_day(current)
        if working:
            counted += 1
    return current


def add_days(start: datetime.date, days: int, *, working: bool) -> datetime.date:
    """`days` working days after `start`, or calendar days where the policy counts them so (自然日)."""
    if working:
        return add_working_days(start, days)
    if days < 0:
        raise ValueError("days must not be negative")
    return start + datetime.timedelta(days=days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days after `start` up to and including `end` (0 when `end` is not after `start`):
    the inverse of add_working_days (working_days_between(d, add_working_days(d, n)) == n), for durations and
    for what remains of a deadline that is frozen."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    counted = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        working = overrides.get(current)
        if working is None:
            working = statutory_is_working_day(current)
        counted += bool(working)
    return counted
