"""Scores of many customers at once, and what a refit keeps (no I/O)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from services.scoring.domain import bgnbd, rfm
from services.scoring.domain.scoring import MIN_CUSTOMERS_TO_FIT, Inputs, Model, refit, score
from services.scoring.domain.simulate import simulate, whole_day_ages


def row(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "purchase_days": 0,
        "t_x_days": None,
        "t_cal_days": None,
        "recency_days": None,
        "net_revenue": 0,
        "repeat_revenue": 0,
        "visits_30d": 0,
        "visits_prior_90d": 0,
        "open_tickets": 0,
        "last_nps": None,
        "last_csat": None,
    }
    return base | overrides


def buyer(days: int, first_ago: int, last_ago: int, revenue: float, repeat: float, **extra: Any) -> dict[str, Any]:
    return row(
        purchase_days=days,
        t_x_days=first_ago - last_ago,
        t_cal_days=first_ago,
        recency_days=last_ago,
        net_revenue=revenue,
        repeat_revenue=repeat,
        **extra,
    )


def test_customers_without_purchases_get_no_rfm_and_say_so() -> None:
    scores = score(Inputs.from_rows([row(visits_30d=3)]), Model.default())
    assert scores.rfm_segment[0] is None
    assert (scores.r[0], scores.f[0], scores.m[0]) == (0, 0, 0)
    assert math.isnan(scores.p_alive[0])
    assert scores.predicted_clv[0] == 0 and scores.expected_purchases_90d[0] == 0
    assert scores.ltv_basis[0] == "no_purchases"


def test_a_frequent_recent_big_spender_outranks_a_lapsed_one_time_buyer() -> None:
    inputs = Inputs.from_rows(
        [
            buyer(12, first_ago=360, last_ago=3, revenue=2400, repeat=2200),
            buyer(1, first_ago=400, last_ago=400, revenue=20, repeat=0),
        ]
    )
    scores = score(inputs, Model.default())
    assert scores.rfm_segment[0] == "Champions"
    assert scores.rfm_segment[1] in {"Lost", "Hibernating"}
    assert scores.p_alive[0] > scores.p_alive[1] or scores.p_alive[1] == 1.0  # x == 0: P(alive) is 1 by the model
    assert scores.predicted_clv[0] > scores.predicted_clv[1] > 0
    assert scores.ltv_basis.tolist() == ["default_parameters", "default_parameters"]
    assert scores.usual_gap_days[0] == (360 - 3) / 11 and math.isnan(scores.usual_gap_days[1])


def test_an_overdue_customer_with_open_tickets_is_high_risk() -> None:
    inputs = Inputs.from_rows(
        [buyer(6, first_ago=300, last_ago=200, revenue=300, repeat=250, open_tickets=2, last_nps=3)]
    )
    scores = score(inputs, Model.default())
    assert scores.churn_risk[0] == "high"
    assert scores.churn_flags[0] != 0


def test_scores_are_a_pure_function_of_inputs_and_model() -> None:
    rows = [buyer(3 + i % 4, first_ago=200 + i, last_ago=i, revenue=50 + i, repeat=30 + i) for i in range(50)]
    first, second = score(Inputs.from_rows(rows), Model.default()), score(Inputs.from_rows(rows), Model.default())
    for name in ("r", "f", "m", "p_alive", "predicted_clv", "churn_flags"):
        assert np.array_equal(getattr(first, name), getattr(second, name))


def test_clocks_that_disagree_never_give_a_negative_age() -> None:
    # A purchase stamped in the future by a producer's clock: recency and age are clamped at zero.
    scores = score(Inputs.from_rows([buyer(2, first_ago=-1, last_ago=-1, revenue=10, repeat=5)]), Model.default())
    assert 0 <= scores.p_alive[0] <= 1 and math.isfinite(scores.predicted_clv[0])


def simulated_rows(n: int, seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    ages = whole_day_ages(n, rng, max_days=365) + 1
    data = simulate(replace(bgnbd.DEFAULT_BGNBD_DAYS, alpha=20.0), ages, rng)
    rows = []
    for x, t_x, t_cal in zip(data.x, np.floor(data.t_x), data.t_cal, strict=True):
        spend = 30.0 * (1 + x) * rng.gamma(6.0, 1 / 6.0)
        rows.append(buyer(int(x) + 1, int(t_cal), int(t_cal - t_x), spend, spend * x / (x + 1)))
    return rows


def test_a_refit_on_enough_history_fits_and_marks_the_model_fitted() -> None:
    outcome = refit(Inputs.from_rows(simulated_rows(3000, seed=3)), Model.default())
    assert outcome.converged and outcome.note is None
    assert outcome.model.fitted and outcome.customers == 3000
    assert outcome.model.bgnbd != bgnbd.DEFAULT_BGNBD_DAYS
    assert score(Inputs.from_rows(simulated_rows(5, seed=4)), outcome.model).ltv_basis[0] == "model"


def test_too_little_history_keeps_the_defaults_and_says_so() -> None:
    rows = simulated_rows(MIN_CUSTOMERS_TO_FIT - 1, seed=5)
    outcome = refit(Inputs.from_rows(rows), Model.default())
    assert not outcome.converged and not outcome.model.fitted
    assert outcome.note is not None and "too little history" in outcome.note
    assert outcome.model.bgnbd == bgnbd.DEFAULT_BGNBD_DAYS
    assert outcome.model.rfm != rfm.DEFAULT_BOUNDARIES  # quintiles are refitted on any sample


def test_a_fit_that_does_not_converge_keeps_the_previous_parameters() -> None:
    previous = Model(
        bgnbd.BgNbdParams(r=0.5, alpha=25.0, a=0.9, b=3.0), Model.default().gamma_gamma, rfm.DEFAULT_BOUNDARIES, True
    )
    # Everyone buys every ten days right up to today: nobody ever drops out, so the data cannot
    # identify the dropout distribution (its likelihood is flat).
    rows = [
        buyer(int(age / 10) + 1, first_ago=age, last_ago=0, revenue=10 * age, repeat=age) for age in range(100, 400, 3)
    ]
    outcome = refit(Inputs.from_rows(rows), previous)
    assert not outcome.converged
    assert outcome.model.bgnbd == previous.bgnbd and outcome.model.fitted
    assert outcome.note is not None and "previous parameters kept" in outcome.note
