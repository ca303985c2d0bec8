"""A journey's measured lift: enrolled against held-out customers, with 95% confidence intervals (pure).

- **Conversion rate**: the difference of two proportions with Newcombe's hybrid score interval (Newcombe 1998,
  method 10: built from each group's Wilson score interval). Unlike the Wald interval it stays inside [-1, 1],
  behaves at rates near 0 or 1 and with small groups, and needs no continuity correction.
- **Revenue per customer**: the difference of two means with Welch's t interval (unequal variances,
  Welch-Satterthwaite degrees of freedom), from each group's count, sum and sum of squares (computed by SQL).
  Without two customers in each group, or with no variance at all, there is no interval (null bounds).
A group without customers gives no difference at all (null).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from scipy.stats import norm, t

CONFIDENCE = 0.95
Z = float(norm.ppf(0.5 + CONFIDENCE / 2))  # 1.959964...


@dataclass(frozen=True)
class GroupSums:
    """One group's aggregates: customers, conversions, and per-customer revenue's sum and sum of squares."""

    n: int
    converted: int
    revenue: Decimal
    revenue_squares: Decimal

    @property
    def rate(self) -> float | None:
        return self.converted / self.n if self.n else None

    @property
    def mean(self) -> float | None:
        return float(self.revenue / self.n) if self.n else None

    @property
    def variance(self) -> float | None:
        """The sample variance of per-customer revenue (exact in Decimal, then a float); None below two."""
        if self.n < 2:
            return None
        return float(max(Decimal(0), (self.revenue_squares - self.revenue * self.revenue / self.n) / (self.n - 1)))


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float | None
    high: float | None
    method: str


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson's score interval of a proportion k / n (n > 0)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(k1: int, n1: int, k2: int, n2: int, z: float = Z) -> Interval | None:
    """p1 - p2 with Newcombe's hybrid score interval; None when a group is empty."""
    if n1 == 0 or n2 == 0:
        return None
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Interval(d, low, high, "newcombe_wilson")


def welch(a: GroupSums, b: GroupSums, confidence: float = CONFIDENCE) -> Interval | None:
    """mean(a) - mean(b) with Welch's t interval; None when a group is empty, null bounds when it cannot say."""
    if a.n == 0 or b.n == 0:
        return None
    mean_a, mean_b = a.mean, b.mean
    assert mean_a is not None and mean_b is not None
    d = mean_a - mean_b
    var_a, var_b = a.variance, b.variance
    if var_a is None or var_b is None:
        return Interval(d, None, None, "welch_t")
    wa, wb = var_a / a.n, var_b / b.n
    se2 = wa + wb
    if se2 <= 0:
        return Interval(d, None, None, "welch_t")
    df = se2 * se2 / (wa * wa / (a.n - 1) + wb * wb / (b.n - 1))
    half = float(t.ppf(0.5 + confidence / 2, df)) * math.sqrt(se2)
    return Interval(d, d - half, d + half, "welch_t")
