"""Public documents of the sales endpoints for tasks, owners, teams, lead scores, cross-sell suggestions
and analytics (proxied to the sales service), as in /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue

from services.gateway.request_types import TIME_DESCRIPTION, RequestTime
from services.gateway.schemas_growth import CustomerTask
from services.gateway.schemas_sales import CUSTOMER_ID_PATTERN, Person, _In, _View

TEAM_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"
Team = Annotated[str, Field(min_length=1, max_length=64, pattern=TEAM_PATTERN, examples=["advisors"])]

# The default lead-scoring rules (PUT /v1/lead-rules); conditions are listed in docs/sales.md.
EXAMPLE_LEAD_RULES: dict[str, Any] = {
    "rules": [
        {"id": "engaged", "description": "Visited 5 times or more", "points": 15,
         "when": {"kind": "visits_at_least", "count": 5}},
        {"id": "recent", "description": "Active in the last 14 days", "points": 20,
         "when": {"kind": "active_within_days", "days": 14}},
        {"id": "big_spender", "description": "Spent 1000 or more", "points": 20,
         "when": {"kind": "revenue_at_least", "amount": "1000"}},
        {"id": "top_segment", "description": "RFM Champions or Loyal", "points": 25,
         "when": {"kind": "rfm_segment_in", "segments": ["Champions", "Loyal"]}},
        {"id": "churning", "description": "Churn risk is high", "points": -20,
         "when": {"kind": "churn_band_in", "bands": ["high"]}},
    ]
}  # fmt: skip


# --- tasks ----------------------------------------------------------------------------------------


class TaskIn(_In):
    title: str = Field(min_length=1, max_length=300, examples=["Send the catalogue"])
    reason: str = Field("", max_length=2000, examples=["asked about the autumn range"])
    due_at: RequestTime = Field(description=TIME_DESCRIPTION)
    customer_id: str | None = Field(None, pattern=CUSTOMER_ID_PATTERN, examples=["c_01HZX3K9"])
    deal_id: str | None = Field(None, min_length=1, max_length=64, examples=["d_5c1e0a9b8f7d6c5b4a3e"])
    assignee: Person | None = Field(None, description="Given: this person. Otherwise by `assignee_rule`.")
    assignee_rule: Literal["customer_owner", "round_robin"] = Field(
        "customer_owner", description="Without an owner or team member to give it to, the task is unassigned."
    )
    team: Team | None = Field(None, description="The team to round-robin in.")


class CompleteIn(_In):
    completed_by: Person | None = None


class Task(CustomerTask):
    customer_id: str | None = Field(None, examples=["c_01HZX3K9"])


class TaskDetail(Task):
    reason: str = Field("", examples=["asked about the autumn range"])
    team: str | None = Field(None, examples=["advisors"])
    completed_by: str | None = Field(None, examples=["ana"])


class TaskPage(_View):
    items: list[Task] = Field(description="Open tasks first, by due date.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


# --- owners and teams -----------------------------------------------------------------------------


class OwnerIn(_In):
    owner: Person | None = Field(description="The customer's owner; null removes the owner.")


class Owner(_View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    owner: str | None = Field(description="Null when the customer has no owner.", examples=["ana"])


class TeamIn(_In):
    members: list[Person] = Field(
        max_length=500,
        description="In turn order; unique.",
        examples=[["ana", "ben"]],
        json_schema_extra={"uniqueItems": True},
    )


class TeamView(_View):
    team: str = Field(examples=["advisors"])
    members: list[str] = Field(examples=[["ana", "ben"]])
    next_member: str | None = Field(description="Who the round robin gives the next task to.", examples=["ben"])


# --- lead scores ----------------------------------------------------------------------------------


class RulePoints(_View):
    rule_id: str = Field(examples=["engaged"])
    description: str = Field(examples=["Visited 5 times or more"])
    points: int = Field(description="What the rule added: its points when it matched, else 0.", examples=[15])
    matched: bool = Field(examples=[True])
    detail: str = Field(examples=["7 visit(s)"])


class LeadScore(_View):
    """A lead score, explained: every rule of the workspace's set with what it added."""

    customer_id: str = Field(examples=["c_01HZX3K9"])
    score: int = Field(examples=[90])
    rules: list[RulePoints]
    rules_are_default: bool = Field(description="True while the workspace uses the default rule set.")


class LeadRules(_View):
    rules: list[dict[str, JsonValue]] = Field(
        description="Each rule's `id`, `description`, `points` and condition `when`.",
        examples=[EXAMPLE_LEAD_RULES["rules"]],
    )
    default: bool = Field(description="True while the workspace uses the default rule set.")


# --- cross-sell and analytics ---------------------------------------------------------------------


class Suggestion(_View):
    category: str = Field(description="What the customer bought (A).", examples=["espresso machines"])
    suggested: str = Field(description="What to offer (B).", examples=["descaler"])
    customers: int = Field(description="Customers who bought both.", examples=[42])
    support: float = Field(description="Share of all buying customers who bought both.", examples=[0.08])
    confidence: float = Field(description="Of A's buyers, the share who bought B.", examples=[0.61])
    lift: float = Field(description="Confidence over B's overall share; above 1: bought together beyond chance.")


class CrossSell(_View):
    customers: int = Field(description="Customers with categorised purchases in the workspace.", examples=[520])
    items: list[Suggestion] = Field(description="Best lift first, then support.")
    next_cursor: None = Field(None, description="Always null: `limit` bounds the list.")


class Conversion(_View):
    from_stage: str = Field(examples=["contacted"])
    to_stage: str = Field(description="The next stage, or `won` after the last one.", examples=["proposal"])
    reached: int = Field(description="Deals that reached from_stage (entered it or a later one, or were won).")
    converted: int = Field(description="Of those, deals that reached to_stage.")
    rate: float | None = Field(None, examples=[0.55])


class StageTime(_View):
    stage: str = Field(examples=["contacted"])
    stays: int = Field(description="Finished stays in the stage.", examples=[31])
    avg_days: float | None = Field(None, examples=[2.4])


class PipelineValue(_View):
    currency: str = Field(examples=["EUR"])
    total: str = Field(description="Open deals' amounts.", examples=["52000.00"])
    weighted: str = Field(description="Each open deal's amount times its stage's probability.", examples=["18400.00"])


class SalesAnalytics(_View):
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
