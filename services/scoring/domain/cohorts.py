"""Calendar arithmetic of retention cohorts (pure): UTC months and ISO weeks (Monday to Sunday), their labels, how
many periods a report spans, and which cells of a cohort have ended. report_store.py does the counting in SQL and
uses these to lay the counts out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Period = Literal["month", "week"]

MAX_COHORT_PERIODS = 400  # a report's budget: weeks over ~8 years, months over 33 years
CENT = Decimal("0.01")
RATIO_DIGITS = 4


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the month or ISO week (its Monday) holding `day`."""
    if period == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def add_periods(start: dt.date, period: Period, n: int) -> dt.date:
    """The start of the n-th period after the one starting on `start` (a period's first day)."""
    if period == "week":
        return start + dt.timedelta(weeks=n)
    months = start.year * 12 + start.month - 1 + n
    return dt.date(months // 12, months % 12 + 1, 1)


def periods_between(first: dt.date, last: dt.date, period: Period) -> int:
    """How many periods from the one holding `first` to the one holding `last` (0: the same one)."""
    a, b = period_start(first, period), period_start(last, period)
    if period == "week":
        return (b - a).days // 7
    return (b.year * 12 + b.month) - (a.year * 12 + a.month)


def label(start: dt.date, period: Period) -> str:
    """`YYYY-MM` for a month, ISO `YYYY-Www` for a week (its ISO year: the week of 2024-12-30 is 2025-W01)."""
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    year, week, _ = start.isocalendar()
    return f"{year:04d}-W{week:02d}"


def instant(day: dt.date) -> dt.datetime:
    """A day's first instant, UTC."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def last_day(until: dt.datetime) -> dt.date:
    """The UTC day holding the last instant before `until` (an exclusive end): a `to` at midnight does not reach
    into its own day, so a `to` at a period boundary does not open a new period."""
    return (until.astimezone(dt.UTC) - dt.timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class Span:
    """The cohort periods of a report over [since, until): the first one's start, how many, and the start of
    the period after the last (what a cohort's activity is read up to)."""

    first: dt.date
    count: int
    end: dt.date


def span(since: dt.datetime, until: dt.datetime, period: Period) -> Span:
    first_day, final_day = since.astimezone(dt.UTC).date(), last_day(until)
    first = period_start(first_day, period)
    count = periods_between(first_day, final_day, period) + 1
    return Span(first, count, add_periods(first, period, count))


def columns(cohort: dt.date, report: Span, period: Period) -> int:
    """How many cells a cohort (its period's start) has: its own period up to the last of the report."""
    return periods_between(cohort, add_periods(report.first, period, report.count - 1), period) + 1


def ended(cohort: dt.date, k: int, period: Period, now: dt.datetime) -> bool:
    """Whether the k-th period after the cohort's has ended by `now` (its end is not after now)."""
    return instant(add_periods(cohort, period, k + 1)) <= now


def ratio(part: int, whole: int) -> float | None:
    """part / whole to 4 decimals (the exact quotient rounded once), None for nothing to divide by."""
    return round(float(Decimal(part) / Decimal(whole)), RATIO_DIGITS) if whole else None


def per_member(amount: Decimal, size: int) -> Decimal:
    return (amount / size).quantize(CENT, rounding=ROUND_HALF_UP)
