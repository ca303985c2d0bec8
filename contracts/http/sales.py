"""The sales service's HTTP answers (its internal API's, and the public API's sales endpoints and 360 view
sections, which pass them through): pipelines, deals, quotes, tasks, owners, teams, lead scores, cross-sell
suggestions, analytics and the sales settings; and what clients send to the sales endpoints (deals, moves,
quotes, decisions, settings, tasks, owners, teams), as the public API documents them: the gateway validates
with these, and the sales service checks more where it must (it knows the pipeline) and takes what the gateway
adds (a decision's approver is the key's owner)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue, field_validator
from pydantic.json_schema import SkipJsonSchema

from contracts.http import Input, View
from contracts.http.types import (
    TIME_DESCRIPTION,
    JsonInteger,
    JsonNumber,
    Money,
    Percent,
    RequestTime,
    Revenue,
    UnitPrice,
)
from contracts.scoring import RfmSegment

Person = Annotated[str, Field(min_length=1, max_length=100, examples=["ana"])]


class _View(View):
    # Amounts and percentages are decimal strings; a number the service gives is taken as its text.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


# The built-in `repurchase_upsell` pipeline (PUT /v1/pipelines/{pipeline_id}); docs/sales.md has the rules.
EXAMPLE_PIPELINE: dict[str, Any] = {
    "name": "Repurchase / upsell",
    "stages": [
        {
            "id": "identified",
            "name": "Opportunity identified",
            "probability": 0.1,
            "checklist": [
                {"id": "review", "title": "Review purchase history and lead score", "due_in_days": 1, "required": True}
            ],
        },
        {
            "id": "contacted",
            "name": "Contacted",
            "probability": 0.3,
            "checklist": [{"id": "call", "title": "Call the customer about their next order", "due_in_days": 2}],
            "required_fields": ["need"],
        },
        {
            "id": "proposal",
            "name": "Proposal sent",
            "probability": 0.6,
            "checklist": [
                {"id": "quote", "title": "Send a quote", "due_in_days": 1},
                {"id": "follow_up", "title": "Follow up on the quote", "due_in_days": 5, "required": False},
            ],
        },
        {"id": "negotiation", "name": "Negotiation", "probability": 0.8},
    ],
}


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


# --- the 360 view's sections -----------------------------------------------------------------


class CustomerDeal(View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    deal_id: str = Field(examples=["d_5c1e"])
    pipeline_id: str = Field(examples=["repurchase"])
    title: str = Field(examples=["Upgrade to the annual plan"])
    stage: str = Field(examples=["proposal"])
    status: Literal["open", "won", "lost"] = Field(examples=["open"])
    amount: str = Field(description="Decimal string.", examples=["1200.00"])
    currency: str = Field(examples=["EUR"])
    owner: str | None = Field(None, examples=["ana"])
    created_at: datetime
    updated_at: datetime


class CustomerTask(View):
    task_id: str = Field(examples=["t_9a0b"])
    title: str = Field(examples=["Advisor follow-up: win back Ada"])
    status: Literal["open", "done"] = Field(examples=["open"])
    assignee: str | None = Field(None, examples=["ana"])
    due_at: datetime | None = None
    source: str = Field(description="`journey`, `sop`, `manual` or `signal`.", examples=["journey"])
    deal_id: str | None = None
    created_at: datetime
    completed_at: datetime | None = None


# --- pipelines ------------------------------------------------------------------------------------


class Pipeline(_View):
    pipeline_id: str = Field(examples=["repurchase_upsell"])
    built_in: bool = Field(description="True for a built-in pipeline the workspace has not replaced.")
    document: dict[str, JsonValue] = Field(
        description="Ordered stages, each with its win probability, SOP checklist and required deal fields.",
        examples=[EXAMPLE_PIPELINE],
    )


class PipelineList(_View):
    items: list[Pipeline] = Field(description="Every pipeline of the workspace, built-ins included.")
    next_cursor: None = Field(None, description="Always null: the list is never paged.")


# --- deals ----------------------------------------------------------------------------------------


class DealSummary(CustomerDeal):
    customer_id: str | None = Field(None, description="Null once the customer was erased.", examples=["c_01HZX3K9"])


class StageEntry(_View):
    stage: str = Field(examples=["contacted"])
    entered_at: datetime
    left_at: datetime | None = None
    override_reason: str | None = Field(None, description="Why the deal left with open requirements.")
    overridden: list[str] = Field(default_factory=list, examples=[["checklist call", "field need"]])


class Deal(DealSummary):
    """A deal with what keeps it in its stage and its stage history."""

    products: list[str] = Field(default_factory=list, examples=[["tea-01"]])
    fields: dict[str, JsonValue] = Field(default_factory=dict, examples=[{"need": "refills"}])
    close_reason: str | None = None
    closed_at: datetime | None = None
    blockers: list[str] = Field(
        default_factory=list,
        description="What keeps the deal in its stage: open required checklist items, missing fields.",
        examples=[["checklist call", "field need"]],
    )
    stage_history: list[StageEntry] = Field(default_factory=list, description="One entry per stage entered.")


class DealPage(_View):
    items: list[DealSummary] = Field(description="Oldest first.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


# --- quotes ---------------------------------------------------------------------------------------


class QuoteLine(_View):
    sku: str = Field(examples=["tea-01"])
    quantity: int = Field(examples=[10])
    unit_price: str = Field(description="Decimal string.", examples=["12.50"])


class Quote(_View):
    quote_id: str = Field(examples=["q_4e1b0c9d2a7f3e58a1b2"])
    deal_id: str = Field(examples=["d_5c1e0a9b8f7d6c5b4a3e"])
    lines: list[QuoteLine]
    discount_percent: str = Field(examples=["20"])
    threshold_percent: str = Field(description="The workspace's approval threshold when quoted.", examples=["15"])
    subtotal: str = Field(examples=["125.00"])
    total: str = Field(examples=["100.00"])
    currency: str = Field(examples=["EUR"])
    status: Literal["open", "pending_approval", "approved", "rejected", "accepted"] = Field(
        description="`open` (within the threshold) and `approved` quotes can be accepted.",
        examples=["pending_approval"],
    )
    approver: str | None = Field(
        None,
        description="Who decided: the owner of the deciding API key (for quotes decided before keys had owners, the "
        "name sent then).",
        examples=["maria@shop.example"],
    )
    approver_key_id: str | None = Field(
        None, description="The API key that decided.", examples=["3f1c0a9e-8d47-4a38-9a4e-0c2b8e6c1f52"]
    )
    decision_comment: str | None = None
    decided_at: datetime | None = None
    accepted_at: datetime | None = None
    created_at: datetime


# --- tasks, owners and teams ----------------------------------------------------------------------


class Task(CustomerTask):
    customer_id: str | None = Field(None, examples=["c_01HZX3K9"])


class TaskDetail(Task):
    reason: str = Field("", examples=["asked about the autumn range"])
    team: str | None = Field(None, examples=["advisors"])
    completed_by: str | None = Field(None, examples=["ana"])


class TaskPage(_View):
    items: list[Task] = Field(description="Open tasks first, by due date.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class Owner(_View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    owner: str | None = Field(description="Null when the customer has no owner.", examples=["ana"])


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


# --- sales settings -------------------------------------------------------------------------------


class SalesSettings(_View):
    discount_approval_threshold_percent: str = Field(examples=["15"])
    managers: list[str] = Field(examples=[["maria"]])
    reminder_lead_hours: float = Field(examples=[24.0])
    high_value_segments: list[RfmSegment] = Field(examples=[["Champions", "Loyal", "Can't Lose Them"]])
    high_value_revenue: str = Field(examples=["1000"])


# --- what clients send, taken as it is ----------------------------------------------------------


class CloseIn(Input):
    reason: str | None = Field(None, max_length=2000, examples=["closed at the fair"])


class CompleteIn(Input):
    completed_by: Person | None = None


class OwnerIn(Input):
    owner: Person | None = Field(description="The customer's owner; null removes the owner.")


class TeamIn(Input):
    members: list[Person] = Field(
        max_length=500,
        description="In turn order; unique.",
        examples=[["ana", "ben"]],
        json_schema_extra={"uniqueItems": True},
    )


# --- what clients send, as the public API documents it ---------------------------------------------

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # pipeline, stage, checklist item and field ids
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.", examples=["EUR"])]


# --- deals ----------------------------------------------------------------------------------------


FieldName = Annotated[str, Field(min_length=1, max_length=64)]


class DealIn(Input):
    customer_id: str = Field(pattern=CUSTOMER_ID_PATTERN, examples=["c_01HZX3K9"])
    title: str = Field(min_length=1, max_length=300, examples=["Refill subscription upgrade"])
    pipeline_id: Identifier = Field("repurchase_upsell", examples=["repurchase_upsell"])
    amount: Money
    currency: Currency
    products: list[Annotated[str, Field(min_length=1, max_length=128)]] = Field(
        default_factory=list, max_length=200, examples=[["tea-01"]]
    )
    owner: Person | None = Field(None, description="Defaults to the customer's owner.")
    fields: dict[FieldName, JsonValue] = Field(
        default_factory=dict,
        max_length=50,
        description="Custom fields that stages may require: at most 50, each value at most 4 KB of JSON nested "
        "at most 8 levels deep.",
        examples=[{"need": "refills"}],
    )
    stage: Identifier | None = Field(None, description="Defaults to the pipeline's first stage.")


class DealPatch(Input):
    title: str | None = Field(None, min_length=1, max_length=300, examples=["Annual refill subscription"])
    amount: Money | None = None
    currency: Currency | None = None
    products: list[Annotated[str, Field(min_length=1, max_length=128)]] | None = Field(None, max_length=200)
    owner: Person | None = None
    fields: dict[FieldName, JsonValue] | None = Field(
        None,
        max_length=50,
        description="Merged into the deal's fields; null removes one. A deal keeps at most 50 fields, each value "
        "at most 4 KB of JSON nested at most 8 levels deep.",
        examples=[{"need": "refills"}],
    )


class MoveIn(Input):
    stage: Identifier = Field(examples=["proposal"])
    override_reason: str | None = Field(
        None,
        max_length=2000,
        description="Leave a stage with open requirements anyway (recorded with what it overrode).",
        examples=["customer asked for the quote on the phone"],
    )


# Some character that is not blank (the sales service strips a reason as Python does: \x1c-\x1f too).
NOT_BLANK = r"[^\s\x1c-\x1f]"


class LossIn(Input):
    reason: str = Field(
        min_length=1, max_length=2000, pattern=NOT_BLANK, description="Why it was lost.",
        examples=["went with a competitor"],
    )  # fmt: skip


# --- quotes ---------------------------------------------------------------------------------------


class QuoteLineIn(Input):
    sku: str = Field(min_length=1, max_length=128, examples=["tea-01"])
    quantity: JsonInteger = Field(ge=1, le=1_000_000, examples=[10])
    unit_price: UnitPrice


class QuoteIn(Input):
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=500)
    discount_percent: Percent = Field(
        Decimal(0), description="Above the workspace's threshold the quote waits for a manager's approval."
    )


class DecisionIn(Input):
    comment: str = Field("", max_length=2000, examples=["fine for a three-year customer"])
    # Taken by the body no more: the approver is the API key's owner. Kept out of the document, refused by name.
    approver: SkipJsonSchema[Any] = Field(None, exclude=True)

    @field_validator("approver")
    @classmethod
    def _approver_is_the_key(cls, value: Any) -> None:
        raise ValueError("not accepted: the approver is the owner of the API key making the request")


class DecisionByKey(Input):
    """The decision the gateway sends the sales service: the public `DecisionIn`'s comment with the approver the
    gateway took from the deciding API key (its `sales:approve` scope checked there), never what a client
    claims. Two models, not one: the public body refuses `approver` by name."""

    approver: str = Field(
        min_length=1, max_length=100, description="The deciding key's owner.", examples=["maria@shop.example"]
    )
    approver_key_id: str | None = Field(
        None, min_length=1, max_length=64, description="The deciding API key.", examples=["3f1c0a9e-8d47"]
    )
    comment: str = Field("", max_length=2000)


# --- sales settings -------------------------------------------------------------------------------


DEFAULT_HIGH_VALUE_SEGMENTS: list[RfmSegment] = ["Champions", "Loyal", "Can't Lose Them"]


class SalesSettingsIn(Input):
    discount_approval_threshold_percent: Percent = Field(
        Decimal(15), description="A quote with a larger discount needs a manager's approval.", examples=["15"]
    )
    managers: list[Person] = Field(
        default_factory=list,
        max_length=200,
        description="Who may approve or reject quotes: owners of API keys with `sales:approve` (see `POST /v1/keys`).",
        examples=[["maria@shop.example"]],
    )
    reminder_lead_hours: JsonNumber = Field(
        24.0, ge=0, le=24 * 30, description="`sales.task_due` is published this long before a task's due time."
    )
    high_value_segments: list[RfmSegment] = Field(
        default_factory=lambda: list(DEFAULT_HIGH_VALUE_SEGMENTS),
        max_length=20,
        description="RFM segments whose customers get a task when their churn risk turns high.",
    )
    high_value_revenue: Revenue = Field(
        Decimal(1000), description="Customers with at least this revenue count as high value too.", examples=["1000"]
    )


# --- tasks and teams ------------------------------------------------------------------------------

TEAM_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"
Team = Annotated[str, Field(min_length=1, max_length=64, pattern=TEAM_PATTERN, examples=["advisors"])]


class TaskIn(Input):
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
