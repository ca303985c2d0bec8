"""Time arithmetic for journeys: durations, times of day, quiet hours and date triggers, in a time zone.

All pure: `now` is always passed in and every result is an aware datetime in UTC. Local times are
computed with zoneinfo, so they stay right across daylight-saving changes: "09:00" is 09:00 on the
wall clock whatever the offset that day. A wall time that does not exist (skipped by a spring-forward
change) resolves to the same wall time in the offset before the change, i.e. just after the jump
(02:30 becomes 03:30 in Europe/Berlin on the last Sunday of March); a wall time that happens twice
(autumn) is its first occurrence.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.journey.domain.budgets import shown

MAX_DURATION_DAYS = 3650
MAX_ZONE_NAME = 64  # the longest IANA name is about 30 characters
_DURATION = re.compile(r"([1-9][0-9]{0,6})([mhdw])")
_UNITS = {
    "m": dt.timedelta(minutes=1),
    "h": dt.timedelta(hours=1),
    "d": dt.timedelta(days=1),
    "w": dt.timedelta(weeks=1),
}
_TIME_OF_DAY = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def parse_duration(text: str) -> dt.timedelta | None:
    """'3d' -> 3 days ('m' minutes, 'h' hours, 'd' days, 'w' weeks; 1 minute to 3650 days); None otherwise."""
    match = _DURATION.fullmatch(text)
    if not match:
        return None
    duration = int(match.group(1)) * _UNITS[match.group(2)]
    return duration if duration <= dt.timedelta(days=MAX_DURATION_DAYS) else None


def duration(text: str) -> dt.timedelta:
    """A duration already validated by the document (raises ValueError on a bad one)."""
    parsed = parse_duration(text)
    if parsed is None:
        raise ValueError(f"not a duration: {text!r}")
    return parsed


def parse_time_of_day(text: str) -> dt.time | None:
    """'09:00' -> 09:00 (24-hour HH:MM); None otherwise."""
    match = _TIME_OF_DAY.fullmatch(text)
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone (cached: documents name a handful); raises ValueError if unknown."""
    try:
        if len(name) > MAX_ZONE_NAME:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {shown(name)}") from error


def _aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now


def at_local(day: dt.date, time_of_day: dt.time, tz: str) -> dt.datetime:
    """The UTC instant of a wall-clock time on a local date (DST rules in the module docstring)."""
    local = dt.datetime.combine(day, time_of_day, tzinfo=zone(tz))
    return local.astimezone(dt.UTC)


def next_time_of_day(time_of_day: str | dt.time, tz: str, now: dt.datetime) -> dt.datetime:
    """The first moment at or after `now` when the wall clock in `tz` shows `time_of_day`."""
    wanted = parse_time_of_day(time_of_day) if isinstance(time_of_day, str) else time_of_day
    if wanted is None:
        raise ValueError(f"not a time of day: {time_of_day!r}")
    today = _aware(now).astimezone(zone(tz)).date()
    for offset in range(3):  # today, tomorrow, or (after a skipped wall time) the day after
        candidate = at_local(today + dt.timedelta(days=offset), wanted, tz)
        if candidate >= now:
            return candidate
    raise AssertionError("unreachable: a wall time recurs within two days")


def in_quiet_hours(start: str, end: str, tz: str, at: dt.datetime) -> bool:
    """Whether `at` falls in [start, end) on the wall clock of `tz`; start after end wraps midnight."""
    begin, finish = parse_time_of_day(start), parse_time_of_day(end)
    if begin is None or finish is None:
        raise ValueError(f"not times of day: {start!r}, {end!r}")
    local = _aware(at).astimezone(zone(tz)).time().replace(tzinfo=None)
    if begin <= finish:
        return begin <= local < finish
    return local >= begin or local < finish


def quiet_hours_end(start: str, end: str, tz: str, at: dt.datetime) -> dt.datetime:
    """When a message due at `at` may go out: `at` itself outside quiet hours, else the next `end`."""
    if not in_quiet_hours(start, end, tz, at):
        return at
    return next_time_of_day(end, tz, at)


def parse_date(value: object) -> dt.date | None:
    """A trait holding a date: 'YYYY-MM-DD' or the date part of an ISO date-time; None otherwise."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _anniversary(day: dt.date, year: int) -> dt.date:
    """The date's anniversary in `year`; 29 February falls on 28 February in other years."""
    if day.month == 2 and day.day == 29:
        try:
            return day.replace(year=year)
        except ValueError:
            return dt.date(year, 2, 28)
    return day.replace(year=year)


def next_date_occurrence(
    trait_value: object,
    offset_days: int,
    time_of_day: str,
    repeat: str,
    tz: str,
    now: dt.datetime,
) -> dt.datetime | None:
    """When a date trigger next fires at or after `now` for a trait value, or None (no date, or a
    one-off date already past). Yearly: the date's anniversary each year (a birthday); once: the date
    itself (a membership renewal). `offset_days` moves it (-7: a week before), at `time_of_day` in `tz`.
    A date that cannot be moved or placed in time (near year 1 or 9999, a customer's trait) never fires.
    """
    try:
        return _next_date_occurrence(trait_value, offset_days, time_of_day, repeat, tz, now)
    except OverflowError:
        return None


def _next_date_occurrence(
    trait_value: object, offset_days: int, time_of_day: str, repeat: str, tz: str, now: dt.datetime
) -> dt.datetime | None:
    day = parse_date(trait_value)
    wanted = parse_time_of_day(time_of_day)
    if day is None or wanted is None:
        return None
    offset = dt.timedelta(days=offset_days)
    if repeat == "once":
        fire = at_local(day + offset, wanted, tz)
        return fire if fire >= now else None
    local_year = _aware(now).astimezone(zone(tz)).year
    for year in range(local_year - 1, local_year + 3):  # the offset may cross a year boundary
        fire = at_local(_anniversary(day, year) + offset, wanted, tz)
        if fire >= now:
            return fire
    return None
