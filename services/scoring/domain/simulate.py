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
import numpy.typing as npt

from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.fitting import FloatArray, as_float_array
from services.scoring.domain.gamma_gamma import GammaGammaParams

IntArray = npt.NDArray[np.int64]


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
    _, lifetime_purchases, arrivals = _purchases(bgnbd, ages, rng)
    x = np.minimum(lifetime_purchases, arrivals).astype(np.int64)
    t_x = _last_purchase_ages(ages, x, arrivals, rng)
    monetary, _ = _spend(spend, x, rng)
    return Simulated(x.astype(np.float64), t_x, ages, monetary)


def _purchases(
    bgnbd: BgNbdParams, ages: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Each customer's purchase rate lambda, repeat purchases before leaving J and arrivals N in (0, T]."""
    n = len(ages)
    rate = rng.gamma(bgnbd.r, 1.0 / bgnbd.alpha, n)
    dropout = rng.beta(bgnbd.a, bgnbd.b, n)
    # J ~ Geometric(p) by inversion, in floats: p may be 0 or tiny (J infinite or beyond int64).
    with np.errstate(divide="ignore", over="ignore"):
        lifetime_purchases = np.maximum(1.0, np.ceil(np.log(rng.random(n)) / np.log1p(-dropout)))
    arrivals = rng.poisson(rate * ages)
    return rate, lifetime_purchases, arrivals


def _last_purchase_ages(ages: FloatArray, x: IntArray, arrivals: IntArray, rng: np.random.Generator) -> FloatArray:
    """t_x: the x-th of N uniform arrival times in (0, T] (0 without a repeat purchase)."""
    repeat = x > 0
    t_x = np.zeros(len(ages))
    t_x[repeat] = ages[repeat] * rng.beta(x[repeat], arrivals[repeat] - x[repeat] + 1)
    return t_x


def _spend(
    spend: GammaGammaParams | None, x: IntArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray | None]:
    """Each customer's mean spend of their x repeat purchases (0 where x == 0, and everywhere without spend
    parameters), and their spend rate nu (None without spend parameters)."""
    monetary = np.zeros(len(x))
    if spend is None:
        return monetary, None
    repeat = x > 0
    nu = rng.gamma(spend.q, 1.0 / spend.v, len(x))
    totals = rng.gamma(spend.p * x[repeat], 1.0 / nu[repeat])
    monetary[repeat] = totals / x[repeat]
    return monetary, nu


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
    rate, lifetime_purchases, arrivals = _purchases(bgnbd, ages, rng)
    later = rng.poisson(rate * holdout)
    x = np.minimum(lifetime_purchases, arrivals).astype(np.int64)
    future = np.minimum(np.maximum(lifetime_purchases - arrivals, 0.0), later)
    t_x = _last_purchase_ages(ages, x, arrivals, rng)
    monetary, nu = _spend(spend, x, rng)
    revenue = np.zeros(len(ages))
    if spend is not None and nu is not None:
        buying = future > 0
        revenue[buying] = rng.gamma(spend.p * future[buying], 1.0 / nu[buying])
    return WithHoldout(Simulated(x.astype(np.float64), t_x, ages, monetary), future.astype(np.float64), revenue)
