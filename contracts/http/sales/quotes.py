"""Quotes with manager approval and the workspace's sales settings (the approval policy): what the sales
service answers and what clients send, as the public API documents it; and the decision the gateway sends
with the deciding key's owner."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from contracts.http import CursorPage, Input
from contracts.http.sales.common import Person, SalesView
from contracts.http.types import JsonInteger, JsonNumber, Percent, Revenue, UnitPrice
from contracts.scoring import RfmSegment

# --- quotes ---------------------------------------------------------------------------------------


QuoteStatus = Literal["open", "pending_approval", "approved", "rejected", "accepted"]


class QuoteLine(SalesView):
    sku: str = Field(examples=["tea-01"])
    quantity: int = Field(examples=[10])
    unit_price: str = Field(description="Decimal string.", examples=["12.50"])


class Quote(SalesView):
    quote_id: str = Field(examples=["q_4e1b0c9d2a7f3e58a1b2"])
    deal_id: str = Field(examples=["d_5c1e0a9b8f7d6c5b4a3e"])
    lines: list[QuoteLine]
    discount_percent: str = Field(examples=["20"])
    threshold_percent: str = Field(description="The workspace's approval threshold when quoted.", examples=["15"])
    subtotal: str = Field(examples=["125.00"])
    total: str = Field(examples=["100.00"])
    currency: str = Field(examples=["EUR"])
    status: QuoteStatus = Field(
        description="`open` (within the threshold) and `approved` quotes can be accepted.",
        examples=["pending_approval"],
    )
    requested_by: str | None = Field(
        None,
        description="Who asked for the quote: the owner of the API key that created it (null for quotes made before "
        "it was kept).",
        examples=["ana@shop.example"],
    )
    requested_key_id: str | None = Field(
        None, description="The API key that created it.", examples=["7a2d0c1e-5b9f-4c3a-8e1d-2f6b9c0a4d17"]
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


class QuoteSummary(SalesView):
    """A quote in a list: its amounts and status, and the deal it is for (without its lines)."""

    quote_id: str = Field(examples=["q_4e1b0c9d2a7f3e58a1b2"])
    deal_id: str = Field(examples=["d_5c1e0a9b8f7d6c5b4a3e"])
    deal_title: str = Field(examples=["Upgrade to the annual plan"])
    deal_owner: str | None = Field(None, description="Who owns the deal.", examples=["ana"])
    customer_id: str | None = Field(
        None, description="The deal's customer; null once the customer was erased.", examples=["c_01HZX3K9"]
    )
    discount_percent: str = Field(examples=["20"])
    threshold_percent: str = Field(description="The workspace's approval threshold when quoted.", examples=["15"])
    subtotal: str = Field(examples=["125.00"])
    total: str = Field(examples=["100.00"])
    currency: str = Field(examples=["EUR"])
    status: QuoteStatus = Field(examples=["pending_approval"])
    requested_by: str | None = Field(
        None, description="The owner of the API key that created the quote.", examples=["ana@shop.example"]
    )
    approver: str | None = Field(None, description="Who decided, once decided.", examples=["maria@shop.example"])
    decided_at: datetime | None = None
    created_at: datetime


class QuotePage(CursorPage[QuoteSummary]):
    items: list[QuoteSummary] = Field(description="Oldest first.")


# --- sales settings -------------------------------------------------------------------------------


class SalesSettings(SalesView):
    discount_approval_threshold_percent: str = Field(examples=["15"])
    managers: list[str] = Field(examples=[["maria"]])
    reminder_lead_hours: float = Field(examples=[24.0])
    high_value_segments: list[RfmSegment] = Field(examples=[["Champions", "Loyal", "Can't Lose Them"]])
    high_value_revenue: str = Field(examples=["1000"])


# --- what clients send: quotes and decisions ------------------------------------------------------


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


class QuoteByKey(QuoteIn):
    """The quote the gateway sends the sales service: the public `QuoteIn` with who asks for it, the creating API
    key's owner and id (never what a client claims)."""

    requested_by: str | None = Field(
        None, min_length=1, max_length=100, description="The creating key's owner.", examples=["ana@shop.example"]
    )
    requested_key_id: str | None = Field(
        None, min_length=1, max_length=64, description="The creating API key.", examples=["7a2d0c1e-5b9f"]
    )


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


# --- what clients send: the sales settings --------------------------------------------------------


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
