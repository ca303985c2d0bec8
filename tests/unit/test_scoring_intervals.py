"""80% intervals of purchases and CLV (services/scoring/domain/intervals.py): the predictive PMF agrees with the
closed-form expectation, parameter draws are deterministic and centred, and, the acceptance test, on simulated
workspaces with three known parameter sets the intervals fitted on a calibration period cover the holdout
purchases of 80% +- 3% of customers."""

from __future__ import annotations

import numpy as np
import pytest

from services.scoring.domain import bgnbd, clv, gamma_gamma, intervals, simulate
from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.gamma_gamma import GammaGammaParams
from services.scoring.domain.scoring import Inputs, Model, score
from services.scoring.service import log_covariance_of

CDNOW_DAYS = BgNbdParams(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426)
SPEND = GammaGammaParams(p=6.25, q=3.74, v=15.44)
# Three workspaces unlike each other: CDNOW's occasional buyers, frequent buyers who churn fast, and slow steady ones.
WORLDS = {
    "cdnow": CDNOW_DAYS,
    "frequent, churning": BgNbdParams(r=1.5, alpha=40.0, a=0.4, b=3.0),
    "slow, loyal": BgNbdParams(r=0.6, alpha=12.0, a=1.5, b=6.0),
}
CUSTOMERS = 5_000
YEAR = 365.25


def customers(n: int = 2_000, seed: int = 7) -> simulate.Simulated:
    rng = np.random.default_rng(seed)
    return simulate.simulate(CDNOW_DAYS, simulate.whole_day_ages(n, rng, 730) + 1, rng, SPEND)


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_80_percent_intervals_cover_the_holdout_purchases_of_80_percent_of_customers(world: str) -> None:
    """Acceptance 2: fit on a calibration period (ages up to a year), predict the next year, count what happened."""
    rng = np.random.default_rng(sorted(WORLDS).index(world) + 2005)
    ages = simulate.whole_day_ages(CUSTOMERS, rng, 365) + 1
    drawn = simulate.simulate_with_holdout(WORLDS[world], ages, YEAR, rng, SPEND)
    c = drawn.calibration
    fit = bgnbd.fit(c.x, c.t_x, c.t_cal)
    assert fit.converged, fit.message
    covariance = intervals.log_covariance(fit.params, c.x, c.t_x, c.t_cal)
    assert covariance is not None
    found = intervals.purchase_distribution(
        intervals.parameter_draws(fit.params, covariance), YEAR, c.x, c.t_x, c.t_cal
    )
    covered = float(intervals.coverage(found.p10, found.p90, drawn.holdout).mean())
    assert 0.77 <= covered <= 0.83, f"{world}: {covered:.3f}"
    # Plain (unrandomised) integer intervals would cover far more: the continuous-count scale is what calibrates.
    integer = float(((np.floor(found.p10) <= drawn.holdout) & (drawn.holdout <= np.floor(found.p90))).mean())
    assert integer > covered


def test_the_pmf_has_the_closed_form_mean_and_sums_to_one() -> None:
    c = customers()
    draws = intervals.parameter_draws(CDNOW_DAYS, None)
    assert draws.shape == (1, 4)
    found = intervals.purchase_distribution(draws, YEAR, c.x, c.t_x, c.t_cal)
    expected = bgnbd.expected_purchases(CDNOW_DAYS, YEAR, c.x, c.t_x, c.t_cal)
    # The PMF is cut where all but 1e-4 of it is seen: the mean is short by about 1e-4 x a live customer's purchases.
    assert np.allclose(found.mean, expected, rtol=0, atol=1e-2)
    likely = found.p_zero < 0.9
    assert np.allclose(found.mean[likely], expected[likely], rtol=1e-2)
    assert np.all((found.p_zero >= 0) & (found.p_zero <= 1))
    assert np.all((found.p10 >= 0) & (found.p10 <= found.p90))
    # P(no purchase) of a customer who has none yet: (alpha + T)^r / (alpha + T + t)^r, alive for sure.
    zero = c.x == 0
    direct = ((CDNOW_DAYS.alpha + c.t_cal[zero]) / (CDNOW_DAYS.alpha + c.t_cal[zero] + YEAR)) ** CDNOW_DAYS.r
    assert np.allclose(found.p_zero[zero], direct, rtol=1e-9)


def test_customers_with_the_same_history_get_the_same_interval_in_any_batch() -> None:
    c = customers(500)
    draws = intervals.parameter_draws(CDNOW_DAYS, np.diag([0.01, 0.02, 0.05, 0.05]))
    whole = intervals.purchase_distribution(draws, YEAR, c.x, c.t_x, c.t_cal)
    one = intervals.purchase_distribution(draws, YEAR, c.x[7:8], c.t_x[7:8], c.t_cal[7:8])
    # (to the last bit but one: numpy's vectorised exp and log may round differently at an array's end)
    assert one.p10[0] == pytest.approx(whole.p10[7], rel=1e-12) and one.p90[0] == pytest.approx(whole.p90[7], rel=1e-12)


def test_parameter_draws_are_fixed_centred_and_follow_the_covariance() -> None:
    covariance = np.array([[0.04, 0.01, 0, 0], [0.01, 0.09, 0, 0], [0, 0, 0.01, 0], [0, 0, 0, 0.02]])
    first = intervals.parameter_draws(CDNOW_DAYS, covariance)
    assert np.array_equal(first, intervals.parameter_draws(CDNOW_DAYS, covariance))
    assert first.shape == (intervals.DRAWS, 4) and np.all(first > 0)
    logs = np.log(first)
    point = np.log([CDNOW_DAYS.r, CDNOW_DAYS.alpha, CDNOW_DAYS.a, CDNOW_DAYS.b])
    assert np.allclose(logs.mean(axis=0), point)  # antithetic pairs
    many = np.log(intervals.parameter_draws(CDNOW_DAYS, covariance, 20_000))
    assert np.allclose(np.cov(many.T), covariance, atol=0.01)
    with pytest.raises(ValueError):
        intervals.parameter_draws(CDNOW_DAYS, covariance, 3)


def test_the_log_covariance_matches_the_standard_errors() -> None:
    c = customers(3_000)
    fit = bgnbd.fit(c.x, c.t_x, c.t_cal)
    covariance = intervals.log_covariance(fit.params, c.x, c.t_x, c.t_cal)
    assert covariance is not None
    errors = bgnbd.standard_errors(fit.params, c.x, c.t_x, c.t_cal)
    natural = np.array([fit.params.r, fit.params.alpha, fit.params.a, fit.params.b])
    assert np.allclose(np.sqrt(np.diag(covariance)) * natural, [errors[n] for n in bgnbd.NAMES], rtol=1e-3)


def test_more_customers_mean_narrower_parameter_uncertainty_but_not_narrower_intervals() -> None:
    """The purchase process's own variance stays whatever the sample size: intervals do not collapse."""
    rng = np.random.default_rng(11)
    widths = []
    for n in (500, 20_000):
        c = simulate.simulate(CDNOW_DAYS, simulate.whole_day_ages(n, rng, 365) + 1, rng)
        fit = bgnbd.fit(c.x, c.t_x, c.t_cal)
        covariance = intervals.log_covariance(fit.params, c.x, c.t_x, c.t_cal)
        assert covariance is not None
        probe = intervals.purchase_distribution(
            intervals.parameter_draws(fit.params, covariance), YEAR, [3.0], [200.0], [300.0]
        )
        widths.append((float(np.trace(covariance)), float(probe.p90[0] - probe.p10[0])))
    assert widths[1][0] < widths[0][0] / 10
    assert widths[1][1] > 1.0


def test_clv_intervals_hold_the_holdout_revenue_at_least_80_percent_of_the_time() -> None:
    rng = np.random.default_rng(3)
    drawn = simulate.simulate_with_holdout(
        CDNOW_DAYS, simulate.whole_day_ages(CUSTOMERS, rng, 365) + 1, YEAR, rng, SPEND
    )
    c = drawn.calibration
    value = clv.predicted_clv(CDNOW_DAYS, SPEND, c.x, c.t_x, c.t_cal, c.monetary, unit_days=1.0, annual_discount_rate=0)
    draws = intervals.parameter_draws(CDNOW_DAYS, None)
    found = intervals.customer_intervals(draws, CDNOW_DAYS, SPEND, c.x, c.t_x, c.t_cal, c.monetary, value, horizon=YEAR)
    assert np.all(found.clv_p10 <= found.clv_p90)
    held = (drawn.holdout_revenue >= found.clv_p10) & (drawn.holdout_revenue <= found.clv_p90)
    # Revenue has an atom at 0 (no purchase): where it exceeds 10% the interval holds it whole (up to 90%).
    assert 0.8 <= float(held.mean()) <= 0.93
    buyers = found.clv_p10 > 0  # customers with less than 10% chance of no purchase: calibrated both sides
    if buyers.sum() > 100:
        assert 0.75 <= float(held[buyers].mean()) <= 0.85


def test_scores_carry_the_intervals_and_non_purchasers_get_zeros() -> None:
    c = customers(300)
    rows = []
    for i in range(300):
        bought = i % 10 != 0
        rows.append(
            {
                "purchase_days": int(c.x[i]) + 1 if bought else 0,
                "t_x_days": c.t_x[i] if bought else None,
                "t_cal_days": c.t_cal[i] if bought else None,
                "recency_days": c.t_cal[i] - c.t_x[i] if bought else None,
                "net_revenue": 50.0 * (c.x[i] + 1) if bought else 0,
                "repeat_revenue": 50.0 * c.x[i] if bought else 0,
                "visits_30d": 0,
                "visits_prior_90d": 0,
                "open_tickets": 0,
                "last_nps": None,
                "last_csat": None,
            }
        )
    covariance = ((0.01, 0, 0, 0), (0, 0.01, 0, 0), (0, 0, 0.02, 0), (0, 0, 0, 0.02))
    model = Model(CDNOW_DAYS, SPEND, Model.default().rfm, fitted=True, bgnbd_log_covariance=covariance)
    scores = score(Inputs.from_rows(rows), model)
    none = np.arange(300) % 10 == 0
    for column in (scores.clv_p10, scores.clv_p90, scores.expected_purchases_12m_p90, scores.expected_purchases_12m):
        assert np.all(column[none] == 0)
    assert np.all(scores.clv_p10 <= scores.clv_p90) and np.all(scores.clv_p90[~none] >= 0)
    assert np.all(scores.expected_purchases_12m[~none] > scores.expected_purchases_90d[~none])
    assert np.all(scores.expected_purchases_12m_p90[~none] > 0)


def test_a_stored_covariance_is_read_only_when_well_formed() -> None:
    good = [[0.01, 0, 0, 0], [0, 0.01, 0, 0], [0, 0, 0.01, 0], [0, 0, 0, 0.01]]
    assert log_covariance_of({"r": 1, "log_covariance": good}) == tuple(tuple(float(v) for v in r) for r in good)
    for bad in (None, {}, {"log_covariance": "x"}, {"log_covariance": [[1, 2]]}, {"log_covariance": [[1] * 4] * 3},
                {"log_covariance": [["a"] * 4] * 4}, {"log_covariance": [[float("nan")] * 4] * 4}):  # fmt: skip
        assert log_covariance_of(bad) is None


def test_monthly_forecast_adds_up_and_brackets_its_expectation() -> None:
    c = customers(3_000)
    windows = [(0.0, 30.0), (30.0, 61.0), (61.0, 92.0)]
    covariance = np.diag([0.01, 0.01, 0.02, 0.02])
    months = intervals.monthly_forecast(CDNOW_DAYS, covariance, SPEND, c.x, c.t_x, c.t_cal, c.monetary, windows)
    total = bgnbd.expected_purchases(CDNOW_DAYS, 92.0, c.x, c.t_x, c.t_cal).sum()
    assert sum(m.expected_purchases for m in months) == pytest.approx(total, rel=1e-9)
    spend = gamma_gamma.expected_spend(SPEND, c.x, c.monetary)
    first = bgnbd.expected_purchases(CDNOW_DAYS, 30.0, c.x, c.t_x, c.t_cal)
    assert months[0].expected_revenue == pytest.approx(float(first @ spend), rel=1e-9)
    for m in months:
        assert 0 <= m.revenue_p10 < m.expected_revenue < m.revenue_p90
    without = intervals.monthly_forecast(CDNOW_DAYS, None, SPEND, c.x, c.t_x, c.t_cal, c.monetary, windows)
    assert without[0].revenue_p90 - without[0].revenue_p10 < months[0].revenue_p90 - months[0].revenue_p10
    with pytest.raises(ValueError):
        intervals.monthly_forecast(CDNOW_DAYS, None, SPEND, c.x, c.t_x, c.t_cal, c.monetary, [(5.0, 1.0)])
    no_mean = GammaGammaParams(p=2.0, q=0.9, v=10.0)
    with pytest.raises(ValueError, match="mean spend does not exist"):
        intervals.monthly_forecast(CDNOW_DAYS, None, no_mean, c.x, c.t_x, c.t_cal, c.monetary, windows)


def test_bad_horizons_are_refused() -> None:
    with pytest.raises(ValueError):
        intervals.purchase_distribution(intervals.parameter_draws(CDNOW_DAYS, None), 0.0, [1.0], [1.0], [2.0])


def test_the_cdnow_holdout_coverage_reported_in_the_readme() -> None:
    """`python -m bench.clv_coverage` prints it; README quotes it."""
    from bench.clv_coverage import measure

    found = measure()
    assert found["customers"] == 2357 and found["converged"]
    assert found["coverage_80"] == pytest.approx(0.7981, abs=5e-4)


def test_monthly_revenue_intervals_hold_the_workspace_total_about_80_percent_of_the_time() -> None:
    """Replicate workspaces of 3,000 customers, each fitted and forecast one month ahead (100 replicates gave 0.77;
    40 here, so the tolerance is wide: the binomial spread of 40 draws)."""
    held = []
    for replicate in range(40):
        rng = np.random.default_rng(replicate)
        drawn = simulate.simulate_with_holdout(
            CDNOW_DAYS, simulate.whole_day_ages(3_000, rng, 365) + 1, 30.4375, rng, SPEND
        )
        c = drawn.calibration
        fit = bgnbd.fit(c.x, c.t_x, c.t_cal)
        spend = gamma_gamma.fit(c.x, c.monetary).params
        covariance = intervals.log_covariance(fit.params, c.x, c.t_x, c.t_cal)
        (month,) = intervals.monthly_forecast(
            fit.params, covariance, spend, c.x, c.t_x, c.t_cal, c.monetary, [(0.0, 30.4375)]
        )
        held.append(month.revenue_p10 <= drawn.holdout_revenue.sum() <= month.revenue_p90)
    assert 0.62 <= float(np.mean(held)) <= 0.95
