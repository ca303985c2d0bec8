"""The scoring service's HTTP documents (its internal API, and the public API's score and segment endpoints and
360 view section, which pass them through): a customer's RFM, LTV and churn risk, dynamic segments and their
members."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import ConfigDict, Field, JsonValue

from contracts.http import CursorPage, Input, NpsCounts, NpsMonth, PeriodReport, View


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
    p10: str | None = Field(
        None,
        description="Lower bound of the 80% interval of the 12-month CLV (decimal; 10% chance of less): parameter "
        "uncertainty of the fit plus the purchases' and spend's own variance (docs/scoring-intervals.md). Null until "
        "the customer is next scored.",
        examples=["0.00"],
    )
    p90: str | None = Field(
        None, description="Upper bound of the 80% interval of the 12-month CLV (decimal).", examples=["512.30"]
    )
    expected_purchases_12m: float | None = Field(
        None, description="Expected purchase days in the next 12 months.", examples=[2.1]
    )
    expected_purchases_12m_p10: float | None = Field(
        None,
        description="Lower bound of the 80% interval of the purchase days in the next 12 months, on the "
        "continuous-count scale where k purchases fill [k, k+1) (floor of a bound: a whole number of purchases).",
        examples=[0.0],
    )
    expected_purchases_12m_p90: float | None = Field(
        None, description="Upper bound of that interval (same scale).", examples=[4.6]
    )
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
        description="A condition tree: `all` / `any` / `not` over leaves `{field, op, value}` on stats, scores, "
        "loyalty (`loyalty.balance`, `loyalty.tier`) and traits (GET /v1/segment-fields lists fields, types and "
        "operators).",
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
    values: list[str] | None = Field(
        default=None, description="An enum's values (e.g. the RFM segments), for editors to offer; null otherwise."
    )
    pattern: str | None = Field(
        default=None,
        description="For a family of fields (`traits.<name>`, `events.<type>.count`): the regular expression their "
        "names match; null for a single field.",
    )
    window: str | None = Field(
        default=None,
        description="The leaf property that narrows the field to a time window (`within_last` for event counts); "
        "null when it takes none.",
    )


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


# --- report figures (read by the gateway's public reports) -----------------------------------------------------


class PredictedClvItem(View):
    """One acquisition source (and campaign) of a period's new customers (first purchase in [from, to)), with the
    12-month CLV scoring predicts for them now."""

    source: str = Field(examples=["newsletter"])
    campaign: str | None = Field(None, description="Null: the source's customers without a campaign.")
    new_customers: int = Field(description="The source's customers whose first purchase is in the period.")
    predicted: int = Field(description="How many of them have a predicted CLV (scored at least once).")
    predicted_clv_total: Decimal = Field(description="Sum of their predicted 12-month CLV.")


class PredictedClvReport(PeriodReport):
    """Predicted 12-month CLV of a period's new customers by the acquisition source profile decided for them
    (profile.acquisition_changed), in source, then campaign order (no campaign first)."""

    items: list[PredictedClvItem]


RetentionPeriod = Literal["month", "week"]


AmountT = TypeVar("AmountT")


class CohortFigures(View, Generic[AmountT]):
    """One retention cohort's figures, its amounts as `AmountT`: scoring's are Decimal, the gateway's public
    report's decimal strings rounded to the cent (services/gateway/schemas_growth_reports.py)."""

    cohort: str = Field(description="`YYYY-MM` for months, ISO `YYYY-Www` for weeks.", examples=["2026-05"])
    start: datetime = Field(description="The cohort period's first instant (UTC).")
    size: int = Field(description="Customers in the cohort.", examples=[120])
    retained: list[float | None] = Field(description="Share of the cohort with a purchase in period k.")
    revenue_per_member: list[AmountT | None] = Field(
        description="The cohort's purchase amounts in period k (before refunds) / size: decimal strings."
    )
    repurchase_rate: list[float | None] = Field(
        description="Share of the cohort with a second purchase day by the end of period k."
    )


class RetentionCohort(CohortFigures[Decimal]):
    """The customers whose first purchase (UTC day) falls in one month or ISO week, followed period by period.
    Index k of each list is the k-th period after the cohort's own (0: the cohort's period); a cell is null
    while its period has not ended. Amounts to the cent."""


class RetentionReport(PeriodReport):
    """Cohorts of the customers whose first purchase is in [from, to), oldest first; each followed up to the
    period holding `to` (its cells null until that period ends)."""

    period: RetentionPeriod
    cohorts: list[RetentionCohort]


class ScoringKpis(PeriodReport):
    """Scoring's figures of the KPI tree for a period [from, to)."""

    reactivated: int = Field(description="Customers reactivated (a purchase after dormancy) in the period.")
    retention_base: int = Field(description="Customers with a purchase in the 90 days before `from`.")
    retained_90d: int = Field(description="How many of them purchased in the 90 days before `to`.")
    retention_90d: float | None = Field(description="retained_90d / retention_base.")
    visitors: int = Field(description="Customers with a visit in the period.")
    visits: int = Field(description="Their visits in the period.")
    visit_frequency: float | None = Field(description="visits / visitors.")
    new_customers: int = Field(description="Customers whose first purchase is in the period.")
    new_customers_predicted: int = Field(description="How many of them have a predicted CLV.")
    new_customers_predicted_clv_total: Decimal = Field(description="Sum of their predicted 12-month CLV.")


class SegmentSize(View):
    day: date = Field(description="A UTC day of the period.")
    members: int = Field(description="Members at the day's last evaluation (carried from the day before).")


class SegmentReport(PeriodReport):
    """One segment's members and what they are worth, for a period [from, to): sizes per day of the period
    (days before the segment's first evaluation left out), the current members' purchases in the period, and
    their scores and NPS now."""

    segment_id: str
    name: str
    members: int = Field(description="Members now.")
    sizes: list[SegmentSize] = Field(
        description="Each UTC day the period touches, from the segment's first recorded size on and up to today."
    )
    revenue: Decimal = Field(
        description="The current members' purchase amounts in the period (before refunds), by the UTC days of "
        "purchase the period touches."
    )
    orders: int = Field(description="Their purchases in the period (those days).")
    average_order_value: Decimal | None = Field(description="revenue / orders, to the cent.")
    avg_predicted_clv: Decimal | None = Field(description="Average predicted 12-month CLV of scored members.")
    churn_mix: dict[str, int] = Field(description="Members per churn-risk band (unscored ones left out).")
    purchasers: int = Field(description="Members with a purchase (ever).")
    repeat_purchasers: int = Field(description="Members with two or more purchase days (ever).")
    repurchase_rate: float | None = Field(description="repeat_purchasers / purchasers.")
    nps: NpsCounts = Field(description="Over the members' latest answer in the period.")
    nps_by_month: list[NpsMonth] = Field(default_factory=list)


# --- repurchase forecast (read by the gateway's sales forecast) -------------------------------------------------


class RepurchaseMonth(View):
    """One calendar month (UTC) of the repurchase scoring expects from the workspace's current customers."""

    month: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-07"])
    expected_purchases: float = Field(description="Expected purchase days of all customers in the month.")
    expected_revenue: Decimal = Field(
        description="Sum over customers of expected purchases x expected spend per purchase (Gamma-Gamma), decimal."
    )
    revenue_p10: Decimal = Field(description="Lower bound of the 80% interval of the month's revenue, decimal.")
    revenue_p90: Decimal = Field(description="Upper bound of the 80% interval of the month's revenue, decimal.")


class RepurchaseForecast(View):
    """Expected repurchase per calendar month from the workspace's scored customers (BG/NBD x Gamma-Gamma, as of
    now: a month already under way counts its remaining days, a past month 0), with 80% intervals combining the
    fit's parameter uncertainty (common to all customers) and the purchases' own variance (docs/scoring-intervals.md).
    Amounts in the workspace's currency (scoring does not convert)."""

    months: list[RepurchaseMonth]
    currency: str | None = Field(
        None, description="The currency the caller named (`currency` query parameter); null if none.", examples=["EUR"]
    )
    customers: int = Field(description="Purchasers the forecast sums over.")
    as_of: date = Field(description="The UTC day the forecast is made from.")
