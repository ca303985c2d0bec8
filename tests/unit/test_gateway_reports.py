"""The overview report's pure parts: periods, changes, how KPIs are shown, and trait filters of search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from runtime.problems import ProblemError
from services.gateway.api_customer_search import trait_filters
from services.gateway.api_reports import KPIS, build_kpis
from services.gateway.report_figures import relative_change, report_periods, shown

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def test_the_default_period_is_the_last_30_days_beside_the_30_before() -> None:
    period, previous = report_periods(None, None, NOW)
    assert period == (NOW - 30 * DAY, NOW)
    assert previous == (NOW - 60 * DAY, NOW - 30 * DAY)


def test_a_given_period_has_a_previous_period_of_the_same_length_ending_where_it_starts() -> None:
    start, end = dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 3, 8, tzinfo=dt.UTC)
    assert report_periods(start, end, NOW) == ((start, end), (start - 7 * DAY, start))
    assert report_periods(None, end, NOW)[0] == (end - 30 * DAY, end)  # from defaults to 30 days before to
    assert report_periods(start, None, NOW)[0] == (start, NOW)  # to defaults to now


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (NOW, NOW),  # empty
        (NOW, NOW - DAY),  # backwards
        (NOW - 4000 * DAY, NOW),  # longer than ten years
        (dt.datetime(1, 1, 2, tzinfo=dt.UTC), dt.datetime(1, 1, 5, tzinfo=dt.UTC)),  # previous before year 1
        (None, dt.datetime(1, 1, 5, tzinfo=dt.UTC)),  # default start before year 1
    ],
)
def test_impossible_periods_are_refused(start: dt.datetime | None, end: dt.datetime) -> None:
    with pytest.raises(ValueError):
        report_periods(start, end, NOW)


def test_change_is_relative_and_absent_without_a_base() -> None:
    assert relative_change(110, 100) == 0.1
    assert relative_change(Decimal("90.00"), Decimal("120.00")) == -0.25
    assert relative_change(0.3, 0.25) == 0.2
    assert relative_change(5, -10) == 1.5  # from -10 up to 5: +150 % of the magnitude
    assert relative_change(5, 0) is None
    assert relative_change(None, 3) is None and relative_change(3, None) is None


def test_values_are_shown_by_unit() -> None:
    assert shown(Decimal("212.4"), "money") == "212.40"
    assert shown(18.456, "money") == "18.46"
    assert shown(0.123456, "ratio") == 0.1235
    assert shown(12.3456, "days") == 12.35
    assert shown(7, "count") == 7
    assert shown(None, "money") is None


def test_kpis_come_from_each_services_answer_and_snapshots_have_no_previous() -> None:
    scoring = SimpleNamespace(
        active=5, dormant=2, ltv=SimpleNamespace(historical_avg=Decimal("10"), predicted_12m_avg=Decimal("20"))
    )
    profile = SimpleNamespace(
        customers=120, new_customers=20, purchasers_in_period=10, orders_in_period=12,
        revenue_in_period=Decimal("300"), repurchase_rate=0.5,
    )  # fmt: skip
    before = SimpleNamespace(**{**vars(profile), "customers": 100, "repurchase_rate": None})
    kpis = build_kpis({"profile": profile, "scoring": scoring}, {"profile": before, "scoring": scoring})
    assert set(kpis) == {spec.name for spec in KPIS}
    assert kpis["customers"].model_dump() == {
        "value": 120, "previous": 100, "change": 0.2, "unit": "count", "snapshot": False, "source": "profile"
    }  # fmt: skip
    assert kpis["repurchase_rate"].previous is None and kpis["repurchase_rate"].change is None
    assert kpis["revenue"].value == "300.00" and kpis["revenue"].change == 0.0
    assert kpis["average_predicted_ltv"].value == "20.00" and kpis["average_predicted_ltv"].previous is None
    assert kpis["active_customers"].snapshot and kpis["active_customers"].previous is None
    assert kpis["sales_win_rate"].value is None and kpis["sales_win_rate"].source == "sales"  # no answer


def test_trait_filters_are_read_from_the_query_string() -> None:
    query = [("trait.city", "Berlin"), ("trait.plan.tier", "gold"), ("tag", "vip"), ("limit", "5")]
    assert trait_filters(query) == {"city": "Berlin", "plan.tier": "gold"}
    for bad in ([("trait.", "x")], [("trait.9lives", "x")], [("trait.city", "x" * 501)], [("trait.city", "a\x00")]):
        with pytest.raises(ProblemError) as caught:
            trait_filters(bad)
        assert caught.value.status == 422
    with pytest.raises(ProblemError):
        trait_filters([(f"trait.t{i}", "x") for i in range(21)])
