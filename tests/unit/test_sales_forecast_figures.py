"""The sales forecast's figures (no I/O): months across a year's end, the currency chosen, scoring's figures only in
the report currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from contracts.http.sales.signals import DealForecast, DealForecastMonth
from contracts.http.scoring import RepurchaseForecast, RepurchaseMonth
from services.gateway.sales_forecast_figures import forecast_currency, forecast_items, forecast_months

DEALS = DealForecast(
    from_="2026-11",
    months=3,
    items=[DealForecastMonth(month="2027-01", currency="USD", deals=1, amount=Decimal(10), weighted=Decimal("2.5"))],
)
REPURCHASE = RepurchaseForecast(
    currency="EUR",
    customers=40,
    as_of=dt.date(2026, 11, 20),
    months=[
        RepurchaseMonth(
            month="2026-12",
            expected_purchases=1.23456,
            expected_revenue=Decimal("10.005"),
            revenue_p10=Decimal("5"),
            revenue_p90=Decimal("15"),
        )
    ],
)


def test_months_run_across_the_year_end() -> None:
    assert forecast_months("2026-11", 3) == ["2026-11", "2026-12", "2027-01"]


def test_the_currency_and_what_counts_in_it() -> None:
    assert forecast_currency("EUR", DEALS, REPURCHASE) == "EUR"
    assert forecast_currency(None, DEALS, REPURCHASE) == "USD"  # the deals' only currency
    assert forecast_currency(None, None, REPURCHASE) == "EUR"
    months = forecast_months("2026-11", 3)
    items, others = forecast_items(months, "EUR", DEALS, REPURCHASE)
    assert [(i.month, i.weighted_deals, i.repurchase_revenue, i.expected_revenue) for i in items] == [
        ("2026-11", "0.00", None, None),
        ("2026-12", "0.00", "10.01", "10.01"),  # half up
        ("2027-01", "0.00", None, None),
    ]
    assert items[1].expected_purchases == 1.2346
    assert [(o.currency, o.weighted_deals) for o in others] == [("USD", "2.50")]
    in_usd, _ = forecast_items(months, "USD", DEALS, REPURCHASE)  # scoring's EUR figures do not count in USD
    assert all(i.repurchase_revenue is None for i in in_usd) and in_usd[2].weighted_deals == "2.50"
