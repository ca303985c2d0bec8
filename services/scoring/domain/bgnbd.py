"""BG/NBD: how many purchases a customer will make, and whether they are still a customer at all.

Fader, Hardie and Lee (2005), "Counting your customers the easy way: an alternative to the
Pareto/NBD model", Marketing Science 24(2). While alive a customer buys at Poisson rate lambda,
lambda ~ Gamma(r, alpha) across customers; after each repeat purchase they leave for good with
probability p, p ~ Beta(a, b). A customer is summarised by x (repeat transactions), t_x (time from the
first to the last transaction) and t_cal (the paper's T: time from the first transaction to the end
of observation), all in one time unit, which alpha carries (alpha in days = 7 x alpha in weeks).

Why the arithmetic looks the way it does: the likelihood is evaluated for a million customers a few
dozen times per fit, so terms that depend on x alone are computed once per distinct x (by weight),
customers without repeat purchases reduce to a sum over distinct t_cal, the two-term mixture is
combined with a softplus (no overflow), and value and analytic gradient share every intermediate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from services.scoring.domain.fitting import (
    Fit,
    FloatArray,
    as_float_array,
    check_weights,
    distinct_counts,
    distinct_weighted,
    dot,
    maximize,
    numeric_hessian,
    positive_finite,
    standard_errors_from,
)

NAMES = ("r", "alpha", "a", "b")


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float

    def __post_init__(self) -> None:
        for name in NAMES:
            positive_finite(name, getattr(self, name))

    def as_dict(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    @classmethod
    def from_dict(cls, data: Mapping[str, float]) -> BgNbdParams:
        missing = [k for k in ("r", "alpha", "a", "b") if k not in data]
        if missing:
            raise ValueError(f"BG/NBD parameters lack {', '.join(missing)}")
        return cls(r=float(data["r"]), alpha=float(data["alpha"]), a=float(data["a"]), b=float(data["b"]))


# For workspaces with too little history to fit: the published CDNOW estimates (FHL 2005, table 1;
# 2,357 customers, 39 weeks of calibration), alpha converted from weeks to days. A population whose
# typical customer buys about every 4 months and leaves after about 3 repeat purchases.
DEFAULT_BGNBD_DAYS = BgNbdParams(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426)

# Within this distance of a = 1 the expected-purchases formula (0/0 at a = 1) is interpolated.
NEAR_ONE = 1e-3
# Customers per block of the likelihood's hot loop: its temporaries stay in cache.
BLOCK = 65_536


def validated(x: object, t_x: object, t_cal: object) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The three summaries as float arrays, or ValueError saying what is wrong with them."""
    xs, recency, age = as_float_array(x, "x"), as_float_array(t_x, "t_x"), as_float_array(t_cal, "t_cal")
    if not len(xs) == len(recency) == len(age):
        raise ValueError(f"x, t_x and t_cal differ in length ({len(xs)}, {len(recency)}, {len(age)})")
    if len(xs) == 0:
        raise ValueError("no customers: x, t_x and t_cal are empty")
    if np.any(xs < 0) or np.any(recency < 0) or np.any(age < 0):
        raise ValueError("x, t_x and t_cal must not be negative")
    if np.any(xs != np.floor(xs)):
        raise ValueError("x counts repeat transactions and must be whole numbers")
    if np.any(recency > age):
        raise ValueError("t_x (recency) must not exceed t_cal (the customer's age, T)")
    if np.any((xs == 0) & (recency != 0)):
        raise ValueError("t_x must be 0 where x is 0 (no repeat transaction)")
    return xs, recency, age


# --- likelihood ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    """The customers regrouped for fast repeated evaluation (see the module docstring)."""

    total: float
    x_values: FloatArray  # distinct x, with the total weight of each
    x_weights: FloatArray
    zero_t_cal: FloatArray  # distinct t_cal of customers with x == 0, with their total weight
    zero_weights: FloatArray
    x: FloatArray  # customers with x > 0
    t_x: FloatArray
    t_cal: FloatArray
    w: FloatArray


def _prepare(x: FloatArray, t_x: FloatArray, t_cal: FloatArray, w: FloatArray) -> _Data:
    x_values, x_weights = distinct_counts(x, w)
    zero = x == 0
    zero_t_cal, zero_weights = distinct_weighted(t_cal[zero], w[zero])
    repeat = ~zero
    w_r, x_r = w[repeat], x[repeat]
    return _Data(float(w.sum()), x_values, x_weights, zero_t_cal, zero_weights, x_r, t_x[repeat], t_cal[repeat], w_r)


def _softplus_and_sigmoid(d: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log(1 + e^d) and 1 / (1 + e^-d) in few passes (this is the hot loop of the fit).

    e^-d overflows only for d < -709, which needs a < e^-700 (d >= log(a / (b+x-1))); the sigmoid is
    then 0 as it should be, and the softplus is recomputed with logaddexp.
    """
    with np.errstate(over="ignore"):
        one_plus = 1.0 + np.exp(-d)
    softplus = d + np.log(one_plus)
    overflowed = ~np.isfinite(softplus)
    if np.any(overflowed):
        softplus[overflowed] = np.logaddexp(0.0, d[overflowed])
    return softplus, 1.0 / one_plus


def _value_and_gradient(data: _Data, r: float, alpha: float, a: float, b: float) -> tuple[float, FloatArray]:
    """Summed log-likelihood and its gradient in (r, alpha, a, b)."""
    xv, cw = data.x_values, data.x_weights
    g = special.gammaln
    value = float(cw @ (g(r + xv) - g(r) + g(a + b) + g(b + xv) - g(b) - g(a + b + xv)))
    value += data.total * r * math.log(alpha)
    ab = special.digamma(a + b)
    psi_abx = special.digamma(a + b + xv)
    d_r = float(cw @ (special.digamma(r + xv) - special.digamma(r))) + data.total * math.log(alpha)
    d_alpha = data.total * r / alpha
    d_a = float(cw @ (ab - psi_abx))
    d_b = float(cw @ (ab + special.digamma(b + xv) - special.digamma(b) - psi_abx))

    # Customers without repeat purchases: likelihood (alpha / (alpha + T))^r.
    log_age0 = np.log(alpha + data.zero_t_cal)
    value -= r * dot(data.zero_weights, log_age0)
    d_r -= dot(data.zero_weights, log_age0)
    d_alpha -= r * dot(data.zero_weights, 1.0 / (alpha + data.zero_t_cal))

    # Repeat customers: the "still alive" term plus the "left after the last purchase" term, in
    # cache-sized blocks (large temporaries would cost more in page faults than in arithmetic).
    for start in range(0, len(data.x), BLOCK):
        block = slice(start, start + BLOCK)
        sums = _repeat_terms(data.x[block], data.t_x[block], data.t_cal[block], data.w[block], r, alpha, a, b)
        value += sums[0]
        d_r += sums[1]
        d_alpha += sums[2]
        d_a += sums[3]
        d_b += sums[4]
    return value, np.array([d_r, d_alpha, d_a, d_b])


def _repeat_terms(
    x: FloatArray, t_x: FloatArray, t_cal: FloatArray, w: FloatArray, r: float, alpha: float, a: float, b: float
) -> tuple[float, float, float, float, float]:
    age, recency = alpha + t_cal, alpha + t_x
    log_age = np.log(age)
    diff = log_age - np.log(recency)
    rx = r + x
    inv_bx = 1.0 / (b + x - 1.0)
    d = math.log(a) + np.log(inv_bx) + rx * diff
    softplus, sigmoid = _softplus_and_sigmoid(d)
    inv_age = 1.0 / age
    wrx = w * rx
    ws = w * sigmoid
    value = dot(w, softplus) - dot(wrx, log_age)
    d_r = dot(ws, diff) - dot(w, log_age)
    d_alpha = dot(ws * rx, inv_age - 1.0 / recency) - dot(wrx, inv_age)
    return value, d_r, d_alpha, float(ws.sum()) / a, -dot(ws, inv_bx)


def log_likelihood(params: BgNbdParams, x: object, t_x: object, t_cal: object, weights: object | None = None) -> float:
    """Summed log-likelihood of the customers (each counted `weights` times, default once)."""
    xs, recency, age = validated(x, t_x, t_cal)
    data = _prepare(xs, recency, age, check_weights(weights, len(xs)))
    return _value_and_gradient(data, params.r, params.alpha, params.a, params.b)[0]


def gradient(params: BgNbdParams, x: object, t_x: object, t_cal: object, weights: object | None = None) -> FloatArray:
    """Analytic gradient of `log_likelihood` in (r, alpha, a, b)."""
    xs, recency, age = validated(x, t_x, t_cal)
    data = _prepare(xs, recency, age, check_weights(weights, len(xs)))
    return _value_and_gradient(data, params.r, params.alpha, params.a, params.b)[1]


def fit(x: object, t_x: object, t_cal: object, initial: BgNbdParams | None = None) -> Fit[BgNbdParams]:
    """Maximum-likelihood BG/NBD parameters; trouble with the data shows as converged=False."""
    started = time.perf_counter()
    xs, recency, age = validated(x, t_x, t_cal)
    data = _prepare(xs, recency, age, np.ones(len(xs)))
    start = initial or _starting_point(xs, age)
    if len(data.x) == 0 or not np.any(age > 0):
        message = "no repeat purchases (or no time observed): the data cannot identify the model"
        ll = _value_and_gradient(data, start.r, start.alpha, start.a, start.b)[0]
        return Fit(start, ll, False, message, 0, time.perf_counter() - started)

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(theta)
        value, grad = _value_and_gradient(data, *(float(p) for p in params))
        return value / data.total, grad * params / data.total

    best = maximize(objective, np.log([start.r, start.alpha, start.a, start.b]), NAMES)
    r, alpha, a, b = (float(v) for v in np.exp(best.log_params))
    return Fit(
        BgNbdParams(r, alpha, a, b),
        best.mean_log_likelihood * data.total,
        best.converged,
        best.message,
        best.iterations,
        time.perf_counter() - started,
    )


def _starting_point(x: FloatArray, t_cal: FloatArray) -> BgNbdParams:
    """r = 1 and alpha matching the mean purchase rate; a = b = 1. Only the scale needs to be right."""
    rate = max(float(x.mean()), 1e-3) / max(float(t_cal.mean()), 1e-3)
    return BgNbdParams(r=1.0, alpha=1.0 / rate, a=1.0, b=1.0)


def standard_errors(params: BgNbdParams, x: object, t_x: object, t_cal: object) -> dict[str, float]:
    """Asymptotic standard errors at `params` (a maximum) from the observed information; NaN if singular."""
    xs, recency, age = validated(x, t_x, t_cal)
    data = _prepare(xs, recency, age, np.ones(len(xs)))

    def grad(point: FloatArray) -> FloatArray:
        return _value_and_gradient(data, *(float(p) for p in point))[1]

    point = np.array([params.r, params.alpha, params.a, params.b])
    errors = standard_errors_from(numeric_hessian(grad, point))
    return {name: float(e) for name, e in zip(NAMES, errors, strict=True)}


def log_parameter_hessian(params: BgNbdParams, x: object, t_x: object, t_cal: object) -> FloatArray:
    """Hessian of the summed log-likelihood in log(r, alpha, a, b) at `params` (central differences of the
    analytic gradient; the customers regrouped once)."""
    xs, recency, age = validated(x, t_x, t_cal)
    data = _prepare(xs, recency, age, np.ones(len(xs)))

    def grad(theta: FloatArray) -> FloatArray:
        natural = np.exp(theta)
        result: FloatArray = _value_and_gradient(data, *(float(p) for p in natural))[1] * natural
        return result

    return numeric_hessian(grad, np.log([params.r, params.alpha, params.a, params.b]))


# --- predictions -----------------------------------------------------------------------------------


def p_alive(params: BgNbdParams, x: object, t_x: object, t_cal: object) -> FloatArray:
    """P(still a customer at t_cal | x, t_x, t_cal): 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))."""
    xs, recency, age = validated(x, t_x, t_cal)
    return _p_alive(params, xs, recency, age)


def _p_alive(params: BgNbdParams, x: FloatArray, t_x: FloatArray, t_cal: FloatArray) -> FloatArray:
    repeat = x > 0
    b_x = np.where(repeat, params.b + x - 1.0, 1.0)
    d = math.log(params.a) - np.log(b_x) + (params.r + x) * (np.log(params.alpha + t_cal) - np.log(params.alpha + t_x))
    e = np.exp(-np.abs(d))
    alive = np.where(d >= 0, e, 1.0) / (1.0 + e)
    return np.where(repeat, alive, 1.0)


def expected_purchases(params: BgNbdParams, t: float, x: object, t_x: object, t_cal: object) -> FloatArray:
    """E[purchases in the next t time units | x, t_x, t_cal] (FHL 2005, equation 10)."""
    return discounted_expected_purchases(params, [t], [1.0], x, t_x, t_cal)


def discounted_expected_purchases(
    params: BgNbdParams,
    horizons: Sequence[float],
    discount_factors: Sequence[float],
    x: object,
    t_x: object,
    t_cal: object,
) -> FloatArray:
    """Sum over k of discount_factors[k] x E[purchases in (horizons[k-1], horizons[k]]], horizons[-1] = 0.

    E[purchases by t] = P(alive) x g(x, t_cal, t), and g does not depend on t_x: g is computed once
    per distinct (x, t_cal) pair (few, since real ages are whole days) for every horizon.
    """
    xs, recency, age = validated(x, t_x, t_cal)
    ends = np.asarray(horizons, dtype=np.float64)
    factors = np.asarray(discount_factors, dtype=np.float64)
    if ends.ndim != 1 or ends.shape != factors.shape or len(ends) == 0:
        raise ValueError("horizons and discount_factors must be non-empty sequences of equal length")
    if not np.all(np.isfinite(ends)) or np.any(ends < 0) or np.any(np.diff(ends) < 0):
        raise ValueError("horizons must be finite, non-negative and increasing")
    pair_x, pair_age, inverse = _distinct_pairs(xs, age)
    weighted = np.zeros(len(pair_x))
    previous = np.zeros(len(pair_x))
    for end, factor in zip(ends, factors, strict=True):  # a handful of horizons, each vectorised
        current = _alive_purchases(params, pair_x, pair_age, float(end))
        weighted += factor * (current - previous)
        previous = current
    result: FloatArray = _p_alive(params, xs, recency, age) * weighted[inverse]
    return result


def expected_purchases_by_horizon(
    params: BgNbdParams, horizons: Sequence[float], x: object, t_x: object, t_cal: object
) -> FloatArray:
    """E[purchases in the next horizons[k] time units], one row per horizon (as `expected_purchases`, with the
    distinct (x, t_cal) pairs and P(alive) computed once for all horizons)."""
    xs, recency, age = validated(x, t_x, t_cal)
    ends = np.asarray(horizons, dtype=np.float64)
    if ends.ndim != 1 or not np.all(np.isfinite(ends)) or np.any(ends < 0):
        raise ValueError("horizons must be finite and non-negative")
    pair_x, pair_age, inverse = _distinct_pairs(xs, age)
    alive = _p_alive(params, xs, recency, age)
    result = np.empty((len(ends), len(xs)))
    for row, end in enumerate(ends):
        result[row] = alive * _alive_purchases(params, pair_x, pair_age, float(end))[inverse]
    return result


def _distinct_pairs(x: FloatArray, t_cal: FloatArray) -> tuple[FloatArray, FloatArray, np.ndarray]:
    ages, age_code = np.unique(t_cal, return_inverse=True)
    keys, inverse = np.unique(x.astype(np.int64) * len(ages) + age_code, return_inverse=True)
    return (keys // len(ages)).astype(np.float64), ages[keys % len(ages)], inverse


def _alive_purchases(params: BgNbdParams, x: FloatArray, t_cal: FloatArray, t: float) -> FloatArray:
    """g = E[purchases in (T, T+t] | alive at T], i.e. equation 10 of FHL 2005 divided by P(alive)."""
    if t == 0:
        return np.zeros(len(x))
    z = t / (params.alpha + t_cal + t)
    log_1mz = np.log(params.alpha + t_cal) - np.log(params.alpha + t_cal + t)
    return _purchases_while_alive(params.r + x, params.a, params.b + x, z, log_1mz)


def _purchases_while_alive(k: FloatArray, a: float, beta: FloatArray, z: FloatArray, log_1mz: FloatArray) -> FloatArray:
    """E[(1 - (1 + p u)^-k) / p] for p ~ Beta(a, beta), u = z / (1 - z); for the model k = r + x, beta = b + x.

    Closed form (a+beta-1)/(a-1) [1 - (1-z)^k 2F1(k, beta; a+beta-1; z)]. Euler's transformation
    2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) makes the bracket 1 - (1-z)^(a-1) 2F1(a-1,
    a+beta-1-k; a+beta-1; z), whose first two arguments do not grow with x: accurate for heavy buyers.
    Three places need care. At a = 1 the form is 0/0: within NEAR_ONE of it, a cubic through
    a = 1 -+ h, 1 -+ 2h (h = NEAR_ONE) interpolates (error ~h^4). Where a + beta <= 1 (x = 0 with
    a + b <= 1) the third argument is not positive: Beta(a, beta) is then split into Beta(a, beta+1)
    and Beta(a+1, beta) (weights beta/(a+beta), a/(a+beta)), both fine. And where scipy's hyp2f1 gives
    up (large third argument with z near 1) the Gauss series itself, which converges fast there, is summed.
    """
    if abs(a - 1.0) < NEAR_ONE:
        nodes = 1.0 + NEAR_ONE * np.array([-2.0, -1.0, 1.0, 2.0])
        values = [_away_from_one(k, float(node), beta, z, log_1mz) for node in nodes]
        result = np.zeros(len(k))
        for j, node in enumerate(nodes):  # Lagrange basis polynomial j at a
            weight = np.prod([(a - other) / (node - other) for other in nodes if other != node])
            result += weight * values[j]
        return result
    return _away_from_one(k, a, beta, z, log_1mz)


def _away_from_one(k: FloatArray, a: float, beta: FloatArray, z: FloatArray, log_1mz: FloatArray) -> FloatArray:
    result = np.empty(len(k))
    split = a + beta <= 1.0
    if np.any(split):
        kk, bb, zz, ll = k[split], beta[split], z[split], log_1mz[split]
        result[split] = bb / (a + bb) * _purchases_while_alive(kk, a, bb + 1.0, zz, ll) + a / (
            a + bb
        ) * _purchases_while_alive(kk, a + 1.0, bb, zz, ll)
    fine = ~split
    c = a + beta[fine] - 1.0
    result[fine] = c / (a - 1.0) * -np.expm1(_log_power_times_2f1(k[fine], a, beta[fine], z[fine], log_1mz[fine]))
    return result


def _log_power_times_2f1(k: FloatArray, a: float, beta: FloatArray, z: FloatArray, log_1mz: FloatArray) -> FloatArray:
    """log[(1-z)^(a-1) 2F1(a-1, a+beta-1-k; a+beta-1; z)], with the fallbacks described above."""
    c = a + beta - 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_value = (a - 1.0) * log_1mz + np.log(special.hyp2f1(a - 1.0, c - k, c, z))
        bad = np.flatnonzero(~np.isfinite(log_value))
        if len(bad):
            direct = special.hyp2f1(k[bad], beta[bad], c[bad], z[bad])  # the untransformed form
            log_value[bad] = k[bad] * log_1mz[bad] + np.log(direct)
            bad = bad[~np.isfinite(log_value[bad])]
        if len(bad):
            series = _gauss_series(a - 1.0, c[bad] - k[bad], c[bad], z[bad])
            log_value[bad] = (a - 1.0) * log_1mz[bad] + np.log(series)
    return log_value


def _gauss_series(a: float, b: FloatArray, c: FloatArray, z: FloatArray, max_terms: int = 100_000) -> FloatArray:
    """2F1(a, b; c; z) summed term by term, vectorised; NaN where it has not converged."""
    total, term = np.ones(len(z)), np.ones(len(z))
    for n in range(max_terms):
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z
        total += term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            return total
    return np.where(np.abs(term) <= 1e-17 * np.abs(total), total, np.nan)
