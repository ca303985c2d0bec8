"""Scores for many customers at once, from their inputs and their workspace's model (numpy over arrays).

The same function scores one customer after an event and a million after a refit, so the two paths
can never disagree. Time is in whole UTC days as of one day (`as_of`): the same inputs and model give
the same scores, whenever and however often they are computed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from services.scoring.domain import bgnbd, churn, clv, gamma_gamma, intervals, rfm

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

HORIZON_DAYS = 90  # expected purchases are reported over the next 90 days
YEAR_DAYS = 365.25  # ... and, with their 80% interval and the CLV's, over the next 12 months
# Below these a workspace's own fit is not trusted: its customers get the default parameters instead.
MIN_CUSTOMERS_TO_FIT = 50
MIN_REPEAT_CUSTOMERS_TO_FIT = 10


@dataclass(frozen=True)
class Model:
    """What scoring needs from a workspace's last fit (or the documented defaults before one)."""

    bgnbd: bgnbd.BgNbdParams
    gamma_gamma: gamma_gamma.GammaGammaParams
    rfm: rfm.RfmBoundaries
    fitted: bool  # False: default parameters, said so in each customer's `ltv_basis`
    # Covariance of the BG/NBD estimate's log-parameters (intervals.py); None: intervals from the estimate alone.
    bgnbd_log_covariance: tuple[tuple[float, ...], ...] | None = None

    @classmethod
    def default(cls) -> Model:
        return cls(bgnbd.DEFAULT_BGNBD_DAYS, gamma_gamma.DEFAULT_GAMMA_GAMMA, rfm.DEFAULT_BOUNDARIES, fitted=False)

    def parameter_draws(self) -> FloatArray:
        """The BG/NBD parameter draws intervals are mixed over (the same for the same model)."""
        covariance = None if self.bgnbd_log_covariance is None else np.array(self.bgnbd_log_covariance)
        return intervals.parameter_draws(self.bgnbd, covariance)


@dataclass(frozen=True)
class Inputs:
    """One row per customer. Customers without purchases have purchase_days 0 (their day columns are nan)."""

    purchase_days: IntArray
    t_x_days: FloatArray  # first to last purchase day
    t_cal_days: FloatArray  # first purchase day to as_of
    recency_days: FloatArray  # last purchase day to as_of
    net_revenue: FloatArray
    repeat_revenue: FloatArray
    visits_30d: IntArray
    visits_prior_90d: IntArray
    open_tickets: IntArray
    last_nps: FloatArray
    last_csat: FloatArray

    @classmethod
    def from_rows(cls, rows: Sequence[Any]) -> Inputs:
        """From mappings with these keys (database rows); NULLs become nan or 0."""

        def floats(key: str) -> FloatArray:
            return np.array([np.nan if r[key] is None else float(r[key]) for r in rows], dtype=np.float64)

        def ints(key: str) -> IntArray:
            return np.array([r[key] or 0 for r in rows], dtype=np.int64)

        return cls(
            purchase_days=ints("purchase_days"),
            t_x_days=floats("t_x_days"),
            t_cal_days=floats("t_cal_days"),
            recency_days=floats("recency_days"),
            net_revenue=np.nan_to_num(floats("net_revenue")),
            repeat_revenue=np.nan_to_num(floats("repeat_revenue")),
            visits_30d=ints("visits_30d"),
            visits_prior_90d=ints("visits_prior_90d"),
            open_tickets=ints("open_tickets"),
            last_nps=floats("last_nps"),
            last_csat=floats("last_csat"),
        )

    def model_inputs(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_]]:
        """BG/NBD and Gamma-Gamma inputs in days, for purchasers: x, t_x, t_cal, monetary, and the mask."""
        buyers = self.purchase_days > 0
        x = np.where(buyers, self.purchase_days - 1, 0).astype(np.float64)
        t_x = np.where(buyers, np.nan_to_num(self.t_x_days), 0.0).clip(min=0)
        t_cal = np.maximum(np.where(buyers, np.nan_to_num(self.t_cal_days), 0.0), t_x)  # clocks may disagree
        monetary = np.divide(self.repeat_revenue, x, out=np.zeros_like(x), where=x > 0).clip(min=0)
        return x, t_x, t_cal, monetary, buyers


@dataclass(frozen=True)
class Scores:
    """One row per customer; None (object arrays) or nan where a score does not apply."""

    r: IntArray  # 0 without purchases
    f: IntArray
    m: IntArray
    rfm_segment: npt.NDArray[np.object_]
    p_alive: FloatArray
    expected_purchases_90d: FloatArray
    predicted_clv: FloatArray
    ltv_basis: npt.NDArray[np.object_]
    # 12 months ahead: expected purchases with their 80% interval, and the CLV's 80% interval (intervals.py);
    # nan for customers without purchases (0 purchases and CLV 0 for sure: the columns say 0).
    expected_purchases_12m: FloatArray
    expected_purchases_12m_p10: FloatArray
    expected_purchases_12m_p90: FloatArray
    clv_p10: FloatArray
    clv_p90: FloatArray
    usual_gap_days: FloatArray
    churn_risk: npt.NDArray[np.object_]
    churn_flags: IntArray


def score(inputs: Inputs, model: Model) -> Scores:
    x, t_x, t_cal, monetary, buyers = inputs.model_inputs()
    p_alive = np.where(buyers, bgnbd.p_alive(model.bgnbd, x, t_x, t_cal), np.nan)
    expected = np.where(buyers, bgnbd.expected_purchases(model.bgnbd, HORIZON_DAYS, x, t_x, t_cal), 0.0)
    predicted = np.where(
        buyers, clv.predicted_clv(model.bgnbd, model.gamma_gamma, x, t_x, t_cal, monetary, unit_days=1.0), 0.0
    )
    basis = np.where(buyers, "model" if model.fitted else "default_parameters", "no_purchases").astype(object)
    year = _year_intervals(model, x, t_x, t_cal, monetary, buyers, predicted)

    recency = np.where(buyers, np.nan_to_num(inputs.recency_days).clip(min=0), np.nan)
    scored = rfm.score(model.rfm, np.nan_to_num(recency), inputs.purchase_days.astype(np.float64), inputs.net_revenue)
    r, f, m = (np.where(buyers, s, 0).astype(np.int64) for s in scored)
    segment: npt.NDArray[np.object_] = rfm.segment_of(r.clip(1), f.clip(1), m.clip(1))
    segment[~buyers] = None

    usual_gap = np.divide(t_x, x, out=np.full_like(x, np.nan), where=x > 0)
    bands, flags = churn.assess(
        churn.ChurnInputs(
            p_alive=p_alive,
            recency_days=recency,
            usual_gap_days=usual_gap,
            purchase_days=inputs.purchase_days,
            visits_30d=inputs.visits_30d,
            visits_prior_90d=inputs.visits_prior_90d,
            open_tickets=inputs.open_tickets,
            last_nps=inputs.last_nps,
            last_csat=inputs.last_csat,
        )
    )
    return Scores(
        r=r,
        f=f,
        m=m,
        rfm_segment=segment,
        p_alive=p_alive,
        expected_purchases_90d=expected,
        predicted_clv=np.round(predicted, 2).astype(np.float64),
        ltv_basis=basis,
        expected_purchases_12m=year.expected_purchases,
        expected_purchases_12m_p10=year.purchases_p10,
        expected_purchases_12m_p90=year.purchases_p90,
        clv_p10=np.round(year.clv_p10, 2).astype(np.float64),
        clv_p90=np.round(year.clv_p90, 2).astype(np.float64),
        usual_gap_days=usual_gap,
        churn_risk=np.asarray(bands, dtype=object),
        churn_flags=np.asarray(flags, dtype=np.int64),
    )


def _year_intervals(
    model: Model,
    x: FloatArray,
    t_x: FloatArray,
    t_cal: FloatArray,
    monetary: FloatArray,
    buyers: npt.NDArray[np.bool_],
    predicted: FloatArray,
) -> intervals.CustomerIntervals:
    """12-month expected purchases and the 80% intervals of purchases and CLV, for purchasers (0 for the others)."""
    n = len(x)
    zeros = [np.zeros(n) for _ in range(5)]
    if not np.any(buyers):
        return intervals.CustomerIntervals(*zeros)
    b = buyers
    found = intervals.customer_intervals(
        model.parameter_draws(), model.bgnbd, model.gamma_gamma, x[b], t_x[b], t_cal[b], monetary[b], predicted[b],
        horizon=YEAR_DAYS,
    )  # fmt: skip
    for column, values in zip(zeros, dataclasses.astuple(found), strict=True):
        column[b] = values
    return intervals.CustomerIntervals(*zeros)


@dataclass(frozen=True)
class Refit:
    """The outcome of refitting a workspace: the model to score with from now on, and why it is that one."""

    model: Model
    customers: int  # purchasers the fit saw
    log_likelihood: float | None
    converged: bool
    note: str | None  # why previous or default parameters are kept, for logs, metrics and the API


def refit(inputs: Inputs, previous: Model) -> Refit:
    """Fit BG/NBD, Gamma-Gamma and the RFM quintiles to a workspace's customers.

    RFM boundaries are always refitted (quintiles work on any sample). The LTV models need enough
    history; without it the workspace keeps what it had (the defaults at first), and says so. A fit
    that does not converge keeps the previous parameters too."""
    x, t_x, t_cal, monetary, buyers = inputs.model_inputs()
    boundaries = rfm.fit_boundaries(
        np.nan_to_num(inputs.recency_days[buyers]).clip(min=0),
        inputs.purchase_days[buyers].astype(np.float64),
        inputs.net_revenue[buyers],
    )
    purchasers = int(buyers.sum())
    repeaters = int((x[buyers] > 0).sum())
    kept = Model(previous.bgnbd, previous.gamma_gamma, boundaries, previous.fitted)
    if purchasers < MIN_CUSTOMERS_TO_FIT or repeaters < MIN_REPEAT_CUSTOMERS_TO_FIT:
        note = (
            f"too little history to fit: {purchasers} purchasers, {repeaters} with repeat purchases "
            f"(needs {MIN_CUSTOMERS_TO_FIT} and {MIN_REPEAT_CUSTOMERS_TO_FIT}); "
            + ("previous parameters kept" if previous.fitted else "default parameters used")
        )
        return Refit(kept, purchasers, None, converged=False, note=note)
    # Always from the same start (not the previous fit): the same customers give the same parameters,
    # however the service got there (restarts, replays).
    bg = bgnbd.fit(x[buyers], t_x[buyers], t_cal[buyers])
    gg = gamma_gamma.fit(x[buyers], monetary[buyers])
    if not (bg.converged and gg.converged):
        failed = "; ".join(
            f"{name}: {fit.message}" for name, fit in (("BG/NBD", bg), ("Gamma-Gamma", gg)) if not fit.converged
        )
        return Refit(
            kept, purchasers, None, converged=False, note=f"fit did not converge ({failed}); previous parameters kept"
        )
    covariance = intervals.log_covariance(bg.params, x[buyers], t_x[buyers], t_cal[buyers])
    stored = None if covariance is None else tuple(tuple(float(v) for v in row) for row in covariance)
    fitted = Model(bg.params, gg.params, boundaries, fitted=True, bgnbd_log_covariance=stored)
    return Refit(fitted, purchasers, bg.log_likelihood, True, None)


# What moves a customer's p_alive or predicted CLV enough to announce it (`scores.changed`): a move of more than
# P_ALIVE_EPSILON, or of predicted CLV by more than CLV_RELATIVE_EPSILON of the announced value (at least
# CLV_MIN_EPSILON), since the last announcement. Smaller drifts accumulate until they pass it, so a threshold
# between two announcements is crossed once, at most an epsilon late.
P_ALIVE_EPSILON = 0.01
CLV_RELATIVE_EPSILON = Decimal("0.01")
CLV_MIN_EPSILON = Decimal("0.01")


def scores_moved(announced: tuple[float | None, Decimal | None], current: tuple[float | None, Decimal | None]) -> bool:
    """Whether (p_alive, predicted CLV) moved enough since `announced` to be announced again. A customer without a
    p_alive (no purchases) has nothing to announce: their CLV counts as unknown too."""
    p_before, clv_before = announced
    p_now, clv_now = current
    if p_now is None:
        clv_now = None
    if (p_before is None) != (p_now is None) or (clv_before is None) != (clv_now is None):
        return p_now is not None or p_before is not None
    if p_before is not None and p_now is not None and abs(p_now - p_before) > P_ALIVE_EPSILON:
        return True
    if clv_before is not None and clv_now is not None:
        return abs(clv_now - clv_before) > max(CLV_MIN_EPSILON, CLV_RELATIVE_EPSILON * abs(clv_before))
    return False


def moved_mask(
    announced_p: FloatArray, announced_cents: FloatArray, p_alive: FloatArray, cents: FloatArray
) -> npt.NDArray[np.bool_]:
    """`scores_moved` for many customers at once (nan: not known; CLV in whole cents, so the comparison is exact):
    |change in cents| > max(1 cent, 1% of the announced), i.e. 100 x |change| > max(100, |announced|)."""
    now_known = ~np.isnan(p_alive)
    cents = np.where(now_known, cents, np.nan)  # no p_alive: the CLV counts as unknown too
    p_flip = np.isnan(announced_p) != ~now_known
    clv_flip = np.isnan(announced_cents) != np.isnan(cents)
    flipped = (p_flip | clv_flip) & (now_known | ~np.isnan(announced_p))
    with np.errstate(invalid="ignore"):
        p_moved = np.abs(p_alive - announced_p) > P_ALIVE_EPSILON
        clv_moved = 100 * np.abs(cents - announced_cents) > np.maximum(100, np.abs(announced_cents))
    both = now_known & ~np.isnan(announced_p)
    moved: npt.NDArray[np.bool_] = flipped | (both & p_moved) | (both & ~np.isnan(announced_cents) & clv_moved)
    return moved
