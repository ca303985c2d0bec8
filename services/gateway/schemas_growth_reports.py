"""The growth reports (acquisition, retention, NPS, segment) as they appear in /openapi.json. Money is a decimal
string to the cent (rounded half up from exact sums), ratios are numbers to 4 decimals. The services' answers they
are built from are the services' own models, in contracts/http/<service>.py."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from contracts.http import NpsCounts, NpsMonth
from contracts.http.profile import NpsGroup
from contracts.http.scoring import CohortFigures, SegmentSize
from services.gateway.schemas_reports import Period

MONEY = "Decimal string in the workspace's report currency, to the cent; null when it cannot be computed."
CURRENCY = Field(
    description="The workspace's report currency (`PUT /v1/report-settings`); null when not set.", examples=["EUR"]
)


# --- acquisition ------------------------------------------------------------------------------------------


class AcquisitionRow(BaseModel):
    """One acquisition channel and campaign (an item), one channel with all its campaigns (campaign null), or the
    whole period (channel `all`)."""

    channel: str = Field(description="The acquisition source (`all` for the total).", examples=["newsletter"])
    campaign: str | None = Field(description="Null: no campaign, or a channel's or the total's row.", examples=[None])
    new_customers: int | None = Field(
        description="Customers whose first purchase is in the period; null when profile is degraded.", examples=[40]
    )
    spend: str | None = Field(
        description="Marketing spend of the days starting in the period (for `referral`: plus the reward cost "
        f"granted in the period). {MONEY}",
        examples=["1200.00"],
    )
    cac: str | None = Field(
        description=f"spend / new_customers (null with no new customers). {MONEY}", examples=["30.00"]
    )
    avg_first_order: str | None = Field(
        description=f"Average first order of the new customers. {MONEY}", examples=["42.50"]
    )
    avg_predicted_clv: str | None = Field(
        description=f"Average predicted 12-month CLV of those new customers scoring has scored. {MONEY}",
        examples=["95.00"],
    )
    ltv_to_cac: float | None = Field(
        description="avg_predicted_clv / cac (null when either is null or cac is 0).", examples=[3.1667]
    )
    repurchase_rate_90d: float | None = Field(
        description="Share of the new customers with a second order within 90 days of their first.", examples=[0.25]
    )


class SpendAmount(BaseModel):
    currency: str = Field(examples=["USD"])
    amount: str = Field(description="Decimal string: the spend in that currency over the period.", examples=["300.00"])


class AcquisitionReport(BaseModel):
    period: Period
    currency: str | None = CURRENCY
    items: list[AcquisitionRow] = Field(
        description="Every channel and campaign with new customers or spend in the period, in channel, then "
        "campaign order (no campaign first)."
    )
    channels: list[AcquisitionRow] = Field(description="The same per channel (campaign null), in channel order.")
    total: AcquisitionRow = Field(description="The same over every channel (channel `all`).")
    unconverted_spend: list[SpendAmount] = Field(
        description="Spend recorded in a currency other than the report currency, per currency: left out of "
        "`spend` and CAC (no exchange rates are applied)."
    )
    degraded: list[str] = Field(
        default_factory=list,
        description="Services that were down, slow or out of contract: the figures they give are null.",
    )


# --- retention --------------------------------------------------------------------------------------------


class RetentionCohortRow(CohortFigures[str]):
    """The customers whose first purchase falls in one month or ISO week; index k of each list is the k-th period
    after the cohort's own (0: its own); a cell is null while its period has not ended."""


class RetentionReportOut(BaseModel):
    period: Period
    granularity: Literal["month", "week"] = Field(description="The cohorts' period.", examples=["month"])
    currency: str | None = CURRENCY
    cohorts: list[RetentionCohortRow] | None = Field(
        description="Cohorts of the customers whose first purchase is in the period, oldest first; null when "
        "scoring is degraded."
    )
    degraded: list[str] = Field(
        default_factory=list, description="`scoring` when it was down, slow or out of contract."
    )


# --- NPS --------------------------------------------------------------------------------------------------


class NpsReport(BaseModel):
    period: Period
    currency: str | None = CURRENCY
    score: float | None = Field(
        description="% promoters (9-10) - % detractors (0-6) over each customer's latest answer in the period, "
        "-100 to 100, 2 decimals; null without responses or when its service is degraded.",
        examples=[42.5],
    )
    promoters: int | None = Field(examples=[60])
    passives: int | None = Field(examples=[25])
    detractors: int | None = Field(examples=[15])
    responses: int | None = Field(description="Customers who answered, each once.", examples=[100])
    by_month: list[NpsMonth] | None = Field(description="The same per calendar month (UTC) with answers.")
    by_channel: list[NpsGroup] | None = Field(
        description="With `by=channel`: the same per acquisition channel (`key`); null otherwise."
    )
    segment_id: str | None = Field(
        description="With `segment_id`: the segment whose current members' answers are counted; null: everyone.",
        examples=[None],
    )
    degraded: list[str] = Field(
        default_factory=list,
        description="The service the figures come from (profile, or scoring for a segment) when it was down or slow.",
    )


# --- one segment ------------------------------------------------------------------------------------------


class SegmentReportOut(BaseModel):
    period: Period
    currency: str | None = CURRENCY
    segment_id: str = Field(examples=["seg_vip"])
    name: str = Field(examples=["VIP"])
    members: int = Field(description="Members now.", examples=[340])
    sizes: list[SegmentSize] = Field(
        description="Members per UTC day of the period (days before the segment's first evaluation left out)."
    )
    revenue: str = Field(description="The current members' purchase amounts in the period (before refunds).")
    orders: int = Field(description="Their purchases in the period.")
    average_order_value: str | None = Field(description="revenue / orders.")
    avg_predicted_clv: str | None = Field(description="Average predicted 12-month CLV of the scored members.")
    churn_mix: dict[str, int] = Field(description="Members per churn-risk band (unscored ones left out).")
    purchasers: int = Field(description="Members with a purchase (ever).")
    repeat_purchasers: int = Field(description="Members with two or more purchase days (ever).")
    repurchase_rate: float | None = Field(description="repeat_purchasers / purchasers.")
    nps: NpsCounts = Field(description="Over the members' latest answer in the period.")
    nps_by_month: list[NpsMonth]
    degraded: list[str] = Field(default_factory=list, description="Always empty: without scoring the report is a 503.")
