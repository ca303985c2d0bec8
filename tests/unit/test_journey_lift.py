"""A journey's lift intervals (services/journey/domain/lift.py) against published and computed values: Newcombe's
hybrid score interval (Newcombe 1998, Table II, method 10) and Welch's t interval (scipy's ttest_ind)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scipy import stats

from services.journey.domain.lift import GroupSums, newcombe, welch, wilson


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
    ],
)
def test_newcombe_matches_the_published_table(k1: int, n1: int, k2: int, n2: int, low: float, high: float) -> None:
    interval = newcombe(k1, n1, k2, n2)
    assert interval is not None
    assert interval.estimate == pytest.approx(k1 / n1 - k2 / n2)
    assert (round(interval.low or 0, 4), round(interval.high or 0, 4)) == (low, high)


def test_wilson_stays_inside_zero_and_one() -> None:
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)
    assert all(0 <= b <= 1 for k in range(11) for b in wilson(k, 10))
    assert wilson(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)  # Newcombe's single-proportion example


def test_an_empty_group_gives_no_difference() -> None:
    assert newcombe(3, 10, 0, 0) is None
    assert welch(sums([1.0, 2.0]), sums([])) is None


def sums(values: list[float], converted: int = 0) -> GroupSums:
    exact = [Decimal(str(v)) for v in values]
    return GroupSums(len(values), converted, sum(exact, Decimal(0)), sum((v * v for v in exact), Decimal(0)))


def test_welch_matches_scipy() -> None:
    enrolled = [12.5, 0, 0, 40, 7.25, 0, 99.9, 15, 0, 3.5, 60, 0]
    held_out = [0, 0, 22, 0, 5, 0, 0, 31.5]
    interval = welch(sums(enrolled), sums(held_out))
    expected = stats.ttest_ind(enrolled, held_out, equal_var=False).confidence_interval(0.95)
    assert interval is not None and interval.method == "welch_t"
    assert interval.estimate == pytest.approx(sum(enrolled) / 12 - sum(held_out) / 8)
    assert (interval.low, interval.high) == pytest.approx((expected.low, expected.high), rel=1e-9)


def test_welch_without_two_customers_or_without_variance_has_no_bounds() -> None:
    one = welch(sums([5.0]), sums([1.0, 2.0]))
    flat = welch(sums([0, 0, 0]), sums([0, 0]))
    assert one is not None and one.estimate == pytest.approx(3.5) and (one.low, one.high) == (None, None)
    assert flat is not None and flat.estimate == 0 and (flat.low, flat.high) == (None, None)
