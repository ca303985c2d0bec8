"""Request and response documents of the public API, as they appear in /openapi.json."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from runtime.problems import Problem, problem_responses
from services.gateway.schemas_growth import CustomerDeal, CustomerTask, ReferralCode, ReferralLink, ReferralReward

problems = problem_responses


def quota_conflict(quota: str) -> dict[int | str, dict[str, Any]]:
    """The 409 of a creation counted against a workspace quota (runtime.quotas)."""
    description = (
        f"The workspace's quota `{quota}` is reached (the problem names it, with its limit and use), or a "
        "request with this Idempotency-Key is still in progress"
    )
    return {409: {"model": Problem, "description": description}}


class _View(BaseModel):
    # Fields the profile service adds later are dropped, so the public surface changes only on purpose.
    model_config = ConfigDict(extra="ignore")


# --- events -------------------------------------------------------------------------------------


class EventsAccepted(BaseModel):
    accepted: list[str] = Field(description="Ids of the events published, in body order.", examples=[["evt-1"]])
    rejected: list[str] = Field(default_factory=list, description="Always empty on 202.", examples=[[]])


class EventError(BaseModel):
    index: int | None = Field(
        None,
        description="Position of the event in the batch (0 for a single event); absent for an error of the "
        "request itself (a header).",
        examples=[1],
    )
    id: str | None = Field(None, description="The event's id, when it has a readable one.", examples=["evt-2"])
    field: str = Field(examples=["data.amount"])
    message: str = Field(examples=["Input should be greater than or equal to 0"])


class EventsRejected(Problem):
    """Some events were invalid: every bad field of every bad event; the valid ones were still published."""

    # Defaulted: a 422 the gateway gives before reading the events (an Idempotency-Key reused for another
    # body) has no `accepted`.
    accepted: list[str] = Field(
        default_factory=list, description="Ids of the valid events that were published.", examples=[["evt-1"]]
    )
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


# --- scores and segments (from the scoring service) ----------------------------------------------


class RfmScores(_View):
    r: int = Field(ge=1, le=5, examples=[4])
    f: int = Field(ge=1, le=5, examples=[3])
    m: int = Field(ge=1, le=5, examples=[5])
    segment: str = Field(description="The named RFM segment (see README).", examples=["Loyal"])
    recency_days: int | None = Field(None, description="Days since the last purchase day.", examples=[12])


class LtvScores(_View):
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


class ChurnScores(_View):
    p_alive: float | None = Field(
        None, ge=0, le=1, description="Probability the customer still buys; null without purchases.", examples=[0.31]
    )
    risk: Literal["low", "medium", "high"] = Field(examples=["high"])
    reasons: list[str] = Field(
        default_factory=list, examples=[["no purchase for 94 days, 3.1x their usual gap of 30 days"]]
    )


class CustomerSegment(_View):
    segment_id: str = Field(examples=["seg_5f1c2a9e0b7d4c31"])
    name: str = Field(examples=["Repeat buyers in Berlin"])
    entered_at: datetime


class CustomerScores(_View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    rfm: RfmScores | None = Field(description="Null until the customer's first purchase.")
    ltv: LtvScores
    churn: ChurnScores
    dormant_since: datetime | None = Field(None, description="Set while the customer is dormant.")
    segments: list[CustomerSegment] = Field(default_factory=list)
    as_of: datetime = Field(description="When these scores were computed.")


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class SegmentFailure(_View):
    reason: str = Field(
        description="Why its evaluation failed, and what to do about it.",
        examples=["evaluating its condition for 1000 customers took longer than 5000 ms; it is skipped until saved "
                  "again; simplify it (fewer leaves, fewer contains over long traits)"],
    )  # fmt: skip
    since: datetime


class Segment(_View):
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


class SegmentPage(_View):
    items: list[Segment]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class SegmentMember(_View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    entered_at: datetime


class SegmentMemberPage(_View):
    items: list[SegmentMember]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class SegmentField(_View):
    field: str = Field(examples=["stats.orders"])
    type: str = Field(examples=["number"])
    operators: list[str] = Field(examples=[["eq", "gte", "in"]])
    description: str | None = None


class CustomerJourney(_View):
    """One enrolment of the customer in a journey (from the journey service)."""

    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    version: int = Field(description="The journey version the customer was enrolled on.", examples=[2])
    status: Literal["active", "waiting", "converted", "exited", "completed"] = Field(examples=["waiting"])
    step_id: str | None = Field(None, description="The step the enrolment is at; null once it ended.")
    variant: str | None = Field(None, description="The A/B variant, if the journey splits.", examples=["b"])
    holdout: bool = Field(False, description="In the holdout (control) group: sent nothing, counted to measure lift.")
    entered_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = Field(None, examples=["completed"])


class Customer360(CustomerView):
    """The 360° view: profile's customer plus the sections other services own."""

    scores: CustomerScores | None = Field(
        None, description="RFM, LTV and churn (as GET /v1/customers/{id}/scores); null until scored."
    )
    segments: list[CustomerSegment] = Field(default_factory=list, description="Dynamic segments the customer is in.")
    journeys: list[CustomerJourney] = Field(
        default_factory=list, description="Journey enrolments and their state, newest first."
    )
    referrals: list[ReferralLink] = Field(
        default_factory=list, description="Referrals the customer made, and the one that brought them in."
    )
    referral_codes: list[ReferralCode] = Field(default_factory=list, description="The customer's referral codes.")
    referral_rewards: list[ReferralReward] = Field(
        default_factory=list, description="Rewards the customer earned as referrer or friend, with their status."
    )
    deals: list[CustomerDeal] = Field(default_factory=list, description="The customer's deals, oldest first.")
    tasks: list[CustomerTask] = Field(
        default_factory=list, description="Sales tasks about the customer: open ones first, by due date."
    )
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
    customer_id: str = Field(examples=["c_7f3a9b2e"])
    erased_ids: list[str] = Field(
        description="Every customer id erased (the customer and ids merged into it).",
        examples=[["c_7f3a9b2e", "c_01d44c80"]],
    )
    status: Literal["erased"] = "erased"


IdentifierName = Literal["external_id", "email", "phone", "anonymous_id"]


class ReconsentIn(BaseModel):
    """Exactly one identifier of the person who gave their consent again, as events carry it (an email must be
    an email address, a phone number a valid one: 422 otherwise)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1, "maxProperties": 1})

    external_id: str | None = Field(None, min_length=1, max_length=512)
    email: str | None = Field(None, min_length=3, max_length=320, examples=["ada@example.com"])
    phone: str | None = Field(None, min_length=3, max_length=40)
    anonymous_id: str | None = Field(None, min_length=1, max_length=512)

    @model_validator(mode="after")
    def _exactly_one(self) -> ReconsentIn:
        if len(self.model_dump(exclude_none=True)) != 1:
            raise ValueError("give exactly one of email, phone, external_id, anonymous_id")
        return self


class Reconsented(_View):
    identifier: IdentifierName = Field(
        description="Which identifier was re-consented (never its value).", examples=["email"]
    )
    erased_at: datetime = Field(
        description="When the customer who had it was erased.", examples=["2026-11-02T09:30:00Z"]
    )
    reconsented_at: datetime = Field(
        description="Events that happen from this time on are accepted again (a new profile); events from "
        "before it (replayed, re-sent) stay dropped.",
        examples=["2026-12-06T10:00:00Z"],
    )
    status: Literal["reconsented"] = "reconsented"


# --- attributes ---------------------------------------------------------------------------------

EnumValue = Annotated[str, Field(min_length=1, max_length=128)]


class EnumAttributeIn(BaseModel):
    """An attribute taking one of the listed values."""

    model_config = ConfigDict(extra="forbid", title="EnumAttributeIn")

    type: Literal["enum"] = Field(examples=["enum"])
    enum_values: list[EnumValue] = Field(
        min_length=1, max_length=200, description="The allowed values (1 to 200).", examples=[["gold", "silver"]]
    )
    description: str | None = Field(None, max_length=500, examples=["Membership tier"])


class PlainAttributeIn(BaseModel):
    """An attribute of a plain type: any value of that type."""

    model_config = ConfigDict(extra="forbid", title="PlainAttributeIn")

    type: Literal["string", "number", "boolean", "date"] = Field(examples=["date"])
    enum_values: list[EnumValue] | None = Field(None, max_length=0, description="Only for type enum: none here.")
    description: str | None = Field(None, max_length=500, examples=["Membership tier"])


# Its `type` tells which (the profile service refuses enum values on a plain attribute and an enum without any).
AttributeDefinitionIn = Annotated[EnumAttributeIn | PlainAttributeIn, Field(discriminator="type")]


class AttributeDefinition(_View):
    name: str = Field(examples=["tier"])
    type: str = Field(description="string, number, boolean, date or enum", examples=["enum"])
    enum_values: list[str] | None = None
    description: str | None = None


class AttributeList(_View):
    items: list[AttributeDefinition]
