"""BG/NBD: the published CDNOW estimates, recovery of known parameters, gradient, predictions, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, special

from cli.scoring import read_transactions
from services.scoring.domain import bgnbd, simulate
from services.scoring.domain.bgnbd import BgNbdParams
from services.scoring.domain.fitting import FloatArray
from services.scoring.domain.transactions import Summary, summarize

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow_sample_transactions.csv"
PUBLISHED = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)  # FHL 2005, time in weeks


@pytest.fixture(scope="module")
def cdnow() -> Summary:
    log = read_transactions(CDNOW)
    return summarize(log.customer_codes, log.times, log.amounts, np.datetime64("1997-09-30"), unit_days=7.0)


def test_cdnow_summary_matches_the_published_calibration_data(cdnow: Summary) -> None:
    assert len(cdnow) == 2357
    assert cdnow.x.sum() == 2457  # repeat transactions in the 39-week calibration period
    assert np.count_nonzero(cdnow.x) == 946
    assert cdnow.t_cal.max() == pytest.approx(272 / 7)  # first purchase on 1997-01-01


def test_cdnow_fit_matches_the_published_estimates_within_1_percent(cdnow: Summary) -> None:
    fit = bgnbd.fit(cdnow.x, cdnow.t_x, cdnow.t_cal)
    assert fit.converged, fit.message
    for name, published in PUBLISHED.as_dict().items():
        assert fit.params.as_dict()[name] == pytest.approx(published, rel=0.01), name
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.1)  # the paper's LL
    assert fit.log_likelihood == pytest.approx(bgnbd.log_likelihood(fit.params, cdnow.x, cdnow.t_x, cdnow.t_cal))


SETS = [
    BgNbdParams(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426),  # CDNOW, in days
    BgNbdParams(r=2.0, alpha=20.0, a=0.5, b=5.0),  # frequent buyers, few leave
    BgNbdParams(r=0.5, alpha=10.0, a=1.5, b=1.0),  # many leave early
    BgNbdParams(r=1.2, alpha=3.0, a=0.3, b=0.9),  # a + b < 1
]


@pytest.mark.parametrize("true", SETS, ids=["cdnow", "loyal", "churny", "small-ab"])
def test_recovers_known_parameters_within_four_standard_errors(true: BgNbdParams) -> None:
    rng = np.random.default_rng(20261123)
    data = simulate.simulate(true, simulate.whole_day_ages(30_000, rng, 730), rng)
    fit = bgnbd.fit(data.x, data.t_x, data.t_cal)
    assert fit.converged, fit.message
    errors = bgnbd.standard_errors(fit.params, data.x, data.t_x, data.t_cal)
    for name, value in true.as_dict().items():
        estimate, error = fit.params.as_dict()[name], errors[name]
        assert 0 < error < 0.2 * value, (name, error)  # informative, and the bound below means something
        assert abs(estimate - value) < 4 * error, (name, estimate, value, error)


def test_fit_accepts_a_starting_point_and_weights_count_customers(cdnow: Summary) -> None:
    fit = bgnbd.fit(cdnow.x, cdnow.t_x, cdnow.t_cal, initial=BgNbdParams(1.0, 1.0, 1.0, 1.0))
    assert fit.params.r == pytest.approx(PUBLISHED.r, rel=0.01)
    doubled = bgnbd.log_likelihood(PUBLISHED, cdnow.x, cdnow.t_x, cdnow.t_cal, weights=np.full(len(cdnow), 2.0))
    assert doubled == pytest.approx(2 * bgnbd.log_likelihood(PUBLISHED, cdnow.x, cdnow.t_x, cdnow.t_cal))


def test_log_likelihood_matches_the_papers_formula_for_one_customer() -> None:
    r, alpha, a, b = 0.3, 5.0, 0.8, 2.5
    x, t_x, t_cal = 3.0, 20.0, 30.0
    common = math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha)
    first = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * math.log(alpha + t_cal)
    second = special.betaln(a + 1, b + x - 1) - special.betaln(a, b) - (r + x) * math.log(alpha + t_x)
    expected = common + np.logaddexp(first, second)
    assert bgnbd.log_likelihood(BgNbdParams(r, alpha, a, b), [x], [t_x], [t_cal]) == pytest.approx(expected)
    assert bgnbd.log_likelihood(BgNbdParams(r, alpha, a, b), [0], [0], [t_cal]) == pytest.approx(
        r * math.log(alpha / (alpha + t_cal))
    )


@pytest.mark.parametrize("point", [PUBLISHED, BgNbdParams(1.5, 12.0, 2.0, 0.7), BgNbdParams(0.05, 0.5, 0.2, 9.0)])
def test_gradient_matches_finite_differences(cdnow: Summary, point: BgNbdParams) -> None:
    # In log-parameters, per customer: the scale the optimiser sees, where curvature is of order 1.
    n = len(cdnow)

    def value(theta: FloatArray) -> float:
        return bgnbd.log_likelihood(BgNbdParams(*np.exp(theta)), cdnow.x, cdnow.t_x, cdnow.t_cal) / n

    def grad(theta: FloatArray) -> FloatArray:
        return bgnbd.gradient(BgNbdParams(*np.exp(theta)), cdnow.x, cdnow.t_x, cdnow.t_cal) * np.exp(theta) / n

    theta = np.log([point.r, point.alpha, point.a, point.b])
    assert optimize.check_grad(value, grad, theta, epsilon=1e-7) < 1e-5


# Independent reference: the lifetimes package (0.11.3) with the published parameters.
X, T_X, T_CAL = [0.0, 2.0, 7.0, 25.0], [0.0, 30.43, 29.43, 37.0], [38.86, 38.86, 35.0, 38.86]


def test_p_alive_agrees_with_lifetimes_and_is_one_without_repeat_purchases() -> None:
    alive = bgnbd.p_alive(PUBLISHED, X, T_X, T_CAL)
    assert alive == pytest.approx([1.0, 0.72657857, 0.77897712, 0.91661962], rel=1e-7)
    later = bgnbd.p_alive(PUBLISHED, [5, 5, 5], [10, 20, 30], [30, 30, 30])
    assert np.all(np.diff(later) > 0) and later[-1] < 1  # a more recent last purchase: more likely alive


def test_expected_purchases_agree_with_lifetimes_and_behave() -> None:
    expected = bgnbd.expected_purchases(PUBLISHED, 39, X, T_X, T_CAL)
    assert expected == pytest.approx([0.19509805, 1.22602817, 4.36928195, 16.14403507], rel=1e-7)
    assert bgnbd.expected_purchases(PUBLISHED, 0, X, T_X, T_CAL) == pytest.approx([0, 0, 0, 0])
    growing = [bgnbd.expected_purchases(PUBLISHED, t, [2], [30.43], [38.86])[0] for t in (1, 10, 52, 520)]
    assert np.all(np.diff(growing) > 0)
    # Over a short horizon: P(alive) x the posterior mean rate (r + x) / (alpha + T) x t.
    short = bgnbd.expected_purchases(PUBLISHED, 1e-3, X, T_X, T_CAL)
    rate = (PUBLISHED.r + np.array(X)) / (PUBLISHED.alpha + np.array(T_CAL))
    assert short == pytest.approx(bgnbd.p_alive(PUBLISHED, X, T_X, T_CAL) * rate * 1e-3, rel=1e-3)


def _by_integration(params: BgNbdParams, t: float, x: float, t_cal: float) -> float:
    """E[(1 - (1 + p u)^-(r+x)) / p] for p ~ Beta(a, b + x), by quadrature with the Beta weight."""
    u, k, beta = t / (params.alpha + t_cal), params.r + x, params.b + x

    def h(p: float) -> float:
        return float(-math.expm1(-k * math.log1p(p * u)) / p) if p > 0 else k * u

    value, _ = integrate.quad(h, 0, 1, weight="alg", wvar=(params.a - 1, beta - 1), epsrel=1e-11, limit=200)
    return float(value / special.beta(params.a, beta))


@pytest.mark.parametrize(
    "params",
    [
        PUBLISHED,
        BgNbdParams(0.5, 30.0, 1.0, 2.0),
        BgNbdParams(0.5, 30.0, 1.0 + 3e-4, 2.0),
        BgNbdParams(3.0, 0.1, 0.3, 0.5),
    ],
    ids=["cdnow", "a=1", "a near 1", "a+b<1"],
)
def test_expected_purchases_match_numerical_integration(params: BgNbdParams) -> None:
    cases = [(0.0, 0.0, 1.0), (0.0, 10.0, 52.0), (3.0, 38.0, 39.0), (60.0, 5.0, 365.0), (800.0, 100.0, 1000.0)]
    for x, t_cal, t in cases:
        got = bgnbd.expected_purchases(params, t, [x], [t_cal / 2 if x else 0.0], [t_cal])[0]
        alive = bgnbd.p_alive(params, [x], [t_cal / 2 if x else 0.0], [t_cal])[0]
        assert got == pytest.approx(alive * _by_integration(params, t, x, t_cal), rel=1e-6), (x, t_cal, t)


def test_heavy_buyers_with_large_a_stay_finite() -> None:
    # scipy's hyp2f1 returns NaN here (large third argument, z near 1); the series fallback does not.
    params, x, zero = BgNbdParams(3.0, 0.1, 5.0, 0.5), [500.0, 5000.0], [0.0, 0.0]
    while_alive = bgnbd.expected_purchases(params, 1.0, x, zero, zero) / bgnbd.p_alive(params, x, zero, zero)
    assert while_alive == pytest.approx([126.1162912944, 1251.0394532350], rel=1e-8)  # mpmath, 40 digits


def test_invalid_input_raises_value_error() -> None:
    bad = [
        ([-1], [0], [5]),
        ([1], [-1], [5]),
        ([1], [6], [5]),
        ([1, 2], [1], [5]),
        ([], [], []),
        ([1.5], [1], [5]),
        ([0], [2], [5]),
        ([1], [float("nan")], [5]),
    ]
    for x, t_x, t_cal in bad:
        with pytest.raises(ValueError):
            bgnbd.fit(x, t_x, t_cal)
        with pytest.raises(ValueError):
            bgnbd.p_alive(PUBLISHED, x, t_x, t_cal)
    with pytest.raises(ValueError):
        BgNbdParams(r=-1.0, alpha=1.0, a=1.0, b=1.0)
    with pytest.raises(ValueError):
        bgnbd.expected_purchases(PUBLISHED, -1.0, [1], [1], [2])


def test_degenerate_data_report_no_convergence_instead_of_raising() -> None:
    nobody_returns = bgnbd.fit([0, 0, 0], [0, 0, 0], [5, 6, 7])
    never_leave = bgnbd.fit([3, 2, 4], [5, 6, 7], [5, 6, 7])
    one_customer = bgnbd.fit([1], [3], [5])
    for fit in (nobody_returns, never_leave, one_customer):
        assert not fit.converged and fit.message


def test_params_round_trip_and_the_default_is_cdnow_in_days() -> None:
    assert BgNbdParams.from_dict(PUBLISHED.as_dict()) == PUBLISHED
    with pytest.raises(ValueError):
        BgNbdParams.from_dict({"r": 1.0})
    assert bgnbd.DEFAULT_BGNBD_DAYS.alpha == pytest.approx(7 * PUBLISHED.alpha)
    in_weeks = bgnbd.p_alive(PUBLISHED, X, T_X, T_CAL)
    in_days = bgnbd.p_alive(bgnbd.DEFAULT_BGNBD_DAYS, X, np.multiply(T_X, 7), np.multiply(T_CAL, 7))
    assert in_days == pytest.approx(in_weeks)


def test_summarize_merges_days_drops_late_transactions_and_averages_repeat_spend() -> None:
    ids = np.array(["b", "a", "a", "a", "a", "b", "c"])
    times = np.array(
        [
            "2024-01-03T10:00",
            "2024-01-01T08:00",
            "2024-01-01T23:59",  # same UTC day as the one before: one transaction of 15
            "2024-01-08T12:00",
            "2024-02-01T00:00",  # after the end of observation
            "2024-01-10T00:00",
            "2024-02-02T00:00",  # c has nothing in the window
        ],
        dtype="datetime64[s]",
    )
    amounts = np.array([5.0, 10.0, 5.0, 30.0, 99.0, 7.0, 1.0])
    summary = summarize(ids, times, amounts, np.datetime64("2024-01-15"), unit_days=7.0)
    assert summary.customer_ids.tolist() == ["a", "b"]
    assert summary.x.tolist() == [1, 1]
    assert summary.t_x == pytest.approx([1.0, 1.0])
    assert summary.t_cal == pytest.approx([2.0, 12 / 7])
    assert summary.monetary == pytest.approx([30.0, 7.0])
    until_noon = summarize(ids, times, amounts, np.datetime64("2024-01-08T11:00"), unit_days=1.0)
    assert until_noon.x.tolist() == [0, 0] and until_noon.t_cal.tolist() == [7.0, 5.0]
    with pytest.raises(ValueError):
        summarize(ids, times, -amounts, np.datetime64("2024-01-15"), unit_days=1.0)


def test_simulation_is_reproducible_and_consistent() -> None:
    ages = simulate.whole_day_ages(5_000, np.random.default_rng(1), 365)
    first = simulate.simulate(SETS[0], ages, np.random.default_rng(2))
    again = simulate.simulate(SETS[0], ages, np.random.default_rng(2))
    assert np.array_equal(first.x, again.x) and np.array_equal(first.t_x, again.t_x)
    assert np.all(first.t_x <= first.t_cal) and np.all(first.t_x[first.x == 0] == 0)
    assert np.all(first.x == np.floor(first.x)) and np.all(first.monetary == 0)


@pytest.mark.parametrize("true", SETS, ids=["cdnow", "loyal", "churny", "small-ab"])
def test_simulated_purchases_average_what_the_model_expects(true: BgNbdParams) -> None:
    # A new customer's expected repeat purchases in (0, t] is the prediction for x = t_x = t_cal = 0.
    t = 200.0
    data = simulate.simulate(true, np.full(200_000, t), np.random.default_rng(3))
    expected = bgnbd.expected_purchases(true, t, [0], [0], [0])[0]
    assert abs(data.x.mean() - expected) < 4 * data.x.std() / np.sqrt(len(data.x))
