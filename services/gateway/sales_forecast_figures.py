"""The sales forecast's figures (no I/O): sales' open deals by expected close month and currency and scoring's
repurchase forecast, in one currency, money summed exactly and rounded to the cent (half up) only at the end
(report_figures.money)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from contracts.http.sales.signals import DealForecast
from contracts.http.scoring import RepurchaseForecast
from services.gateway.report_figures import money
from services.gateway.schemas_sales_forecast import ForecastMonth, OtherCurrency

FORECAST_COLUMNS = (
    "month", "open_deals", "pipeline_amount", "weighted_deals", "expected_purchases", "repurchase_revenue",
    "repurchase_revenue_p10", "repurchase_revenue_p90", "expected_revenue",
)  # fmt: skip


def forecast_months(first: str, months: int) -> list[str]:
    """ "YYYY-MM" of `months` months from `first`."""
    start = int(first[:4]) * 12 + int(first[5:7]) - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(start, start + months)]


def forecast_currency(
    report_currency: str | None, deals: DealForecast | None, repurchase: RepurchaseForecast | None
) -> str | None:
    """The report currency; without one, the deals' only currency, else scoring's."""
    if report_currency is not None:
        return report_currency
    currencies = {item.currency for item in deals.items} if deals is not None else set()
    if len(currencies) == 1:
        return currencies.pop()
    return repurchase.currency if repurchase is not None else None


def forecast_items(
    months: list[str], currency: str | None, deals: DealForecast | None, repurchase: RepurchaseForecast | None
) -> tuple[list[ForecastMonth], list[OtherCurrency]]:
    """One row per month, and the open deals in other currencies (not converted)."""
    in_currency: dict[str, tuple[int, Decimal, Decimal]] = {}
    others: dict[str, tuple[int, Decimal, Decimal]] = defaultdict(lambda: (0, Decimal(0), Decimal(0)))
    for item in deals.items if deals is not None else ():
        if item.month not in months:
            continue  # an answer beyond what was asked is not counted
        if item.currency == currency:
            in_currency[item.month] = (item.deals, item.amount, item.weighted)
        else:
            count, amount, weighted = others[item.currency]
            others[item.currency] = (count + item.deals, amount + item.amount, weighted + item.weighted)
    # Scoring's figures count only in its own currency being the report's (or when either is not known).
    usable = repurchase is not None and (repurchase.currency is None or currency in (None, repurchase.currency))
    expected = {m.month: m for m in repurchase.months} if usable and repurchase is not None else {}
    rows = []
    for month in months:
        count, amount, weighted = in_currency.get(month, (0, Decimal(0), Decimal(0)))
        found = expected.get(month)
        deal_known, repurchase_known = deals is not None, found is not None
        rows.append(
            ForecastMonth(
                month=month,
                open_deals=count if deal_known else None,
                pipeline_amount=money(amount) if deal_known else None,
                weighted_deals=money(weighted) if deal_known else None,
                expected_purchases=round(found.expected_purchases, 4) if found is not None else None,
                repurchase_revenue=money(found.expected_revenue) if found is not None else None,
                repurchase_revenue_p10=money(found.revenue_p10) if found is not None else None,
                repurchase_revenue_p90=money(found.revenue_p90) if found is not None else None,
                expected_revenue=money(weighted + found.expected_revenue)
                if deal_known and repurchase_known and found is not None
                else None,
            )
        )
    other = [
        OtherCurrency(
            currency=code, open_deals=c, pipeline_amount=money(a) or "0.00", weighted_deals=money(w) or "0.00"
        )
        for code, (c, a, w) in sorted(others.items())
    ]
    return rows, other
