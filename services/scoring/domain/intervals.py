"""80% intervals (p10, p90) of each customer's purchases and revenue to come, and of a workspace's monthly totals.

Two sources of uncertainty are combined (docs/scoring-intervals.md has the derivations):

1. Parameter uncertainty. The BG/NBD maximum-likelihood estimate of theta = log(r, alpha, a, b) is
   asymptotically normal with covariance Sigma = (-H)^-1, H the Hessian of the summed log-likelihood in the
   log-parameters at the estimate (`log_covariance`). `parameter_draws` takes DRAWS = 16 draws
   theta_s = theta_hat +- L z_s (L L' = Sigma, 8 standard normal z_s from the fixed seed SEED, each used with
   both signs: antithetic pairs keep the draws centred on the estimate). The same model always gives the same
   draws, so the event path and the refit path agree. Without a covariance (default parameters, a fit from
   before intervals existed, a singular information) the estimate alone is used.

2. The purchase process's own variance. Given (x, t_x, T) and the parameters, the number X of purchases in
   (T, T + t] has the BG/NBD predictive distribution (Fader, Hardie and Lee 2005; Fader and Hardie, "Deriving
   the conditional PMF of the BG/NBD model"): dead at T (probability 1 - P(alive)) means X = 0; alive, the
   posterior is lambda ~ Gamma(r + x, alpha + T), p ~ Beta(a, b + x), independent, and
       P(X = 0 | alive) = P(N = 0)
       P(X = k | alive) = E[(1-p)^(k-1)] (P(N = k) + P(N > k) a / (a + b + x + k - 1)),  k >= 1
   with N ~ NBD(r + x, t / (alpha + T + t)) the purchases a live customer makes, and
   E[(1-p)^(k-1)] = B(a, b + x + k - 1) / B(a, b + x). All terms follow by recurrences in k.

The predictive distribution used is the mixture over the draws (their average PMF). Counts are discrete: a
plain quantile of a distribution with most of its mass at 0 covers far more than 80%. The interval is
therefore given on the continuous scale where k purchases fill [k, k + 1) uniformly (the jittered count
X + U, U ~ Uniform(0, 1)): its CDF is the PMF's CDF interpolated linearly, and its 10% and 90% quantiles
bound an interval that holds X + U with probability exactly 0.8. Read: floor(p90) is the largest whole number
of purchases inside; a realised count k is covered for the share of [k, k + 1) inside [p10, p90]
(`coverage`), which is 0.8 on average when the model is right.

Revenue (and so CLV) adds the Gamma-Gamma posterior of the customer's spend: given X = k purchases and the
customer's spend rate nu ~ Gamma(q + p x, v + x m) (posterior, Fader, Hardie and Lee 2005b), revenue is
Gamma(p k, nu). Its distribution is an atom P(X = 0) at 0 plus a positive part whose mean and variance are
exact (from the mixture PMF's first two moments and E[1/nu], E[1/nu^2]); the positive part is approximated by
the Gamma distribution with that mean and variance. CLV bounds are the revenue bounds times the customer's
discount ratio (discounted over undiscounted expected revenue): the purchases' timing within the year is
replaced by its expectation. Where P(X = 0) >= 10% the lower bound is 0 and the interval covers the atom
whole (up to 90%: money has no "jitter"). Gamma-Gamma's own parameters are taken at their estimate.

Workspace totals per month (`monthly_forecast`) are sums over many customers, so normal: their mean is the sum of
the customers' expectations at the estimate; their variance the process variance (the sum of the customers'
compound variances; purchases are rare within a month, so Var(revenue_i) ~ E[X_i] E[z_i^2], z_i one purchase's
value under the spend posterior) plus the parameter variance J Sigma J' by the delta method (J the total's
gradient in the log-parameters, by central differences). The parameter part is common to every customer: it is
not averaged away by the sum, and dominates for large workspaces.

Everything is vectorised over customers in blocks of BLOCK (the arrays are draws x customers), and a customer
leaves the recurrence as soon as its quantiles are found and its PMF holds all but TAIL of the mass. The moments
are so cut short by about TAIL x the purchases of a live customer: relatively more only for customers almost
surely gone (P(X = 0) > 90%), whose revenue bounds are 0 anyway.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from services.scoring.domain import bgnbd, gamma_gamma
from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.fitting import FloatArray
from services.scoring.domain.gamma_gamma import GammaGammaParams

DRAWS = 16  # parameter draws: 8 antithetic pairs
SEED = 20_050_402  # fixed: the same model gives the same draws, so the same scores
LOW, HIGH = 0.1, 0.9  # the 80% interval
TAIL = 1e-4  # a customer's PMF is followed until it holds all but this much of the mass
MAX_PURCHASES = 100_000  # a guard on the recurrence; no model of a real workspace comes near
DELTA_STEP = 1e-4  # central differences in the log-parameters for the totals' delta method
Z_LOW = float(special.ndtri(LOW))  # -1.2816: the normal's 10% quantile
BLOCK = 16_384  # customers per block: DRAWS x BLOCK doubles are 2 MiB per temporary


def log_covariance(params: BgNbdParams, x: object, t_x: object, t_cal: object) -> FloatArray | None:
    """Sigma = (-H)^-1 in the log-parameters log(r, alpha, a, b) at the estimate; None if not positive definite."""
    hessian = bgnbd.log_parameter_hessian(params, x, t_x, t_cal)
    if not np.all(np.isfinite(hessian)):
        return None
    try:
        np.linalg.cholesky(-hessian)
        covariance = np.linalg.inv(-hessian)
        np.linalg.cholesky(covariance)
    except np.linalg.LinAlgError:
        return None
    result: FloatArray = (covariance + covariance.T) / 2
    return result


def parameter_draws(params: BgNbdParams, covariance: FloatArray | None, draws: int = DRAWS) -> FloatArray:
    """Draws of (r, alpha, a, b), one per row: the estimate alone without a covariance (module docstring)."""
    point = np.log([params.r, params.alpha, params.a, params.b])
    if covariance is None:
        return np.exp(point)[None, :]
    if draws < 2 or draws % 2:
        raise ValueError(f"draws must be even and at least 2, got {draws}")
    lower = np.linalg.cholesky(np.asarray(covariance, dtype=np.float64))
    normal = np.random.default_rng(SEED).standard_normal((draws // 2, 4))
    steps = normal @ lower.T
    result: FloatArray = np.exp(np.clip(point + np.concatenate([steps, -steps]), -30.0, 30.0))
    return result


@dataclass(frozen=True)
class PurchaseDistribution:
    """Per customer: the 80% interval of purchases in the horizon (continuous-count scale, module docstring),
    P(no purchase), and the first two moments of the count (the mixture over parameter draws)."""

    p10: FloatArray
    p90: FloatArray
    p_zero: FloatArray
    mean: FloatArray
    second_moment: FloatArray


def purchase_distribution(draws: FloatArray, t: float, x: object, t_x: object, t_cal: object) -> PurchaseDistribution:
    """The predictive distribution of purchases in the next `t` time units of each customer (module docstring)."""
    xs, recency, age = bgnbd.validated(x, t_x, t_cal)
    if not (math.isfinite(t) and t > 0):
        raise ValueError(f"t must be positive and finite, got {t}")
    # Customers with the same (x, t_x, T) share their distribution: in whole days there are far fewer distinct
    # triples than customers (everyone without a repeat purchase has t_x = 0: one triple per age).
    triples, inverse = _distinct_triples(xs, recency, age)
    n = triples.shape[1]
    out = [np.empty(n) for _ in range(5)]
    for start in range(0, n, BLOCK):
        block = slice(start, start + BLOCK)
        values = _block(draws, t, triples[0, block], triples[1, block], triples[2, block])
        for target, value in zip(out, values, strict=True):
            target[block] = value
    return PurchaseDistribution(*(values[inverse] for values in out))


def _distinct_triples(x: FloatArray, t_x: FloatArray, t_cal: FloatArray) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """The distinct (x, t_x, t_cal) as columns, and each customer's column (one lexsort: np.unique(axis=1) is
    several times slower)."""
    order = np.lexsort((t_cal, t_x, x))
    ordered = np.stack([x[order], t_x[order], t_cal[order]])
    new = np.ones(len(x), dtype=bool)
    new[1:] = np.any(ordered[:, 1:] != ordered[:, :-1], axis=0)
    inverse = np.empty(len(x), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return ordered[:, new], inverse


def _p_alive(r: FloatArray, alpha: FloatArray, a: FloatArray, b: FloatArray, x: FloatArray, t_x: FloatArray,
             t_cal: FloatArray) -> FloatArray:  # fmt: skip
    repeat = x > 0
    b_x = np.where(repeat, b + x - 1.0, 1.0)
    d = np.log(a) - np.log(b_x) + (r + x) * (np.log(alpha + t_cal) - np.log(alpha + t_x))
    e = np.exp(-np.abs(d))
    alive = np.where(d >= 0, e, 1.0) / (1.0 + e)
    result: FloatArray = np.where(repeat, alive, 1.0)
    return result


def _block(
    draws: FloatArray, t: float, x: FloatArray, t_x: FloatArray, t_cal: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    n = len(x)
    r, alpha, a, b = (draws[:, i : i + 1] for i in range(4))
    alive = _p_alive(r, alpha, a, b, x, t_x, t_cal)  # draws x customers
    rx = r + x
    bx = b + x
    age = alpha + t_cal
    log_none = rx * (np.log(age) - np.log(age + t))  # log P(N = 0)
    z = t / (age + t)
    nb = np.exp(log_none)
    more = -np.expm1(log_none)  # P(N > k), k = 0
    pmf0 = np.mean(1.0 - alive + alive * nb, axis=0)

    low, high = np.full(n, np.nan), np.full(n, np.nan)
    mean, second = np.zeros(n), np.zeros(n)
    cdf = pmf0.copy()
    for level, bound in ((LOW, low), (HIGH, high)):
        hit = cdf >= level
        bound[hit] = level / pmf0[hit]
    ids = np.flatnonzero(~((cdf >= 1.0 - TAIL) & np.isfinite(high)))
    # State per draw and customer, updated in place: weight = P(alive) E[(1-p)^(k-1)], nb = P(N = k),
    # more = P(N > k); rx, abx = a + b + x, z and a are constant.
    weight, rx, abx, a_k, z, nb, more = (
        alive[:, ids], rx[:, ids], (a + bx)[:, ids], np.broadcast_to(a, alive.shape)[:, ids], z[:, ids],
        nb[:, ids], more[:, ids],
    )  # fmt: skip
    average = np.full(len(draws), 1.0 / len(draws))
    step = np.empty_like(nb)
    k = 0
    while len(ids) and k < MAX_PURCHASES:
        k += 1
        np.add(rx, k - 1, out=step)
        step *= z
        step *= 1.0 / k
        nb *= step
        more -= nb
        np.maximum(more, 0.0, out=more)
        if k >= 2:  # E[(1-p)^(k-1)] = E[(1-p)^(k-2)] (b+x+k-2) / (a+b+x+k-2)
            np.add(abx, k - 2, out=step)
            np.divide(step - a_k, step, out=step)
            weight *= step
        np.add(abx, k - 1, out=step)
        np.divide(a_k, step, out=step)
        step *= more
        step += nb
        step *= weight
        pmf = average @ step
        before = cdf[ids]
        after = before + pmf
        cdf[ids] = after
        mean[ids] += k * pmf
        second[ids] += k * k * pmf
        for level, bound in ((LOW, low), (HIGH, high)):
            hit = np.isnan(bound[ids]) & (after >= level)
            if np.any(hit):
                chosen = ids[hit]
                bound[chosen] = k + (level - before[hit]) / np.where(pmf[hit] > 0, pmf[hit], 1.0)
        # Done: both bounds found and the mass nearly all seen (or no more to see: rounding). Customers done
        # are dropped once they are a quarter of those left (until then they go on, adding to their moments).
        done = np.isfinite(high[ids]) & ((after >= 1.0 - TAIL) | (pmf <= 0) & (k > 1))
        if np.count_nonzero(done) * 4 >= len(ids) or np.all(done):
            keep = ~done
            ids = ids[keep]
            weight, rx, abx, a_k, z, nb, more = (
                weight[:, keep],
                rx[:, keep],
                abx[:, keep],
                a_k[:, keep],
                z[:, keep],
                nb[:, keep],
                more[:, keep],
            )
            step = np.empty_like(nb)
    low = np.nan_to_num(low, nan=float(k))
    high = np.nan_to_num(high, nan=float(k + 1))
    return np.minimum(low, high), high, pmf0, mean, second


@dataclass(frozen=True)
class CustomerIntervals:
    """Per customer: expected purchases in the horizon (at the estimate) with their 80% interval, and the 80%
    interval of the (discounted) CLV."""

    expected_purchases: FloatArray
    purchases_p10: FloatArray
    purchases_p90: FloatArray
    clv_p10: FloatArray
    clv_p90: FloatArray


def customer_intervals(
    draws: FloatArray,
    bgnbd_params: BgNbdParams,
    gamma_gamma_params: GammaGammaParams,
    x: object,
    t_x: object,
    t_cal: object,
    monetary: object,
    clv: FloatArray,
    *,
    horizon: float,
) -> CustomerIntervals:
    """Intervals over `horizon` time units; `clv` is each customer's discounted expected revenue over it."""
    xs, recency, age = bgnbd.validated(x, t_x, t_cal)
    spend_values = np.asarray(monetary, dtype=np.float64)
    expected = bgnbd.expected_purchases(bgnbd_params, horizon, xs, recency, age)
    purchases = purchase_distribution(draws, horizon, xs, recency, age)
    low, high = revenue_bounds(gamma_gamma_params, xs, spend_values, purchases)
    spend = gamma_gamma.expected_spend(gamma_gamma_params, xs, spend_values)
    undiscounted = expected * spend
    ratio = np.divide(clv, undiscounted, out=np.ones_like(clv), where=undiscounted > 0)
    return CustomerIntervals(expected, purchases.p10, purchases.p90, low * ratio, high * ratio)


def spend_moments(params: GammaGammaParams, x: FloatArray, monetary: FloatArray) -> tuple[FloatArray, FloatArray]:
    """E[z] and E[z^2] of one transaction's value z ~ Gamma(p, nu), nu ~ Gamma(q + p x, v + x m) (posterior).

    E[1/nu^2] = v'^2 / ((q'-1)(q'-2)) is infinite for q' <= 2; there (q'-2) is taken as 1 (documented cap).
    Raises ValueError when q <= 1: the population mean spend does not exist."""
    if params.q <= 1:
        raise ValueError(f"q = {params.q} <= 1: the Gamma-Gamma mean spend does not exist")
    q_post = params.q + params.p * x
    v_post = params.v + np.where(x > 0, x * monetary, 0.0)
    mean = params.p * v_post / (q_post - 1.0)
    inverse_square = v_post**2 / ((q_post - 1.0) * np.where(q_post > 3.0, q_post - 2.0, 1.0))
    return mean, params.p * (1.0 + params.p) * inverse_square


def revenue_bounds(
    params: GammaGammaParams, x: FloatArray, monetary: FloatArray, purchases: PurchaseDistribution
) -> tuple[FloatArray, FloatArray]:
    """p10 and p90 of revenue: the atom P(X = 0) at 0 and a moment-matched Gamma for the rest (module docstring)."""
    if params.q <= 1:
        raise ValueError(f"q = {params.q} <= 1: the Gamma-Gamma mean spend does not exist")
    q_post = params.q + params.p * x
    v_post = params.v + np.where(x > 0, x * monetary, 0.0)
    inverse_square = v_post**2 / ((q_post - 1.0) * np.where(q_post > 3.0, q_post - 2.0, 1.0))
    spend = params.p * v_post / (q_post - 1.0)
    positive = np.clip(1.0 - purchases.p_zero, 0.0, 1.0)
    some = positive > 1e-12
    share = np.where(some, positive, 1.0)
    mean = spend * purchases.mean / share
    square = inverse_square * (params.p * purchases.mean + params.p**2 * purchases.second_moment) / share
    variance = np.maximum(square - mean**2, 1e-12 * np.maximum(mean**2, 1e-300))
    shape = np.where(some & (mean > 0), mean**2 / variance, 1.0)
    scale = np.where(some & (mean > 0), variance / np.where(mean > 0, mean, 1.0), 0.0)
    bounds = []
    for level in (LOW, HIGH):
        u = np.where(some, (level - purchases.p_zero) / share, 0.0)
        inside = some & (u > 0)
        value = np.zeros(len(x))
        value[inside] = scale[inside] * special.gammaincinv(shape[inside], np.clip(u[inside], 0.0, 1.0 - 1e-12))
        bounds.append(value)
    return bounds[0], bounds[1]


def coverage(p10: FloatArray, p90: FloatArray, actual: FloatArray) -> FloatArray:
    """The share of [k, k + 1) (k the realised count) inside [p10, p90]: the chance the interval holds X + U."""
    counts = np.asarray(actual, dtype=np.float64)
    overlap = np.minimum(p90, counts + 1.0) - np.maximum(p10, counts)
    result: FloatArray = np.clip(overlap, 0.0, 1.0)
    return result


# --- a workspace's months ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthForecast:
    expected_purchases: float
    expected_revenue: float
    revenue_p10: float
    revenue_p90: float


def monthly_forecast(
    bgnbd_params: BgNbdParams,
    covariance: FloatArray | None,
    gamma_gamma_params: GammaGammaParams,
    x: object,
    t_x: object,
    t_cal: object,
    monetary: object,
    windows: Sequence[tuple[float, float]],
) -> list[MonthForecast]:
    """For each window (start, end) in time units from now (0 <= start <= end), the customers' expected purchases
    and revenue in it with an 80% interval of the revenue total (module docstring)."""
    xs, recency, age = bgnbd.validated(x, t_x, t_cal)
    if any(not (0 <= start <= end and math.isfinite(end)) for start, end in windows):
        raise ValueError("windows must be (start, end) with 0 <= start <= end, finite")
    spend, spend_square = spend_moments(gamma_gamma_params, xs, np.asarray(monetary, dtype=np.float64))
    ends = sorted({float(v) for window in windows for v in window})
    index = {end: i for i, end in enumerate(ends)}

    def in_windows(theta: FloatArray) -> FloatArray:  # windows x customers
        params = BgNbdParams(*(float(v) for v in np.exp(theta)))
        cumulative = bgnbd.expected_purchases_by_horizon(params, ends, xs, recency, age)
        rows = [cumulative[index[float(end)]] - cumulative[index[float(start)]] for start, end in windows]
        result: FloatArray = np.maximum(np.array(rows).reshape(len(windows), len(xs)), 0.0)
        return result

    theta = np.log([bgnbd_params.r, bgnbd_params.alpha, bgnbd_params.a, bgnbd_params.b])
    point = in_windows(theta)
    revenue = point @ spend
    process = point @ spend_square
    parameter = np.zeros(len(windows))
    if covariance is not None:
        jacobian = np.empty((len(windows), 4))
        for i in range(4):
            step = np.zeros(4)
            step[i] = DELTA_STEP
            jacobian[:, i] = (in_windows(theta + step) @ spend - in_windows(theta - step) @ spend) / (2 * DELTA_STEP)
        parameter = np.einsum("wi,ij,wj->w", jacobian, covariance, jacobian)
    sd = np.sqrt(np.maximum(process + parameter, 0.0))
    return [
        MonthForecast(
            float(point[w].sum()),
            float(revenue[w]),
            max(float(revenue[w] + Z_LOW * sd[w]), 0.0),
            float(revenue[w] - Z_LOW * sd[w]),
        )
        for w in range(len(windows))
    ]
