"""Public documents of the sales endpoints for pipelines, deals, quotes and sales settings (proxied to the
sales service), as in /openapi.json. Tasks, owners, teams, lead scores, cross-sell and analytics are in
schemas_sales_work."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator
from pydantic.json_schema import SkipJsonSchema

from contracts.scoring import RfmSegment
from services.gateway.request_types import JsonInteger, JsonNumber, Money, Percent, Revenue, UnitPrice
from services.gateway.schemas_growth import CustomerDeal

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # pipeline, stage, checklist item and field ids
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN)]
Person = Annotated[str, Field(min_length=1, max_length=100, examples=["ana"])]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.", examples=["EUR"])]

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


class _View(BaseModel):
    # Fields the sales service adds later are dropped, so the public surface changes only on purpose.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


FieldName = Annotated[str, Field(min_length=1, max_length=64)]


class DealIn(_In):
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


class DealPatch(_In):
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


class MoveIn(_In):
    stage: Identifier = Field(examples=["proposal"])
    override_reason: str | None = Field(
        None,
        max_length=2000,
        description="Leave a stage with open requirements anyway (recorded with what it overrode).",
        examples=["customer asked for the quote on the phone"],
    )


class CloseIn(_In):
    reason: str | None = Field(None, max_length=2000, examples=["closed at the fair"])


# Some character that is not blank (the sales service strips a reason as Python does: \x1c-\x1f too).
NOT_BLANK = r"[^\s\x1c-\x1f]"


class LossIn(_In):
    reason: str = Field(
        min_length=1, max_length=2000, pattern=NOT_BLANK, description="Why it was lost.",
        examples=["went with a competitor"],
    )  # fmt: skip


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


class QuoteLineIn(_In):
    sku: str = Field(min_length=1, max_length=128, examples=["tea-01"])
    quantity: JsonInteger = Field(ge=1, le=1_000_000, examples=[10])
    unit_price: UnitPrice


class QuoteIn(_In):
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=500)
    discount_percent: Percent = Field(
        Decimal(0), description="Above the workspace's threshold the quote waits for a manager's approval."
    )


class DecisionIn(_In):
    comment: str = Field("", max_length=2000, examples=["fine for a three-year customer"])
    # Taken by the body no more: the approver is the API key's owner. Kept out of the document, refused by name.
    approver: SkipJsonSchema[Any] = Field(None, exclude=True)

    @field_validator("approver")
    @classmethod
    def _approver_is_the_key(cls, value: Any) -> None:
        raise ValueError("not accepted: the approver is the owner of the API key making the request")


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


# --- sales settings -------------------------------------------------------------------------------


DEFAULT_HIGH_VALUE_SEGMENTS: list[RfmSegment] = ["Champions", "Loyal", "Can't Lose Them"]


class SalesSettingsIn(_In):
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


class SalesSettings(_View):
    discount_approval_threshold_percent: str = Field(examples=["15"])
    managers: list[str] = Field(examples=[["maria"]])
    reminder_lead_hours: JsonNumber = Field(examples=[24.0])
    high_value_segments: list[RfmSegment] = Field(examples=[["Champions", "Loyal", "Can't Lose Them"]])
    high_value_revenue: str = Field(examples=["1000"])
