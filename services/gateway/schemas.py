"""Request and response documents of the public API, as they appear in /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from runtime.problems import Problem, problem_responses

problems = problem_responses


class _View(BaseModel):
    # Fields the profile service adds later are dropped, so the public surface changes only on purpose.
    model_config = ConfigDict(extra="ignore")


# --- events -------------------------------------------------------------------------------------


class EventsAccepted(BaseModel):
    accepted: list[str] = Field(description="Ids of the events published, in body order.", examples=[["evt-1"]])
    rejected: list[str] = Field(default_factory=list, description="Always empty on 202.", examples=[[]])


class EventError(BaseModel):
    index: int = Field(description="Position of the event in the batch (0 for a single event).", examples=[1])
    id: str | None = Field(description="The event's id, when it has a readable one.", examples=["evt-2"])
    field: str = Field(examples=["data.amount"])
    message: str = Field(examples=["Input should be greater than or equal to 0"])


class EventsRejected(Problem):
    """Some events were invalid: every bad field of every bad event; the valid ones were still published."""

    accepted: list[str] = Field(description="Ids of the valid events that were published.", examples=[["evt-1"]])
    errors: list[EventError] | None = None  # type: ignore[assignment]


# --- customers ----------------------------------------------------------------------------------


class Identifiers(_View):
    external_id: list[str] = Field(default_factory=list, examples=[["u-42"]])
    email: list[str] = Field(default_factory=list, examples=[["ada@example.com"]])
    phone: list[str] = Field(default_factory=list, examples=[["+4915112345678"]])
    anonymous_id: list[str] = Field(default_factory=list)


class CustomerStats(_View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    orders: int = 0
    revenue: str = Field("0", description="Decimal string.", examples=["129.90"])
    average_order_value: str | None = Field(None, description="Decimal string.", examples=["64.95"])
    first_purchase_at: datetime | None = None
    last_purchase_at: datetime | None = None
    visits: int = 0
    last_visit_at: datetime | None = None
    open_tickets: int = 0
    last_nps: int | None = Field(None, ge=0, le=10)
    average_csat: float | None = None


class CustomerView(_View):
    """A resolved customer: every identifier merged into one profile."""

    customer_id: str = Field(examples=["c_01HZX3K9"])
    identifiers: Identifiers = Field(default_factory=Identifiers)
    traits: dict[str, JsonValue] = Field(default_factory=dict, examples=[{"name": "Ada", "city": "Berlin"}])
    tags: list[str] = Field(default_factory=list, examples=[["vip"]])
    stats: CustomerStats = Field(default_factory=CustomerStats)
    merged_ids: list[str] = Field(default_factory=list, description="Ids merged into this customer.")
    first_seen_at: datetime | None = Field(None, description="Time of the customer's earliest event.")
    last_event_at: datetime | None = Field(None, description="Time of the customer's latest event.")
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Customer360(CustomerView):
    """The 360° view. Sections owned by other services are empty until those services exist."""

    scores: dict[str, JsonValue] | None = Field(
        None, description="RFM, LTV and churn (see GET /v1/customers/{id}/scores); null until scored."
    )
    segments: list[dict[str, JsonValue]] = Field(default_factory=list)
    journeys: list[dict[str, JsonValue]] = Field(default_factory=list, description="Enrolments and their state.")
    referrals: list[dict[str, JsonValue]] = Field(default_factory=list)
    deals: list[dict[str, JsonValue]] = Field(default_factory=list)
    tasks: list[dict[str, JsonValue]] = Field(default_factory=list)
    degraded: list[str] = Field(
        default_factory=list, description="Backing services that did not answer; their sections are empty."
    )


class TimelineItem(_View):
    event_id: str = Field(examples=["evt-1"])
    type: str = Field(examples=["purchase"])
    occurred_at: datetime
    source: str | None = Field(None, examples=["shop-web"])
    data: dict[str, JsonValue] = Field(default_factory=dict)
    received_at: datetime | None = None


class TimelinePage(_View):
    items: list[TimelineItem]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class ErasureAccepted(_View):
    customer_id: str
    erased_ids: list[str] = Field(description="Every customer id erased (the customer and ids merged into it).")
    status: Literal["erased"] = "erased"


# --- attributes ---------------------------------------------------------------------------------

AttributeType = Literal["string", "number", "boolean", "date", "enum"]


class AttributeDefinitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: AttributeType = Field(examples=["enum"])
    enum_values: list[str] | None = Field(None, description="Allowed values when type is enum.", examples=[["a"]])
    description: str | None = Field(None, max_length=500, examples=["Membership tier"])


class AttributeDefinition(_View):
    name: str = Field(examples=["tier"])
    type: str = Field(description="string, number, boolean, date or enum", examples=["enum"])
    enum_values: list[str] | None = None
    description: str | None = None


class AttributeList(_View):
    items: list[AttributeDefinition]
