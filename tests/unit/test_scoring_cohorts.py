"""Retention cohorts' calendar arithmetic (services/scoring/domain/cohorts.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from services.scoring.domain import cohorts
from services.scoring.report_store import first_day_from


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def test_period_starts_are_the_first_of_the_month_and_the_iso_monday() -> None:
    assert cohorts.period_start(dt.date(2026, 5, 31), "month") == dt.date(2026, 5, 1)
    assert cohorts.period_start(dt.date(2026, 5, 31), "week") == dt.date(2026, 5, 25)  # a Sunday: its Monday
    assert cohorts.period_start(dt.date(2026, 5, 25), "week") == dt.date(2026, 5, 25)


def test_periods_add_across_years() -> None:
    assert cohorts.add_periods(dt.date(2025, 11, 1), "month", 3) == dt.date(2026, 2, 1)
    assert cohorts.add_periods(dt.date(2025, 12, 29), "week", 1) == dt.date(2026, 1, 5)
    assert cohorts.periods_between(dt.date(2025, 12, 31), dt.date(2026, 1, 1), "month") == 1
    assert cohorts.periods_between(dt.date(2025, 12, 28), dt.date(2025, 12, 29), "week") == 1  # Sunday, Monday
    assert cohorts.periods_between(dt.date(2025, 12, 29), dt.date(2026, 1, 4), "week") == 0


def test_labels_use_the_iso_year_of_a_week() -> None:
    assert cohorts.label(dt.date(2026, 5, 1), "month") == "2026-05"
    assert cohorts.label(dt.date(2024, 12, 30), "week") == "2025-W01"
    assert cohorts.label(dt.date(2026, 5, 4), "week") == "2026-W19"


def test_a_to_at_a_period_boundary_opens_no_new_period() -> None:
    at_boundary = cohorts.span(utc(2026, 1, 1), utc(2026, 6, 1), "month")
    assert (at_boundary.first, at_boundary.count, at_boundary.end) == (dt.date(2026, 1, 1), 5, dt.date(2026, 6, 1))
    inside = cohorts.span(utc(2026, 1, 15, 10), utc(2026, 6, 1, 0, 0, 1), "month")
    assert (inside.first, inside.count, inside.end) == (dt.date(2026, 1, 1), 6, dt.date(2026, 7, 1))
    weeks = cohorts.span(utc(2026, 5, 4), utc(2026, 6, 1), "week")
    assert (weeks.count, weeks.end) == (4, dt.date(2026, 6, 1))
    # A cohort has cells from its own period to the report's last.
    assert cohorts.columns(dt.date(2026, 1, 1), at_boundary, "month") == 5
    assert cohorts.columns(dt.date(2026, 5, 1), at_boundary, "month") == 1
    assert cohorts.columns(dt.date(2026, 5, 18), weeks, "week") == 2


def test_a_cell_is_shown_once_its_period_has_ended() -> None:
    may = dt.date(2026, 5, 1)
    assert cohorts.ended(may, 0, "month", utc(2026, 6, 1))
    assert not cohorts.ended(may, 0, "month", utc(2026, 5, 31, 23, 59))
    assert not cohorts.ended(may, 1, "month", utc(2026, 6, 15))
    assert cohorts.ended(dt.date(2026, 5, 25), 0, "week", utc(2026, 6, 1))


@pytest.mark.parametrize("period", ["month", "week"])
def test_eight_years_of_weeks_are_over_the_budget_and_of_months_are_not(period: cohorts.Period) -> None:
    count = cohorts.span(utc(2018, 1, 1), utc(2026, 1, 1), period).count
    assert (count > cohorts.MAX_COHORT_PERIODS) == (period == "week")


def test_money_per_member_rounds_half_up_and_ratios_to_four_places() -> None:
    assert cohorts.per_member(Decimal("80.01"), 2) == Decimal("40.01")  # 40.005: half up, not to even
    assert cohorts.per_member(Decimal("220"), 3) == Decimal("73.33")
    assert cohorts.ratio(2, 3) == 0.6667
    assert cohorts.ratio(1, 0) is None


def test_a_span_of_time_holds_the_days_starting_in_it() -> None:
    assert first_day_from(utc(2026, 5, 1)) == dt.date(2026, 5, 1)
    assert first_day_from(utc(2026, 5, 1, 0, 0, 1)) == dt.date(2026, 5, 2)
    two_hours_east = dt.timezone(dt.timedelta(hours=2))  # 2026-04-30 23:00 UTC
    assert first_day_from(dt.datetime(2026, 5, 1, 1, tzinfo=two_hours_east)) == dt.date(2026, 5, 1)
    assert first_day_from(dt.datetime(2026, 5, 1, 2, tzinfo=two_hours_east)) == dt.date(2026, 5, 1)
