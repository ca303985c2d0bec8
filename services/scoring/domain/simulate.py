"""Customers drawn from known BG/NBD and Gamma-Gamma parameters, for tests and the benchmark.

Exact simulation of the models' stories, vectorised: lambda ~ Gamma(r, alpha), p ~ Beta(a, b); the
number of repeat purchases before leaving J ~ Geometric(p) (one can only leave right after a repeat
purchase); N ~ Poisson(lambda T) arrivals in (0, T]; x = min(J, N). Given N, arrival times are
uniform order statistics, so the x-th of N is T x Beta(x, N - x + 1) -- no per-purchase loop.
Spend: nu ~ Gamma(q, v), and the sum of x values Gamma(p, nu) is Gamma(p x, nu).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.fitting import FloatArray, as_float_array
from services.scoring.domain.gamma_gamma import GammaGammaParams


@dataclass(frozen=True)
class Simulated:
    x: FloatArray
    t_x: FloatArray
    t_cal: FloatArray
    monetary: FloatArray  # 0 where x == 0, and everywhere without spend parameters


def simulate(
    bgnbd: BgNbdParams,
    t_cal: object,
    rng: np.random.Generator,
    spend: GammaGammaParams | None = None,
) -> Simulated:
    """One customer per entry of `t_cal` (their ages at the end of observation, in alpha's time unit)."""
    ages = as_float_array(t_cal, "t_cal")
    if np.any(ages < 0):
        raise ValueError("t_cal must not be negative")
    n = len(ages)
    rate = rng.gamma(bgnbd.r, 1.0 / bgnbd.alpha, n)
    dropout = rng.beta(bgnbd.a, bgnbd.b, n)
    # J ~ Geometric(p) by inversion, in floats: p may be 0 or tiny (J infinite or beyond int64).
    with np.errstate(divide="ignore", over="ignore"):
        lifetime_purchases = np.maximum(1.0, np.ceil(np.log(rng.random(n)) / np.log1p(-dropout)))
    arrivals = rng.poisson(rate * ages)
    x = np.minimum(lifetime_purchases, arrivals).astype(np.int64)
    repeat = x > 0
    t_x = np.zeros(n)
    t_x[repeat] = ages[repeat] * rng.beta(x[repeat], arrivals[repeat] - x[repeat] + 1)
    monetary = np.zeros(n)
    if spend is not None:
        nu = rng.gamma(spend.q, 1.0 / spend.v, n)
        totals = rng.gamma(spend.p * x[repeat], 1.0 / nu[repeat])
        monetary[repeat] = totals / x[repeat]
    return Simulated(x.astype(np.float64), t_x, ages, monetary)


def whole_day_ages(n: int, rng: np.random.Generator, max_days: int, unit_days: float = 1.0) -> FloatArray:
    """Ages of customers acquired on uniformly random days of the last `max_days`, as real data have."""
    if n < 0 or max_days < 1:
        raise ValueError("n must not be negative and max_days must be at least 1")
    days: FloatArray = rng.integers(0, max_days, n).astype(np.float64)
    return days / unit_days


@dataclass(frozen=True)
class WithHoldout:
    calibration: Simulated
    holdout: FloatArray  # purchases in (t_cal, t_cal + holdout], the period after calibration
    holdout_revenue: FloatArray  # their total value (0 without spend parameters)


def simulate_with_holdout(
    bgnbd: BgNbdParams,
    t_cal: object,
    holdout: float,
    rng: np.random.Generator,
    spend: GammaGammaParams | None = None,
) -> WithHoldout:
    """As `simulate`, and each customer's purchases (and their value) in the `holdout` time units after t_cal.

    The J-th repeat purchase is the last (J ~ Geometric(p)); a customer alive at t_cal (J > N) makes
    min(J - N, N') more, N' ~ Poisson(lambda holdout)."""
    ages = as_float_array(t_cal, "t_cal")
    if np.any(ages < 0) or not holdout >= 0:
        raise ValueError("t_cal and holdout must not be negative")
    n = len(ages)
    rate = rng.gamma(bgnbd.r, 1.0 / bgnbd.alpha, n)
    dropout = rng.beta(bgnbd.a, bgnbd.b, n)
    with np.errstate(divide="ignore", over="ignore"):
        lifetime_purchases = np.maximum(1.0, np.ceil(np.log(rng.random(n)) / np.log1p(-dropout)))
    arrivals = rng.poisson(rate * ages)
    later = rng.poisson(rate * holdout)
    x = np.minimum(lifetime_purchases, arrivals).astype(np.int64)
    future = np.minimum(np.maximum(lifetime_purchases - arrivals, 0.0), later)
    repeat = x > 0
    t_x = np.zeros(n)
    t_x[repeat] = ages[repeat] * rng.beta(x[repeat], arrivals[repeat] - x[repeat] + 1)
    monetary = np.zeros(n)
    revenue = np.zeros(n)
    if spend is not None:
        nu = rng.gamma(spend.q, 1.0 / spend.v, n)
        totals = rng.gamma(spend.p * x[repeat], 1.0 / nu[repeat])
        monetary[repeat] = totals / x[repeat]
        buying = future > 0
        revenue[buying] = rng.gamma(spend.p * future[buying], 1.0 / nu[buying])
    return WithHoldout(Simulated(x.astype(np.float64), t_x, ages, monetary), future.astype(np.float64), revenue)
