"""The KPI tree's pure parts: periods from a target period or from/to, the bar, progress and status in each
direction (a flow's bar pro rata with a fixed clock), money exact to the cent, and the metrics from the services'
answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from contracts.http.profile import CustomerReport, NpsFigures, SpendTotals
from contracts.http.referral import ReferralReport
from contracts.http.scoring import ScoringDistribution, ScoringKpis
from services.gateway.api_kpi_tree import (
    ANSWERS,
    SNAPSHOT_ANSWERS,
    SOURCES,
    Figures,
    build_tree,
    csv_rows,
    elapsed_share,
    judge,
    sources_of,
    tree_periods,
)
from services.gateway.domain import (
    KPI_LEVELS,
    KPI_METRICS,
    KPI_TREE,
    KpiMetricSpec,
    parse_period,
    period_spanning,
    previous_period,
)
from services.gateway.report_csv import csv_text
from services.gateway.report_figures import shown, spend_days
from services.gateway.schemas_kpi_tree import KpiTree
from services.gateway.schemas_reports import Period

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SPEC = {s.metric: s for s in KPI_TREE}


def at(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


# --- the metrics' table ---------------------------------------------------------------------------------------


def test_the_tree_declares_every_metric_once_with_its_level_direction_and_flow() -> None:
    assert tuple(s.metric for s in KPI_TREE) == KPI_METRICS and set(SOURCES) == set(KPI_METRICS)
    assert {s.level for s in KPI_TREE} == set(KPI_LEVELS)
    assert {s.metric for s in KPI_TREE if s.lower_is_better} == {"cac", "dormant", "reward_cost"}
    assert {s.metric for s in KPI_TREE if s.additive} == {"new_customers", "reactivated", "revenue", "reward_cost"}
    assert {s.metric for s in KPI_TREE if s.snapshot} == {"active", "dormant", "ltv"}
    assert [s.metric for s in KPI_TREE if s.level == "scale"] == [
        "customers", "new_customers", "active", "dormant", "reactivated"
    ]  # fmt: skip
    for spec in KPI_TREE:  # every read is an answer the gateway asks for
        assert set(SOURCES[spec.metric].reads) <= set(ANSWERS) | set(SNAPSHOT_ANSWERS), spec.metric
    assert sources_of("cac") == ["profile", "referral"] and sources_of("ltv") == ["scoring"]


def test_the_endpoints_words_name_every_metric() -> None:
    words = yaml.safe_load(Path("services/gateway/operations.yaml").read_text(encoding="utf-8"))
    description = words["operations"]["kpi_tree"]["description"]
    for metric in KPI_METRICS:
        assert f"`{metric}`" in description, metric


# --- periods ------------------------------------------------------------------------------------------------------


def test_a_running_target_period_ends_now_beside_as_much_of_the_period_before() -> None:
    periods = tree_periods("2026-Q4", None, None, NOW)
    assert (periods.start, periods.end) == (at(2026, 10, 1), NOW)
    elapsed = NOW - at(2026, 10, 1)
    assert (periods.previous_start, periods.previous_end) == (at(2026, 7, 1), at(2026, 7, 1) + elapsed)
    assert periods.previous_end == at(2026, 9, 5, 12)
    assert periods.target_period == "2026-Q4" and periods.span == (at(2026, 10, 1), at(2027, 1, 1))


def test_a_past_target_period_is_whole_beside_the_whole_period_before() -> None:
    november = tree_periods("2026-11", None, None, NOW)
    assert (november.start, november.end) == (at(2026, 11, 1), at(2026, 12, 1))
    assert (november.previous_start, november.previous_end) == (at(2026, 10, 1), at(2026, 11, 1))  # 31 days
    year = tree_periods("2025", None, None, NOW)
    assert (year.previous_start, year.previous_end) == (at(2024, 1, 1), at(2025, 1, 1))
    january = tree_periods("2026-01", None, None, NOW)
    assert (january.previous_start, january.previous_end) == (at(2025, 12, 1), at(2026, 1, 1))
    q1 = tree_periods("2026-Q1", None, None, NOW)
    assert (q1.previous_start, q1.previous_end) == (at(2025, 10, 1), at(2026, 1, 1))


def test_the_period_before_a_year_quarter_or_month() -> None:
    assert previous_period(parse_period("2026-Q1")).text == "2025-Q4"
    assert previous_period(parse_period("2026-Q3")).text == "2026-Q2"
    assert previous_period(parse_period("2026-01")).text == "2025-12"
    assert previous_period(parse_period("2026-10")).text == "2026-09"
    assert previous_period(parse_period("2026")).text == "2025"


@pytest.mark.parametrize(
    ("period", "since", "until"),
    [
        ("2027", None, None),  # not started
        ("2026-12", at(2026, 12, 1), None),  # both ways at once
        ("2026-12", None, at(2026, 12, 2)),
        ("1900", None, None),  # the year before is beyond what the services hold
        (None, at(2026, 12, 2), at(2026, 12, 1)),  # backwards
    ],
)
def test_impossible_periods_are_refused(
    period: str | None, since: dt.datetime | None, until: dt.datetime | None
) -> None:
    with pytest.raises(ValueError):
        tree_periods(period, since, until, NOW)


def test_from_and_to_apply_the_targets_of_the_period_they_span_exactly() -> None:
    quarter = tree_periods(None, at(2026, 7, 1), at(2026, 10, 1), NOW)
    assert quarter.target_period == "2026-Q3"
    assert (quarter.previous_start, quarter.previous_end) == (at(2026, 7, 1) - (at(2026, 10, 1) - at(2026, 7, 1)),
                                                              at(2026, 7, 1))  # fmt: skip
    assert period_spanning(at(2026, 1, 1), at(2027, 1, 1)) == "2026"
    assert period_spanning(at(2026, 2, 1), at(2026, 3, 1)) == "2026-02"
    berlin = dt.timezone(dt.timedelta(hours=1))
    assert period_spanning(dt.datetime(2026, 2, 1, 1, tzinfo=berlin), at(2026, 3, 1)) == "2026-02"  # same instants
    assert period_spanning(dt.datetime(2026, 2, 1, tzinfo=berlin), at(2026, 3, 1)) is None
    assert period_spanning(at(2026, 2, 1), at(2026, 3, 2)) is None
    assert period_spanning(at(2026, 2, 1, 6), at(2026, 3, 1)) is None
    assert tree_periods(None, None, None, NOW).target_period is None  # the last 30 days


def test_spend_is_counted_for_the_days_starting_in_the_period() -> None:
    assert spend_days(at(2026, 10, 1), at(2026, 11, 1)) == (dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    assert spend_days(at(2026, 10, 1), NOW) == (dt.date(2026, 10, 1), dt.date(2026, 12, 7))  # today has begun
    assert spend_days(NOW - dt.timedelta(days=30), NOW) == (dt.date(2026, 11, 7), dt.date(2026, 12, 7))
    assert spend_days(at(2026, 12, 6, 1), at(2026, 12, 6, 2)) is None


# --- bar, progress, status ------------------------------------------------------------------------------------


def test_elapsed_share_with_a_fixed_clock() -> None:
    span = (at(2026, 12, 1), at(2027, 1, 1))
    assert elapsed_share(span, at(2026, 12, 1)) == 0
    assert elapsed_share(span, at(2026, 12, 11)) == Decimal(10) / Decimal(31)
    assert elapsed_share(span, at(2027, 1, 1)) == 1 and elapsed_share(span, at(2027, 3, 1)) == 1


def test_higher_is_better_against_the_target() -> None:
    spec = SPEC["repurchase_rate"]
    assert judge(spec, 0.33, 0.3, Decimal("0.5")) == (Decimal("0.3"), Decimal("1.1"), "on_track")
    assert judge(spec, 0.3, 0.3, Decimal(1))[2] == "on_track"  # reaching the bar is on track
    bar, progress, status = judge(spec, 0.15, 0.3, Decimal(1))
    assert (bar, progress, status) == (Decimal("0.3"), Decimal("0.5"), "behind")
    assert judge(spec, 0.15, None, Decimal(1)) == (None, None, "no_target")
    assert judge(spec, None, 0.3, Decimal(1)) == (Decimal("0.3"), None, "unknown")


def test_lower_is_better_divides_the_other_way_and_zero_has_no_progress() -> None:
    spec = SPEC["cac"]
    assert judge(spec, Decimal("20"), 25, Decimal(1)) == (Decimal("25"), Decimal("1.25"), "on_track")
    assert judge(spec, Decimal("50"), 25, Decimal(1)) == (Decimal("25"), Decimal("0.5"), "behind")
    assert judge(SPEC["dormant"], 0, 100, Decimal(1)) == (Decimal(100), None, "on_track")


def test_a_flow_in_a_running_period_is_measured_against_the_elapsed_share_of_its_target() -> None:
    share = elapsed_share((at(2026, 12, 1), at(2027, 1, 1)), at(2026, 12, 11))  # 10 of 31 days
    bar, progress, status = judge(SPEC["new_customers"], 100, 310, share)
    assert (bar, progress, status) == (Decimal(100), Decimal(1), "on_track")
    assert judge(SPEC["new_customers"], 99, 310, share)[2] == "behind"
    assert judge(SPEC["reward_cost"], Decimal("101"), 310, share)[2] == "behind"  # lower is better: over budget
    assert judge(SPEC["reward_cost"], Decimal("90"), 310, share)[2] == "on_track"
    # A stock is measured against its whole target whenever it is asked.
    assert judge(SPEC["customers"], 100, 310, share) == (Decimal(310), Decimal(100) / Decimal(310), "behind")


# --- numbers from the services' answers -------------------------------------------------------------------------

P = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}


def figures(**overrides: Any) -> Figures:
    report = CustomerReport.model_validate({
        **P, "customers": 1000, "new_customers": 90, "first_purchasers": 3, "purchasers": 600, "repeat_purchasers": 200,
        "repurchase_rate": 1 / 3, "purchasers_in_period": 150, "orders_in_period": 3,
        "revenue_in_period": "100.00",
    })  # fmt: skip
    nps = NpsFigures.model_validate({**P, "score": 42.5, "promoters": 3, "passives": 0, "detractors": 1,
                                     "responses": 4})  # fmt: skip
    spend = SpendTotals.model_validate({"from": "2026-11-01", "to": "2026-12-01", "items": [
        {"channel": "newsletter", "amount": "10.00", "currency": "EUR"},
        {"channel": "ads", "amount": "0.01"},
        {"channel": "ads", "amount": "999.00", "currency": "USD"},  # another currency: left out of CAC
    ]})  # fmt: skip
    referral = ReferralReport.model_validate({**P, "new_customers": 3, "referred_new_customers": 1,
                                              "referral_share": 1 / 3, "reward_cost": "0.01"})  # fmt: skip
    kpis = ScoringKpis.model_validate({
        **P, "reactivated": 4, "retention_base": 10, "retained_90d": 4, "retention_90d": 0.4, "visitors": 3,
        "visits": 7, "visit_frequency": 7 / 3, "new_customers": 3, "new_customers_predicted": 2,
        "new_customers_predicted_clv_total": "20.03",
    })  # fmt: skip
    distribution = ScoringDistribution.model_validate({
        "customers": 1000, "purchasers": 600, "active": 500, "dormant": 100, "repeat_purchasers": 200,
        "orders": 900, "ltv": {"historical_avg": "70.005", "historical_total": "42003",
                               "predicted_12m_avg": "80", "predicted_12m_total": "48000"},
        "rfm_segments": {}, "churn_risk": {}, "as_of": None, "model": None,
    })  # fmt: skip
    base = {"report": report, "nps": nps, "spend": spend, "referral": referral,
            "kpis": kpis, "distribution": distribution, "currency": "EUR"}  # fmt: skip
    return Figures(**{**base, **overrides})


def test_money_is_exact_to_the_cent_half_up() -> None:
    assert shown(Decimal("0.005"), "money") == "0.01"  # half up, not half even
    assert shown(Decimal("2.675"), "money") == "2.68"
    assert shown(Decimal(100) / 3, "money") == "33.33"
    assert shown(7 / 3, "number") == 2.3333 and shown(Decimal("0.00005"), "ratio") == 0.0001
    tree = build_tree(figures(), figures(distribution=None), {}, Decimal(1))
    financial = tree["financial"]
    assert financial["revenue"].value == "100.00"
    assert financial["average_order_value"].value == "33.33"  # 100.00 / 3
    # CAC: (10.00 EUR + 0.01 without a currency + 0.01 rewards) / 3 new customers = 3.34; the USD row is left out.
    assert financial["cac"].value == "3.34"
    # LTV:CAC from exact decimals: (20.03 / 2) / (10.02 / 3) = 2.9985...
    assert financial["ltv_to_cac"].value == float((Decimal("20.03") / 2 / (Decimal("10.02") / 3)).quantize(
        Decimal("0.0001")))  # fmt: skip
    assert financial["ltv"].value == "70.01" and financial["ltv"].previous is None  # a snapshot, half up
    assert financial["reward_cost"].value == "0.01"
    assert tree["scale"]["new_customers"].value == 3
    assert tree["behaviour"]["nps"].value == 42.5 and tree["behaviour"]["visit_frequency"].value == 2.3333


def test_without_a_report_currency_every_spend_row_counts() -> None:
    tree = build_tree(figures(currency=None), figures(), {}, Decimal(1))
    assert tree["financial"]["cac"].value == str(((Decimal("1009.02")) / 3).quantize(Decimal("0.01")))


def test_nothing_to_divide_by_leaves_the_metric_null_and_unknown() -> None:
    report = figures().report
    assert report is not None
    no_orders = report.model_copy(update={"orders_in_period": 0, "first_purchasers": 0})
    current = figures(report=no_orders)
    tree = build_tree(current, figures(), {"cac": 5.0, "average_order_value": 50.0}, Decimal(1))
    assert tree["financial"]["average_order_value"].status == "unknown"
    assert tree["financial"]["cac"].value is None and tree["financial"]["ltv_to_cac"].value is None
    assert tree["financial"]["cac"].target == 5.0 and tree["financial"]["cac"].bar == 5.0


def test_a_missing_answer_nulls_only_the_metrics_read_from_it() -> None:
    tree = build_tree(figures(kpis=None, spend=None), figures(kpis=None, spend=None), {"retention_90d": 0.5},
                      Decimal(1))  # fmt: skip
    assert tree["behaviour"]["retention_90d"].value is None and tree["behaviour"]["retention_90d"].status == "unknown"
    assert tree["financial"]["cac"].value is None and tree["financial"]["ltv_to_cac"].value is None
    assert tree["scale"]["reactivated"].value is None
    assert tree["scale"]["customers"].value == 1000 and tree["financial"]["reward_cost"].value == "0.01"


def test_values_beside_the_previous_period_with_targets() -> None:
    report = figures().report
    assert report is not None
    before = figures(report=report.model_copy(update={"customers": 800, "revenue_in_period": Decimal("80")}))
    targets = {"revenue": 300.0, "customers": 900.0, "dormant": 50.0}
    share = Decimal(1) / 3
    tree = build_tree(figures(), before, targets, share)
    customers = tree["scale"]["customers"]
    assert (customers.value, customers.previous, customers.change) == (1000, 800, 0.25)
    assert (customers.target, customers.bar, customers.progress, customers.status) == (900.0, 900.0, 1.1111,
                                                                                         "on_track")  # fmt: skip
    revenue = tree["financial"]["revenue"]
    assert (revenue.value, revenue.previous, revenue.change) == ("100.00", "80.00", 0.25)
    assert (revenue.bar, revenue.progress, revenue.status) == (100.0, 1.0, "on_track")  # a third of 300
    dormant = tree["scale"]["dormant"]
    assert (dormant.value, dormant.previous, dormant.lower_is_better) == (100, None, True)
    assert (dormant.progress, dormant.status) == (0.5, "behind")
    assert tree["behaviour"]["nps"].status == "no_target" and tree["behaviour"]["nps"].target is None

    document = KpiTree(
        period=Period(from_=at(2026, 11, 1), to=at(2026, 12, 1)),
        previous_period=Period(from_=at(2026, 10, 1), to=at(2026, 11, 1)),
        target_period="2026-11",
        currency="EUR",
        degraded=[],
        **tree,
    )
    rows = list(csv.DictReader(io.StringIO(csv_text(
        ("level", "metric", "unit", "value", "previous", "change", "target", "progress", "status"),
        csv_rows(document),
    ))))  # fmt: skip
    assert [r["metric"] for r in rows] == list(KPI_METRICS)
    assert rows[0] == {"level": "scale", "metric": "customers", "unit": "count", "value": "1000", "previous": "800",
                       "change": "0.25", "target": "900.0", "progress": "1.1111", "status": "on_track"}  # fmt: skip
    revenue_row = next(r for r in rows if r["metric"] == "revenue")
    assert (revenue_row["level"], revenue_row["value"], revenue_row["previous"]) == ("financial", "100.00", "80.00")


def test_specs_are_frozen_records() -> None:
    with pytest.raises(AttributeError):
        KPI_TREE[0].level = "financial"  # type: ignore[misc]
    assert isinstance(KPI_TREE[0], KpiMetricSpec)


def test_the_status_is_that_of_the_number_shown() -> None:
    referral = figures().referral
    assert referral is not None
    current = figures(referral=referral.model_copy(update={"reward_cost": Decimal("0.02")}))
    cac = build_tree(current, figures(), {"cac": 3.34}, Decimal(1))["financial"]["cac"]
    # (10.00 + 0.01 + 0.02) / 3 = 3.3433...: shown 3.34, which is at the target (lower is better).
    assert (cac.value, cac.progress, cac.status) == ("3.34", 1.0, "on_track")
