"""Deadlines in working days across China's 2026 holidays and adjusted working days (调休)."""

import datetime

import pytest

from tolerance.models import WorkingDayOverride
from tolerance.working_days import add_working_days

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_deadline_skips_the_national_day_holiday():
    # 2026-10-01 (Thu) to 10-07 (Wed) are 国庆 holidays.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_the_adjusted_saturday_after_national_day_counts_as_a_working_day():
    # Sat 2026-10-10 is a 调休 working day; Sun 10-11 is not.
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert add_working_days(D(2026, 10, 8), 2) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_a_deadline_across_the_spring_festival():
    # Sat 2026-02-14 is a 调休 working day; 02-15 (Sun) to 02-23 (Mon) are 春节 holidays.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_an_ordinary_weekend_is_skipped():
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday -> Monday


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(D(2026, 10, 1), 0) == D(2026, 10, 1)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 10, 1), -1)


def test_an_override_row_wins_over_the_calendar_library():
    WorkingDayOverride.objects.create(date=D(2026, 10, 9), is_working_day=False, note="校园停电")
    WorkingDayOverride.objects.create(date=D(2026, 10, 11), is_working_day=True, note="补班")

    assert add_working_days(D(2026, 10, 8), 1) == D(2026, 10, 10)  # 10-09 closed
    assert add_working_days(D(2026, 10, 10), 1) == D(2026, 10, 11)  # Sunday 10-11 worked
    # 10-08 Thu, 10-10 Sat (调休), 10-11 Sun (override), 10-12 Mon.
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
