"""The sales forecast's public document (GET /v1/sales-forecast): open deals weighted by their stage's win
probability and repurchase expected from scoring, by month, in the workspace's report currency."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from contracts.http import View


class ForecastMonth(View):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-07"])
    open_deals: int | None = Field(
        description="Open deals expected to close in the month (in the report currency); null without sales.",
        examples=[12],
    )
    pipeline_amount: str | None = Field(description="Their amounts (decimal string).", examples=["52000.00"])
    weighted_deals: str | None = Field(
        description="Each open deal's amount times its stage's win probability, summed exactly, then rounded to the "
        "cent (half up).",
        examples=["18400.00"],
    )
    expected_purchases: float | None = Field(
        description="Repurchases expected from the workspace's customers in the month (scoring); null without scoring.",
        examples=[412.6],
    )
    repurchase_revenue: str | None = Field(
        description="Their expected revenue (expected purchases x expected spend).", examples=["20630.00"]
    )
    repurchase_revenue_p10: str | None = Field(description="Its 80% interval's low end.", examples=["18120.00"])
    repurchase_revenue_p90: str | None = Field(description="Its 80% interval's high end.", examples=["23410.00"])
    expected_revenue: str | None = Field(
        description="weighted_deals + repurchase_revenue; null when either is unknown.", examples=["39030.00"]
    )


class OtherCurrency(View):
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["USD"])
    open_deals: int = Field(examples=[2])
    pipeline_amount: str = Field(examples=["4000.00"])
    weighted_deals: str = Field(examples=["1200.00"])


class SalesForecast(View):
    """Expected revenue per month from open deals and from predicted repurchase."""

    model_config = ConfigDict(populate_by_name=True)

    by: Literal["month"] = "month"
    from_: str = Field(alias="from", pattern=r"^\d{4}-\d{2}$", examples=["2026-07"])
    months: int = Field(examples=[12])
    currency: str | None = Field(
        description="The report currency (PUT /v1/report-settings); when the workspace has none, that of its deals "
        "if they have one, else scoring's.",
        examples=["EUR"],
    )
    items: list[ForecastMonth] = Field(description="One per month, oldest first.")
    other_currencies: list[OtherCurrency] = Field(
        description="Open deals in other currencies over the same months, not converted (nor counted above)."
    )
    degraded: list[str] = Field(
        description="Services that did not answer: the figures they give are null.", examples=[[]]
    )
