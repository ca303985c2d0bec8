"""Lead scores (explained) and their rules, cross-sell suggestions and pipeline analytics, as the sales service
answers them and the public API passes them through."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, Field, JsonValue

from contracts.http.sales.common import SalesView

# The rules a workspace scores leads by until it puts its own (GET /v1/lead-rules answers them with `default`
# true); the conditions are listed in docs/sales.md.
DEFAULT_LEAD_RULES: list[dict[str, Any]] = [
    {"id": "engaged", "description": "Visited 5 times or more", "points": 15,
     "when": {"kind": "visits_at_least", "count": 5}},
    {"id": "recent", "description": "Active in the last 14 days", "points": 20,
     "when": {"kind": "active_within_days", "days": 14}},
    {"id": "repeat_buyer", "description": "Bought at least twice", "points": 15,
     "when": {"kind": "purchases_at_least", "count": 2}},
    {"id": "big_spender", "description": "Spent 1000 or more", "points": 20,
     "when": {"kind": "revenue_at_least", "amount": "1000"}},
    {"id": "company", "description": "Told us their company", "points": 10,
     "when": {"kind": "trait_present", "trait": "company"}},
    {"id": "top_segment", "description": "RFM Champions or Loyal", "points": 25,
     "when": {"kind": "rfm_segment_in", "segments": ["Champions", "Loyal"]}},
    {"id": "churning", "description": "Churn risk is high", "points": -20,
     "when": {"kind": "churn_band_in", "bands": ["high"]}},
]  # fmt: skip

# The document PUT /v1/lead-rules shows: five of the default rules, one of each kind of condition it uses.
EXAMPLE_LEAD_RULES: dict[str, Any] = {
    "rules": [rule for rule in DEFAULT_LEAD_RULES if rule["id"] not in ("repeat_buyer", "company")]
}


# --- lead scores ----------------------------------------------------------------------------------


class RulePoints(SalesView):
    rule_id: str = Field(examples=["engaged"])
    description: str = Field(examples=["Visited 5 times or more"])
    points: int = Field(description="What the rule added: its points when it matched, else 0.", examples=[15])
    matched: bool = Field(examples=[True])
    detail: str = Field(examples=["7 visit(s)"])


class LeadScore(SalesView):
    """A lead score, explained: every rule of the workspace's set with what it added."""

    customer_id: str = Field(examples=["c_01HZX3K9"])
    score: int = Field(examples=[90])
    rules: list[RulePoints]
    rules_are_default: bool = Field(description="True while the workspace uses the default rule set.")


class LeadRules(SalesView):
    rules: list[dict[str, JsonValue]] = Field(
        description="Each rule's `id`, `description`, `points` and condition `when`.",
        examples=[EXAMPLE_LEAD_RULES["rules"]],
    )
    default: bool = Field(description="True while the workspace uses the default rule set.")


# --- cross-sell and analytics ---------------------------------------------------------------------


class Suggestion(SalesView):
    category: str = Field(description="What the customer bought (A).", examples=["espresso machines"])
    suggested: str = Field(description="What to offer (B).", examples=["descaler"])
    customers: int = Field(description="Customers who bought both.", examples=[42])
    support: float = Field(description="Share of all buying customers who bought both.", examples=[0.08])
    confidence: float = Field(description="Of A's buyers, the share who bought B.", examples=[0.61])
    lift: float = Field(description="Confidence over B's overall share; above 1: bought together beyond chance.")


class CrossSell(SalesView):
    customers: int = Field(description="Customers with categorised purchases in the workspace.", examples=[520])
    items: list[Suggestion] = Field(description="Best lift first, then support.")
    next_cursor: None = Field(None, description="Always null: `limit` bounds the list.")


class Conversion(SalesView):
    from_stage: str = Field(examples=["contacted"])
    to_stage: str = Field(description="The next stage, or `won` after the last one.", examples=["proposal"])
    reached: int = Field(description="Deals that reached from_stage (entered it or a later one, or were won).")
    converted: int = Field(description="Of those, deals that reached to_stage.")
    rate: float | None = Field(None, examples=[0.55])


class StageTime(SalesView):
    stage: str = Field(examples=["contacted"])
    stays: int = Field(description="Finished stays in the stage.", examples=[31])
    avg_days: float | None = Field(None, examples=[2.4])


class PipelineValue(SalesView):
    currency: str = Field(examples=["EUR"])
    total: str = Field(description="Open deals' amounts.", examples=["52000.00"])
    weighted: str = Field(description="Each open deal's amount times its stage's probability.", examples=["18400.00"])


class SalesAnalytics(SalesView):
    """A pipeline's numbers over deals created in [from, to)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)

    pipeline_id: str = Field(examples=["repurchase_upsell"])
    owner: str | None = Field(None, description="The owner filter, if any.")
    from_: datetime | None = Field(None, alias="from")
    to: datetime | None = None
    deals: int = Field(examples=[120])
    open: int = Field(examples=[40])
    won: int = Field(examples=[50])
    lost: int = Field(examples=[30])
    win_rate: float | None = Field(None, description="won / (won + lost).", examples=[0.625])
    cycle_days: float | None = Field(None, description="Average days from creation to won.", examples=[18.5])
    conversions: list[Conversion]
    stages: list[StageTime]
    pipeline_value: list[PipelineValue]


# --- the deal forecast (GET /v1/sales-forecast combines it with scoring's repurchase forecast) -----------------


class DealForecastMonth(SalesView):
    """Open deals expected to close in one month, in one currency."""

    month: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-07"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])
    deals: int = Field(ge=0, examples=[12])
    amount: Decimal = Field(description="Their amounts.", examples=["52000.00"])
    weighted: Decimal = Field(
        description="Each amount times its stage's win probability (exact).", examples=["18400.0"]
    )


class DealForecast(SalesView):
    """Open deals by expected close month (UTC) and currency, months [from, from + months). A deal's expected close
    month is its `fields.expected_close` ("YYYY-MM" or "YYYY-MM-DD"), else its creation plus its pipeline's average
    cycle of won deals (30 days before any was won); one expected before the current month counts in it."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)

    from_: str = Field(alias="from", pattern=r"^\d{4}-\d{2}$", examples=["2026-07"])
    months: int = Field(ge=1, examples=[12])
    items: list[DealForecastMonth] = Field(description="By month, then currency; months without deals left out.")
