"""The scoring service's HTTP documents (its internal API, and the public API's score and segment endpoints and
360 view section, which pass them through): a customer's RFM, LTV and churn risk, dynamic segments and their
members."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, Field, JsonValue

from contracts.http import CursorPage, Input, View


class RfmScores(View):
    r: int = Field(ge=1, le=5, examples=[4])
    f: int = Field(ge=1, le=5, examples=[3])
    m: int = Field(ge=1, le=5, examples=[5])
    segment: str = Field(description="The named RFM segment (see README).", examples=["Loyal"])
    recency_days: int | None = Field(None, description="Days since the last purchase day.", examples=[12])


class LtvScores(View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    historical: str = Field(description="Net revenue to date (purchases minus refunds), decimal.", examples=["310.40"])
    predicted_12m: str = Field(
        description="Expected discounted revenue over the next 12 months (BG/NBD + Gamma-Gamma), decimal.",
        examples=["182.75"],
    )
    expected_purchases_90d: float | None = Field(None, examples=[1.4])
    basis: str = Field(
        description="model; default_parameters (the workspace has too little history to fit yet); no_purchases.",
        examples=["model"],
    )


class ChurnScores(View):
    p_alive: float | None = Field(
        None, ge=0, le=1, description="Probability the customer still buys; null without purchases.", examples=[0.31]
    )
    risk: Literal["low", "medium", "high"] = Field(examples=["high"])
    reasons: list[str] = Field(
        default_factory=list, examples=[["no purchase for 94 days, 3.1x their usual gap of 30 days"]]
    )


class CustomerSegment(View):
    segment_id: str = Field(examples=["seg_5f1c2a9e0b7d4c31"])
    name: str = Field(examples=["Repeat buyers in Berlin"])
    entered_at: datetime


class CustomerScores(View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    rfm: RfmScores | None = Field(description="Null until the customer's first purchase.")
    ltv: LtvScores
    churn: ChurnScores
    dormant_since: datetime | None = Field(None, description="Set while the customer is dormant.")
    segments: list[CustomerSegment] = Field(default_factory=list)
    as_of: datetime = Field(description="When these scores were computed.")


class SegmentIn(Input):
    name: str = Field(min_length=1, max_length=200, examples=["Repeat buyers in Berlin"])
    description: str | None = Field(None, max_length=2000)
    condition: dict[str, JsonValue] = Field(
        description="A condition tree: `all` / `any` / `not` over leaves `{field, op, value}` on stats, scores "
        "and traits (GET /v1/segment-fields lists fields, types and operators).",
        examples=[
            {
                "all": [
                    {"field": "stats.orders", "op": "gte", "value": 2},
                    {"field": "traits.city", "op": "eq", "value": "Berlin"},
                    {"field": "stats.last_purchase_at", "op": "within_last", "value": "90d"},
                ]
            }
        ],
    )


class SegmentFailure(View):
    reason: str = Field(
        description="Why its evaluation failed, and what to do about it.",
        examples=["evaluating its condition for 1000 customers took longer than 5000 ms; it is skipped until saved "
                  "again; simplify it (fewer leaves, fewer contains over long traits)"],
    )  # fmt: skip
    since: datetime


class Segment(View):
    segment_id: str = Field(examples=["seg_5f1c2a9e0b7d4c31"])
    name: str = Field(examples=["Repeat buyers in Berlin"])
    description: str | None = None
    condition: dict[str, JsonValue]
    members: int = Field(description="Current number of members.", examples=[1280])
    created_at: datetime
    updated_at: datetime
    status: Literal["active", "failing"] = Field(
        "active",
        description="failing: evaluating it took longer than the workspace's budget of database time; it is "
        "skipped (its members stay as they were) until it is saved again.",
    )
    failure: SegmentFailure | None = Field(None, description="Why it is failing; null while active.")


class SegmentPage(CursorPage[Segment]):
    pass


class SegmentMember(View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    entered_at: datetime


class SegmentMemberPage(CursorPage[SegmentMember]):
    pass


class SegmentField(View):
    field: str = Field(examples=["stats.orders"])
    type: str = Field(examples=["number"])
    operators: list[str] = Field(examples=[["eq", "gte", "in"]])
    description: str | None = None


class MatchingCustomers(View):
    """The ids of the customers matching segment and score filters, read by the public customer search."""

    customer_ids: list[str]
    more: bool = Field(description="More customers match than `limit`; the list is cut at it.")


class LtvTotals(View):
    historical_avg: Decimal = Field(description="Average historical LTV of purchasers (net of refunds).")
    historical_total: Decimal
    predicted_12m_avg: Decimal = Field(description="Average predicted 12-month LTV of purchasers.")
    predicted_12m_total: Decimal


class FittedModel(View):
    """A workspace's fitted models: their parameters (null before a fit) and the last fit; `note` is the last
    failed fit's error."""

    bgnbd: dict[str, JsonValue] | None
    gamma_gamma: dict[str, JsonValue] | None
    rfm_boundaries: dict[str, JsonValue] | None
    customers: int | None
    log_likelihood: float | None
    fitted_at: datetime | None
    fit_seconds: float | None
    last_attempt_at: datetime | None
    note: str | None


class ScoringDistribution(View):
    """The workspace's customers now, by activity, RFM segment and churn band, with LTV totals and its fitted
    models, read by the public overview report."""

    customers: int
    purchasers: int
    active: int
    dormant: int
    repeat_purchasers: int
    orders: int
    ltv: LtvTotals
    rfm_segments: dict[str, int]
    churn_risk: dict[str, int]
    as_of: datetime | None = Field(description="When the latest score was computed.")
    model: FittedModel | None
