"""When points expire: at the end of the local day (program time zone) N months after they were earned, so a
lot earned on 15 March expires when 15 March two years on ends there, whatever DST did in between."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

from services.loyalty.domain.program import Program


def add_months_to_date(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_months(day: datetime, months: int) -> datetime:
    """The same wall-clock time `months` later, the day clamped to the month's last (31 Jan + 1 month = 28/29 Feb)."""
    moved = add_months_to_date(day.date(), months)
    return day.replace(year=moved.year, month=moved.month, day=moved.day)


def _local_midnight_utc(program: Program, day: date) -> datetime:
    """The instant the local day `day` begins (a midnight skipped by DST: the instant of the change)."""
    return datetime.combine(day, time(0), tzinfo=program.zone).astimezone(UTC)


def expires_at(program: Program, earned_at: datetime) -> datetime | None:
    """The instant (UTC) a lot earned at `earned_at` expires; None when the program's points never expire."""
    months = program.rules.expiry.months
    if months is None:
        return None
    earned_day = earned_at.astimezone(program.zone).date()
    last_day = add_months_to_date(earned_day, months)
    return _local_midnight_utc(program, last_day + timedelta(days=1))


def notice_from(program: Program, expires: datetime) -> datetime:
    """From when `loyalty.points_expiring` is due for a lot expiring at `expires` (notice_days before, local)."""
    local = expires.astimezone(program.zone)
    earlier = local.replace(tzinfo=None) - timedelta(days=program.rules.expiry.notice_days)
    return earlier.replace(tzinfo=program.zone).astimezone(UTC)
