"""Gamma-Gamma: the published CDNOW estimates, recovery of known parameters, gradient, spend; and the CLV."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize

from cli.scoring import read_transactions
from services.scoring.domain import bgnbd, clv, gamma_gamma, simulate
from services.scoring.domain.fitting import FloatArray
from services.scoring.domain.gamma_gamma import GammaGammaParams
from services.scoring.domain.transactions import Summary, summarize

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow_sample_transactions.csv"
PUBLISHED = GammaGammaParams(p=6.25, q=3.74, v=15.44)  # FHL 2005 note, 946 customers


@pytest.fixture(scope="module")
def cdnow() -> Summary:
    log = read_transactions(CDNOW)
    return summarize(log.customer_codes, log.times, log.amounts, np.datetime64("1997-09-30"), unit_days=7.0)


def test_cdnow_fit_matches_the_published_estimates_within_1_percent(cdnow: Summary) -> None:
    fit = gamma_gamma.fit(cdnow.x, cdnow.monetary)
    assert fit.converged, fit.message
    for name, published in PUBLISHED.as_dict().items():
        assert fit.params.as_dict()[name] == pytest.approx(published, rel=0.01), name
    assert fit.log_likelihood == pytest.approx(gamma_gamma.log_likelihood(fit.params, cdnow.x, cdnow.monetary))


SETS = [
    GammaGammaParams(p=6.25, q=3.74, v=15.44),  # CDNOW
    GammaGammaParams(p=2.0, q=5.0, v=200.0),  # dispersed values, in cents
    GammaGammaParams(p=15.0, q=2.5, v=3.0),  # steady values, very different customers
]


@pytest.mark.parametrize("true", SETS, ids=["cdnow", "dispersed", "steady"])
def test_recovers_known_parameters_within_four_standard_errors(true: GammaGammaParams) -> None:
    rng = np.random.default_rng(11)
    buying = bgnbd.BgNbdParams(r=2.0, alpha=20.0, a=0.5, b=5.0)
    data = simulate.simulate(buying, simulate.whole_day_ages(40_000, rng, 730), rng, spend=true)
    fit = gamma_gamma.fit(data.x, data.monetary)
    assert fit.converged, fit.message
    errors = gamma_gamma.standard_errors(fit.params, data.x, data.monetary)
    for name, value in true.as_dict().items():
        estimate, error = fit.params.as_dict()[name], errors[name]
        assert 0 < error < 0.2 * value, (name, error)
        assert abs(estimate - value) < 4 * error, (name, estimate, value, error)


def test_log_likelihood_matches_the_density_for_one_customer() -> None:
    p, q, v, x, m = 3.0, 4.0, 20.0, 3.0, 12.5
    expected = (
        math.lgamma(p * x + q)
        - math.lgamma(p * x)
        - math.lgamma(q)
        + q * math.log(v)
        + (p * x - 1) * math.log(m)
        + p * x * math.log(x)
        - (p * x + q) * math.log(v + m * x)
    )
    assert gamma_gamma.log_likelihood(GammaGammaParams(p, q, v), [x, 0, 2], [m, 0, 0]) == pytest.approx(expected)


@pytest.mark.parametrize("point", [PUBLISHED, GammaGammaParams(1.0, 1.5, 3.0), GammaGammaParams(30.0, 9.0, 100.0)])
def test_gradient_matches_finite_differences(cdnow: Summary, point: GammaGammaParams) -> None:
    n = np.count_nonzero(cdnow.x)

    def value(theta: FloatArray) -> float:
        return gamma_gamma.log_likelihood(GammaGammaParams(*np.exp(theta)), cdnow.x, cdnow.monetary) / n

    def grad(theta: FloatArray) -> FloatArray:
        return gamma_gamma.gradient(GammaGammaParams(*np.exp(theta)), cdnow.x, cdnow.monetary) * np.exp(theta) / n

    theta = np.log([point.p, point.q, point.v])
    assert optimize.check_grad(value, grad, theta, epsilon=1e-7) < 1e-5


def test_expected_spend_shrinks_towards_the_population_mean() -> None:
    spend = gamma_gamma.expected_spend(PUBLISHED, [0, 1, 2, 7, 25], [0.0, 20.0, 35.0, 50.0, 12.0])
    population = PUBLISHED.p * PUBLISHED.v / (PUBLISHED.q - 1)
    assert spend[0] == pytest.approx(population)
    assert spend[1:] == pytest.approx([24.63848721, 35.03937008, 49.12884491, 12.40015095], rel=1e-7)  # lifetimes
    heavy = gamma_gamma.expected_spend(PUBLISHED, [1_000_000], [42.0])
    assert heavy == pytest.approx([42.0], rel=1e-4)


def test_invalid_input_raises_and_degenerate_data_do_not_converge() -> None:
    for x, m in [([-1], [3.0]), ([1], [-3.0]), ([1, 2], [3.0]), ([], []), ([0.5], [3.0]), ([1], [math.inf])]:
        with pytest.raises(ValueError):
            gamma_gamma.fit(x, m)
        with pytest.raises(ValueError):
            gamma_gamma.expected_spend(PUBLISHED, x, m)
    with pytest.raises(ValueError):
        gamma_gamma.expected_spend(GammaGammaParams(2.0, 0.9, 10.0), [1], [3.0])  # no population mean
    no_repeat_spend = gamma_gamma.fit([0, 0, 3], [0.0, 0.0, 0.0])
    all_the_same = gamma_gamma.fit([2, 3, 4, 5], [10.0, 10.0, 10.0, 10.0])
    one_customer = gamma_gamma.fit([1], [5.0])
    for fit in (no_repeat_spend, all_the_same, one_customer):
        assert not fit.converged and fit.message


def test_params_round_trip_and_rescale() -> None:
    assert GammaGammaParams.from_dict(PUBLISHED.as_dict()) == PUBLISHED
    with pytest.raises(ValueError):
        GammaGammaParams.from_dict({"p": 1.0, "q": 2.0})
    assert gamma_gamma.DEFAULT_GAMMA_GAMMA == PUBLISHED
    in_cents = PUBLISHED.with_mean_spend(3_000.0)
    assert in_cents.mean_spend == pytest.approx(3_000.0) and (in_cents.p, in_cents.q) == (PUBLISHED.p, PUBLISHED.q)


# --- CLV ---------------------------------------------------------------------------------------------

BG_DAYS = bgnbd.DEFAULT_BGNBD_DAYS
X, T_X, T_CAL, M = [0.0, 2.0, 7.0, 25.0], [0.0, 213.0, 206.0, 259.0], [272.0, 272.0, 245.0, 272.0], [0, 20.0, 50, 12]


def test_clv_is_the_discounted_sum_of_monthly_expected_revenue() -> None:
    got = clv.predicted_clv(BG_DAYS, PUBLISHED, X, T_X, T_CAL, M, unit_days=1.0, months=12, annual_discount_rate=0.1)
    spend = gamma_gamma.expected_spend(PUBLISHED, X, M)
    monthly = (1.1) ** (1 / 12) - 1
    expected = np.zeros(len(X))
    before = np.zeros(len(X))
    for month in range(1, 13):
        by_then = bgnbd.expected_purchases(BG_DAYS, month * 365.25 / 12, X, T_X, T_CAL)
        expected += (by_then - before) * spend / (1 + monthly) ** month
        before = by_then
    assert got == pytest.approx(expected, rel=1e-12)
    assert np.all(got > 0) and got[3] > got[0]


def test_clv_without_discount_is_a_years_purchases_times_spend_in_any_time_unit() -> None:
    year = bgnbd.expected_purchases(BG_DAYS, 365.25, X, T_X, T_CAL) * gamma_gamma.expected_spend(PUBLISHED, X, M)
    by_day = clv.predicted_clv(BG_DAYS, PUBLISHED, X, T_X, T_CAL, M, unit_days=1.0, annual_discount_rate=0.0)
    weekly = bgnbd.BgNbdParams(BG_DAYS.r, BG_DAYS.alpha / 7, BG_DAYS.a, BG_DAYS.b)
    by_week = clv.predicted_clv(
        weekly, PUBLISHED, X, np.divide(T_X, 7), np.divide(T_CAL, 7), M, unit_days=7.0, annual_discount_rate=0.0
    )
    assert by_day == pytest.approx(year, rel=1e-10)
    assert by_week == pytest.approx(year, rel=1e-10)
    with pytest.raises(ValueError):
        clv.predicted_clv(BG_DAYS, PUBLISHED, X, T_X, T_CAL, M, unit_days=0.0)
    with pytest.raises(ValueError):
        clv.predicted_clv(BG_DAYS, PUBLISHED, X, T_X, T_CAL, M[:2], unit_days=1.0)


def test_clv_of_many_customers_equals_that_of_each_alone() -> None:
    rng = np.random.default_rng(5)
    data = simulate.simulate(BG_DAYS, simulate.whole_day_ages(2_000, rng, 400), rng, spend=PUBLISHED)
    together = clv.predicted_clv(BG_DAYS, PUBLISHED, data.x, data.t_x, data.t_cal, data.monetary, unit_days=1.0)
    for i in rng.choice(len(data.x), 5, replace=False):
        alone = clv.predicted_clv(
            BG_DAYS,
            PUBLISHED,
            data.x[i : i + 1],
            data.t_x[i : i + 1],
            data.t_cal[i : i + 1],
            data.monetary[i : i + 1],
            unit_days=1.0,
        )
        assert together[i] == pytest.approx(alone[0], rel=1e-12)
