"""What clients send to the sales endpoints (deals, moves, quotes, decisions, settings, tasks, owners, teams), as
in /openapi.json; the answers are the sales service's own (contracts/http/sales.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator
from pydantic.json_schema import SkipJsonSchema

from contracts.http.sales import Person
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

CUSTOMER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # pipeline, stage, checklist item and field ids
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=IDENTIFIER_PATTERN)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.", examples=["EUR"])]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


# Some character that is not blank (the sales service strips a reason as Python does: \x1c-\x1f too).
NOT_BLANK = r"[^\s\x1c-\x1f]"


class LossIn(_In):
    reason: str = Field(
        min_length=1, max_length=2000, pattern=NOT_BLANK, description="Why it was lost.",
        examples=["went with a competitor"],
    )  # fmt: skip


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


# --- tasks and teams ------------------------------------------------------------------------------

TEAM_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"
Team = Annotated[str, Field(min_length=1, max_length=64, pattern=TEAM_PATTERN, examples=["advisors"])]


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
