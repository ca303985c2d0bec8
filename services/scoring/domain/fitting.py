"""What the predicted-LTV models share: the outcome of a fit, and maximum likelihood in log-parameter space.

The models' parameters are all positive, so the optimiser works on their logarithms: no bounds to
respect in the interesting region, and steps are relative, which suits parameters whose scales differ
by orders of magnitude (a shape near 0.2 beside a scale near 30 days). Whether a fit converged is
judged here, from first-order optimality, so that both models report it the same way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

FloatArray = NDArray[np.float64]
P = TypeVar("P")

# exp(±30) is far beyond any parameter a real data set supports: reaching it means "not identified".
LOG_BOUND = 30.0
# The fit counts as converged when no log-parameter could still improve the mean log-likelihood per
# customer by more than this per unit step (first-order optimality, independent of scipy's own flags).
GRADIENT_TOLERANCE = 1e-5
# ... and when the mean log-likelihood curves down in every direction by at least this much (relative to
# the steepest direction): a flat direction means some parameter combination is not identified.
CURVATURE_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Fit(Generic[P]):
    """A maximum-likelihood fit. `converged` False means: do not trust `params` (see `message`)."""

    params: P
    log_likelihood: float
    converged: bool
    message: str
    iterations: int
    seconds: float


# Mean log-likelihood per customer and its gradient, both with respect to the log-parameters.
Objective = Callable[[FloatArray], tuple[float, FloatArray]]


@dataclass(frozen=True)
class Maximum:
    log_params: FloatArray
    mean_log_likelihood: float
    converged: bool
    message: str
    iterations: int
    seconds: float


def maximize(objective: Objective, start: FloatArray, names: tuple[str, ...]) -> Maximum:
    """Maximise `objective` over log-parameters with L-BFGS-B; never raises for what the data do."""
    started = time.perf_counter()

    def negative(theta: FloatArray) -> tuple[float, FloatArray]:
        value, gradient = objective(theta)
        if not math.isfinite(value) or not np.all(np.isfinite(gradient)):
            # Tell the line search this point is worse than any other, so it backs off.
            return math.inf, np.zeros_like(theta)
        return -value, -gradient

    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(start)
    try:
        result = optimize.minimize(
            negative,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-10, "maxcor": 20},
        )
    except (ValueError, FloatingPointError, ArithmeticError) as exc:  # pragma: no cover - scipy internals
        return Maximum(start, math.nan, False, f"optimiser failed: {exc}", 0, time.perf_counter() - started)
    theta = _polish(objective, np.asarray(result.x, dtype=np.float64))
    value, gradient = objective(theta)
    converged, message = _judge(theta, value, gradient, names, str(result.message))
    if converged:
        converged, message = _judge_curvature(objective, theta, message)
    return Maximum(theta, value, converged, message, int(result.nit), time.perf_counter() - started)


def _polish(objective: Objective, theta: FloatArray, steps: int = 5) -> FloatArray:
    """Newton steps from where L-BFGS-B stopped. On large samples its relative-reduction test can stop it
    a hair short of the maximum (the mean log-likelihood barely changes per step); near the maximum
    Newton's method converges quadratically. A step is taken only while the likelihood curves down
    and the step improves it."""
    for _ in range(steps):
        value, gradient = objective(theta)
        if not math.isfinite(value) or float(np.max(np.abs(gradient))) <= GRADIENT_TOLERANCE / 100:
            break
        hessian = numeric_hessian(lambda point: objective(point)[1], theta)
        if not np.all(np.isfinite(hessian)) or np.linalg.eigvalsh(-hessian)[0] <= 0:
            break
        candidate = np.clip(theta - np.linalg.solve(hessian, gradient), -LOG_BOUND, LOG_BOUND)
        if not objective(candidate)[0] >= value:
            break
        theta = candidate
    return theta


def _judge(
    theta: FloatArray, value: float, gradient: FloatArray, names: tuple[str, ...], scipy_message: str
) -> tuple[bool, str]:
    if not math.isfinite(value) or not np.all(np.isfinite(gradient)) or not np.all(np.isfinite(theta)):
        return False, f"non-finite log-likelihood or gradient at the end ({scipy_message})"
    at_bound = [name for name, t in zip(names, theta, strict=True) if abs(t) >= LOG_BOUND - 1e-6]
    if at_bound:
        return False, f"{', '.join(at_bound)} ran off to 0 or infinity: the data do not identify the model"
    worst = float(np.max(np.abs(gradient)))
    if worst > GRADIENT_TOLERANCE:
        return False, f"gradient {worst:.2e} still above {GRADIENT_TOLERANCE:.0e} ({scipy_message})"
    return True, f"converged ({scipy_message})"


def _judge_curvature(objective: Objective, theta: FloatArray, message: str) -> tuple[bool, str]:
    """A maximum is only an answer if the likelihood curves down in every direction around it."""
    hessian = numeric_hessian(lambda point: objective(point)[1], theta)
    if not np.all(np.isfinite(hessian)):
        return False, "non-finite curvature at the end: no reliable maximum"
    curvature = np.linalg.eigvalsh(-hessian)
    if curvature[0] <= CURVATURE_TOLERANCE * max(1.0, float(curvature[-1])):
        return False, "the likelihood is flat in some direction: the data do not identify all parameters"
    return True, message


def numeric_hessian(gradient: Callable[[FloatArray], FloatArray], point: FloatArray) -> FloatArray:
    """Hessian by central differences of an analytic gradient (accurate to ~1e-8 relative), symmetrised."""
    size = len(point)
    hessian = np.empty((size, size))
    for i in range(size):
        step = 1e-5 * max(abs(float(point[i])), 1e-3)
        up, down = point.copy(), point.copy()
        up[i] += step
        down[i] -= step
        hessian[:, i] = (gradient(up) - gradient(down)) / (2 * step)
    return (hessian + hessian.T) / 2


def standard_errors_from(hessian: FloatArray) -> FloatArray:
    """Asymptotic standard errors: square roots of the diagonal of the inverse observed information."""
    information = -hessian
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        return np.full(len(hessian), math.nan)
    diagonal = np.diag(covariance)
    return np.where(diagonal > 0, np.sqrt(np.abs(diagonal)), math.nan)


def distinct_weighted(values: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Distinct values and the summed weight of each (values with zero total weight dropped)."""
    if len(values) == 0:
        return np.empty(0), np.empty(0)
    distinct, inverse = np.unique(values, return_inverse=True)
    totals = np.bincount(inverse, weights=weights, minlength=len(distinct)).astype(np.float64)
    keep = totals > 0
    return distinct[keep], totals[keep]


def distinct_counts(counts: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """`distinct_weighted` for whole non-negative numbers, by counting instead of sorting when they are small."""
    if len(counts) == 0 or counts.max() > 4 * len(counts) + 1024:
        return distinct_weighted(counts, weights)
    totals = np.bincount(counts.astype(np.int64), weights=weights).astype(np.float64)
    distinct = np.flatnonzero(totals > 0)
    return distinct.astype(np.float64), totals[distinct]


def dot(u: FloatArray, v: FloatArray) -> float:
    """Inner product without BLAS: its threads cost more than they save on vectors of this size, 2 cores."""
    return float(np.einsum("i,i->", u, v))


def as_float_array(values: object, name: str) -> FloatArray:
    """A 1-d float64 array of finite values, or ValueError naming `name`."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has NaN or infinite values")
    return array


def check_weights(weights: object | None, size: int) -> FloatArray:
    if weights is None:
        return np.ones(size)
    array = as_float_array(weights, "weights")
    if len(array) != size:
        raise ValueError(f"weights has {len(array)} values for {size} customers")
    if np.any(array < 0):
        raise ValueError("weights must not be negative")
    return array


def positive_finite(name: str, value: float) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"parameter {name} must be positive and finite, got {value!r}")
    return number
