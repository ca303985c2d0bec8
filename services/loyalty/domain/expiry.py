"""When points expire: at the end of the local day (program time zone) N months after they were earned, so a
lot earned on 15 March expires when 15 March two years on ends there, whatever DST did in between."""

from __future__ import annotations

from datetime import datetime

from services.loyalty.domain.program import Program


def add_months(day: datetime, months: int) -> datetime:
    """The same wall-clock time `months` later, the day clamped to the month's last (31 Jan + 1 month = 28/29 Feb)."""
    raise NotImplementedError


def expires_at(program: Program, earned_at: datetime) -> datetime | None:
    """The instant (UTC) a lot earned at `earned_at` expires; None when the program's points never expire."""
    raise NotImplementedError


def notice_from(program: Program, expires: datetime) -> datetime:
    """From when `loyalty.points_expiring` is due for a lot expiring at `expires` (notice_days before, local)."""
    raise NotImplementedError
