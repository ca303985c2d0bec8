"""The reports' arithmetic, one rule for all of them (overview, growth reports, KPI tree): pure, no I/O.

Money is computed from the services' exact decimal sums and only then rounded to the cent, half up (away from zero);
ratios and other numbers to 4 decimals, days to 2, half up too. A quotient is kept as an exact fraction until it is
rounded; a float a service answered is taken as the decimal it wrote (its shortest repr), never as its binary value.

The report periods: [from, to) with the previous period of the same length just before it, and the days of
marketing spend a period counts (spend is kept per day).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Exact = Fraction | Decimal | int
Number = int | float | Decimal | None  # a figure as a service answers it
Figure = Exact | float | None  # ... or as a report computes it
Unit = Literal["count", "ratio", "money", "days", "number"]

DEFAULT_SPAN = dt.timedelta(days=30)
MAX_SPAN = dt.timedelta(days=3660)  # ten years: beyond that a "previous period" means little
MIDNIGHT = dt.time(0, tzinfo=dt.UTC)


# --- rounding ---------------------------------------------------------------------------------------


def exact(value: Exact | float) -> Fraction:
    """The exact value of a figure: a float as the decimal it reads as (0.1 is 1/10, not its binary neighbour)."""
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def rounded(value: Exact | float, places: int) -> Decimal:
    """`value` rounded half up (away from zero) to `places` decimals, from its exact value (a quotient is kept as a
    fraction until here: 100.005 / (100 / 3) is 3.00015, which a 28-digit decimal division could put either side
    of the half)."""
    scaled = exact(value) * 10**places
    units = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-units if scaled < 0 else units).scaleb(-places)


def money(value: Exact | float | None) -> str | None:
    """An amount as the reports show it: a decimal string to the cent, rounded half up."""
    return None if value is None else str(rounded(value, 2))


def four(value: Figure) -> float | None:
    """A number to 4 decimals (half up)."""
    return None if value is None else float(rounded(value, 4))


def ratio(numerator: Figure, denominator: Figure) -> float | None:
    """numerator / denominator to 4 decimals (half up), exactly; None when either is None or the denominator
    is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return four(exact(numerator) / exact(denominator))


def relative_change(value: Figure, previous: Figure) -> float | None:
    """(value - previous) / |previous|, to 4 decimals (half up); None when either is missing or previous is 0."""
    if value is None or previous is None or previous == 0:
        return None
    return ratio(exact(value) - exact(previous), abs(exact(previous)))


def shown(value: Figure, unit: Unit) -> int | float | str | None:
    """A figure as the API shows it: money a decimal string to the cent, counts whole, days to 2 decimals, ratios
    and other numbers to 4 (all half up)."""
    if value is None:
        return None
    if unit == "money":
        return money(value)
    if unit == "count":
        return int(value)
    if unit == "days":
        return float(rounded(value, 2))
    return four(value)


def in_currency(amount_currency: str | None, currency: str | None) -> bool:
    """Whether an amount in `amount_currency` counts in a report in the workspace's `currency`: an amount without a
    currency counts as in it, and with no report currency set every amount counts (nothing is converted)."""
    return currency is None or amount_currency is None or amount_currency == currency


# --- periods ----------------------------------------------------------------------------------------


def report_periods(
    since: dt.datetime | None, until: dt.datetime | None, now: dt.datetime
) -> tuple[tuple[dt.datetime, dt.datetime], tuple[dt.datetime, dt.datetime]]:
    """The period [since, until) (defaults: until now, since 30 days before until) and the period of the
    same length just before it. Raises ValueError naming what is wrong."""
    try:
        until = until or now
        since = since or until - DEFAULT_SPAN
        if since >= until:
            raise ValueError("`from` must be before `to`")
        span = until - since
        if span > MAX_SPAN:
            raise ValueError(f"the period may span at most {MAX_SPAN.days} days")
        return (since, until), (since - span, since)
    except OverflowError:
        raise ValueError("the previous period would start before the year 1") from None


def spend_days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The UTC days [first, last) that start in [start, end), whose marketing spend a report over the period counts
    (a day 2026-05-01 counts for from=2026-05-01T00:00Z but not for from=2026-05-01T08:00Z); None when no day
    does."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    first = start.date() if start.timetz() == MIDNIGHT else start.date() + dt.timedelta(days=1)
    last = end.date() if end.timetz() == MIDNIGHT else end.date() + dt.timedelta(days=1)
    return (first, last) if first < last else None
