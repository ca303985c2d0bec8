"""When points expire: the end of the local day N months after the local earning day, right across DST changes
(Europe/Berlin's March and October, America/New_York, a zone whose midnight is skipped), months clamped at the
month's end; and from when the expiry notice is due."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from services.loyalty.domain.expiry import add_months, expires_at, notice_from
from tests.unit.loyalty_fixtures import program

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: str, year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=ZoneInfo(zone))


def test_the_briefs_example_winter_to_winter() -> None:
    # earned 2026-03-15 10:00 in Berlin, 24 months: ends with 2028-03-15 in Berlin (still CET there)
    assert expires_at(program(), local("Europe/Berlin", 2026, 3, 15, 10)) == utc(2028, 3, 15, 23)


def test_earned_in_winter_expiring_in_summer_ends_at_22_utc() -> None:
    four_months = program(expiry={"months": 4})
    assert expires_at(four_months, local("Europe/Berlin", 2026, 1, 20, 10)) == utc(2026, 5, 20, 22)


def test_earned_in_summer_expiring_in_winter_ends_at_23_utc() -> None:
    five_months = program(expiry={"months": 5})
    assert expires_at(five_months, local("Europe/Berlin", 2026, 7, 10, 10)) == utc(2026, 12, 10, 23)


def test_the_last_day_is_the_march_change_day_of_23_hours() -> None:
    # 2027-03-28 is the day Berlin moves to CEST: it ends at 22:00 UTC
    year = program(expiry={"months": 12})
    expires = expires_at(year, local("Europe/Berlin", 2026, 3, 28, 9))
    assert expires == utc(2027, 3, 28, 22)
    assert expires is not None and expires.astimezone(BERLIN) == local("Europe/Berlin", 2027, 3, 29, 0)


def test_the_last_day_is_the_october_change_day_of_25_hours() -> None:
    # 2027-10-31 is the day Berlin goes back to CET: it ends at 23:00 UTC, 25 hours after it began
    year = program(expiry={"months": 12})
    expires = expires_at(year, local("Europe/Berlin", 2026, 10, 31, 18))
    assert expires == utc(2027, 10, 31, 23)
    assert expires is not None and expires - utc(2027, 10, 30, 22) == dt.timedelta(hours=25)


def test_the_earning_day_is_the_local_one() -> None:
    # 23:30 UTC on 14 March is 00:30 on 15 March in Berlin
    assert expires_at(program(), utc(2026, 3, 14, 23, 30)) == utc(2028, 3, 15, 23)
    # 22:30 UTC on 14 July is 00:30 on 15 July in Berlin (CEST)
    assert expires_at(program(), utc(2026, 7, 14, 22, 30)) == utc(2028, 7, 15, 22)


def test_new_york_across_its_changes() -> None:
    new_york = program(time_zone="America/New_York", expiry={"months": 6})
    assert expires_at(new_york, local("America/New_York", 2026, 1, 15, 20)) == utc(2026, 7, 16, 4)  # EST -> EDT
    assert expires_at(new_york, local("America/New_York", 2026, 7, 4, 12)) == utc(2027, 1, 5, 5)  # EDT -> EST
    # 21:00 in New York on 4 July is already 5 July in UTC: the local day counts
    assert expires_at(new_york, utc(2026, 7, 5, 1)) == utc(2027, 1, 5, 5)


def test_a_zone_whose_midnight_is_skipped_ends_the_day_at_the_change() -> None:
    # Santiago skips 00:00-01:00 on 2026-09-06: 5 September ends at the change, 04:00 UTC
    santiago = program(time_zone="America/Santiago", expiry={"months": 1})
    expires = expires_at(santiago, local("America/Santiago", 2026, 8, 5, 12))
    assert expires == utc(2026, 9, 6, 4)
    assert expires is not None and expires.astimezone(ZoneInfo("America/Santiago")).hour == 1


def test_months_clamp_to_the_months_last_day() -> None:
    assert add_months(utc(2026, 1, 31, 10), 1) == utc(2026, 2, 28, 10)
    assert add_months(utc(2028, 1, 31, 10), 1) == utc(2028, 2, 29, 10)
    assert add_months(utc(2028, 2, 29, 10), 12) == utc(2029, 2, 28, 10)
    assert add_months(utc(2026, 12, 15, 10), 14) == utc(2028, 2, 15, 10)
    assert add_months(utc(2026, 3, 31, 10), -1) == utc(2026, 2, 28, 10)
    assert add_months(local("Europe/Berlin", 2026, 1, 31, 10), 1) == local("Europe/Berlin", 2026, 2, 28, 10)
    six = program(expiry={"months": 6})
    assert expires_at(six, local("Europe/Berlin", 2026, 8, 31, 12)) == utc(2027, 2, 28, 23)  # ends with 28 Feb


def test_never_expiring_points() -> None:
    assert expires_at(program(expiry={"months": None}), utc(2026, 1, 1)) is None


def test_the_notice_is_due_notice_days_local_days_before() -> None:
    ex = program()  # 30 days
    assert notice_from(ex, utc(2028, 3, 15, 23)) == utc(2028, 2, 14, 23)
    # expiring in summer (CEST), noticed from a winter midnight (CET)
    assert notice_from(ex, utc(2026, 4, 9, 22)) == utc(2026, 3, 10, 23)  # 10 April 00:00 CEST -> 11 March 00:00 CET
    assert notice_from(program(expiry={"notice_days": 0}), utc(2026, 4, 9, 22)) == utc(2026, 4, 9, 22)


@given(
    earned=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(UTC)),
    months=st.integers(min_value=1, max_value=120),
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]),
)
def test_a_lot_always_expires_at_a_local_midnight_ending_the_day_n_months_on(
    earned: dt.datetime, months: int, zone: str
) -> None:
    rules = program(time_zone=zone, expiry={"months": months})
    expires = expires_at(rules, earned)
    assert expires is not None and expires > earned
    there = expires.astimezone(ZoneInfo(zone))
    assert (there.hour, there.minute, there.second) == (0, 0, 0)
    last_day = (expires - dt.timedelta(seconds=1)).astimezone(ZoneInfo(zone)).date()
    earned_day = earned.astimezone(ZoneInfo(zone))
    assert last_day == add_months(earned_day, months).date()
    assert notice_from(rules, expires) <= expires
