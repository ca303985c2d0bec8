"""Gamma-Gamma: how much a customer's future transactions will be worth, on average.

Fader, Hardie and Lee (2005), "The Gamma-Gamma model of monetary value". A customer's transaction
values are Gamma(p, nu) with nu ~ Gamma(q, v) across customers, independent of how often they buy;
a customer is summarised by x (repeat transactions) and monetary (the mean of their values). The
expected spend shrinks a customer's own mean towards the population mean p v / (q - 1), the more so
the fewer transactions back it.

Only customers with x > 0 and monetary > 0 carry information; terms that depend on x alone are
computed once per distinct x, and value and analytic gradient share every intermediate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import special

from services.scoring.domain.fitting import (
    Fit,
    FloatArray,
    as_float_array,
    check_weights,
    distinct_counts,
    dot,
    maximize,
    numeric_hessian,
    positive_finite,
    standard_errors_from,
)

NAMES = ("p", "q", "v")


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    v: float

    def __post_init__(self) -> None:
        for name in NAMES:
            positive_finite(name, getattr(self, name))

    def as_dict(self) -> dict[str, float]:
        return {"p": self.p, "q": self.q, "v": self.v}

    @classmethod
    def from_dict(cls, data: Mapping[str, float]) -> GammaGammaParams:
        missing = [k for k in ("p", "q", "v") if k not in data]
        if missing:
            raise ValueError(f"Gamma-Gamma parameters lack {', '.join(missing)}")
        return cls(p=float(data["p"]), q=float(data["q"]), v=float(data["v"]))

    @property
    def mean_spend(self) -> float:
        """Population mean transaction value p v / (q - 1); infinite when q <= 1."""
        return self.p * self.v / (self.q - 1.0) if self.q > 1 else math.inf

    def with_mean_spend(self, mean: float) -> GammaGammaParams:
        """The same shapes, v rescaled so the population mean is `mean` (another currency or market)."""
        if self.q <= 1:
            raise ValueError("q must exceed 1 for the population mean spend to exist")
        return GammaGammaParams(self.p, self.q, positive_finite("mean", mean) * (self.q - 1.0) / self.p)


# For workspaces with too little history to fit: the published CDNOW estimates (946 customers with
# repeat purchases; population mean spend 6.25 x 15.44 / 2.74 = 35.22 in 1997 US dollars). The shapes
# transfer better than the scale: `DEFAULT_GAMMA_GAMMA.with_mean_spend(m)` sets the mean to a workspace's.
DEFAULT_GAMMA_GAMMA = GammaGammaParams(p=6.25, q=3.74, v=15.44)


def validated(x: object, monetary: object) -> tuple[FloatArray, FloatArray]:
    xs, spend = as_float_array(x, "x"), as_float_array(monetary, "monetary")
    if len(xs) != len(spend):
        raise ValueError(f"x and monetary differ in length ({len(xs)}, {len(spend)})")
    if len(xs) == 0:
        raise ValueError("no customers: x and monetary are empty")
    if np.any(xs < 0) or np.any(spend < 0):
        raise ValueError("x and monetary must not be negative")
    if np.any(xs != np.floor(xs)):
        raise ValueError("x counts repeat transactions and must be whole numbers")
    return xs, spend


@dataclass(frozen=True)
class _Data:
    total: float
    x_values: FloatArray  # distinct x with the total weight of each
    x_weights: FloatArray
    spent: FloatArray  # x * monetary: all repeat spend of a customer
    w: FloatArray
    wx: FloatArray
    sum_w_log_m: float
    sum_wx_log_spent: float


def _prepare(x: FloatArray, monetary: FloatArray, weights: FloatArray) -> _Data:
    used = (x > 0) & (monetary > 0) & (weights > 0)
    x, monetary, w = x[used], monetary[used], weights[used]
    distinct, totals = distinct_counts(x, w)
    spent = x * monetary
    wx = w * x
    return _Data(float(w.sum()), distinct, totals, spent, w, wx, dot(w, np.log(monetary)), dot(wx, np.log(spent)))


def _value_and_gradient(data: _Data, p: float, q: float, v: float) -> tuple[float, FloatArray]:
    """Summed log-likelihood and its gradient in (p, q, v)."""
    xv, cw = data.x_values, data.x_weights
    px = p * xv
    value = float(cw @ (special.gammaln(px + q) - special.gammaln(px))) - data.total * float(special.gammaln(q))
    value += data.total * q * math.log(v) + p * data.sum_wx_log_spent - data.sum_w_log_m
    psi_pxq = special.digamma(px + q)
    d_p = float(cw @ (xv * (psi_pxq - special.digamma(px)))) + data.sum_wx_log_spent
    d_q = float(cw @ psi_pxq) - data.total * float(special.digamma(q)) + data.total * math.log(v)
    d_v = data.total * q / v

    log_total = np.log(v + data.spent)
    weight = p * data.wx + q * data.w  # w (p x + q)
    value -= dot(weight, log_total)
    d_p -= dot(data.wx, log_total)
    d_q -= dot(data.w, log_total)
    d_v -= dot(weight, 1.0 / (v + data.spent))
    return value, np.array([d_p, d_q, d_v])


def log_likelihood(params: GammaGammaParams, x: object, monetary: object, weights: object | None = None) -> float:
    """Summed log-likelihood of the mean spends of customers with x > 0 and monetary > 0."""
    xs, spend = validated(x, monetary)
    data = _prepare(xs, spend, check_weights(weights, len(xs)))
    return _value_and_gradient(data, params.p, params.q, params.v)[0]


def gradient(params: GammaGammaParams, x: object, monetary: object, weights: object | None = None) -> FloatArray:
    """Analytic gradient of `log_likelihood` in (p, q, v)."""
    xs, spend = validated(x, monetary)
    data = _prepare(xs, spend, check_weights(weights, len(xs)))
    return _value_and_gradient(data, params.p, params.q, params.v)[1]


def fit(x: object, monetary: object, initial: GammaGammaParams | None = None) -> Fit[GammaGammaParams]:
    """Maximum-likelihood parameters from customers with x > 0 and monetary > 0 (others are ignored)."""
    started = time.perf_counter()
    xs, spend = validated(x, monetary)
    data = _prepare(xs, spend, np.ones(len(xs)))
    if data.total == 0:
        start = initial or DEFAULT_GAMMA_GAMMA
        message = "no customer with a repeat purchase of positive value: the data cannot identify the model"
        return Fit(start, 0.0, False, message, 0, time.perf_counter() - started)
    start = initial or GammaGammaParams(p=2.0, q=3.0, v=float(data.spent.sum() / data.wx.sum()))

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(theta)
        value, grad = _value_and_gradient(data, *(float(p) for p in params))
        return value / data.total, grad * params / data.total

    best = maximize(objective, np.log([start.p, start.q, start.v]), NAMES)
    p, q, v = (float(value) for value in np.exp(best.log_params))
    return Fit(
        GammaGammaParams(p, q, v),
        best.mean_log_likelihood * data.total,
        best.converged,
        best.message,
        best.iterations,
        time.perf_counter() - started,
    )


def standard_errors(params: GammaGammaParams, x: object, monetary: object) -> dict[str, float]:
    """Asymptotic standard errors at `params` (a maximum) from the observed information; NaN if singular."""
    xs, spend = validated(x, monetary)
    data = _prepare(xs, spend, np.ones(len(xs)))

    def grad(point: FloatArray) -> FloatArray:
        return _value_and_gradient(data, *(float(p) for p in point))[1]

    errors = standard_errors_from(numeric_hessian(grad, np.array([params.p, params.q, params.v])))
    return {name: float(e) for name, e in zip(NAMES, errors, strict=True)}


def expected_spend(params: GammaGammaParams, x: object, monetary: object) -> FloatArray:
    """E[mean transaction value | x, monetary] = p (v + x m) / (p x + q - 1); p v / (q - 1) for x == 0.

    Raises ValueError when q <= 1: the population mean, and so the expectation, does not exist.
    """
    xs, spend = validated(x, monetary)
    if params.q <= 1:
        raise ValueError(f"q = {params.q} <= 1: the Gamma-Gamma mean spend does not exist")
    spent = np.where(xs > 0, xs * spend, 0.0)
    result: FloatArray = params.p * (params.v + spent) / (params.p * xs + params.q - 1.0)
    return result
