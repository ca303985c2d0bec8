"""Inbound customer events: what data producers publish to `flywheel.events.inbound` (events.md)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, model_validator

from contracts.envelope import TIMESOURCE_DESCRIPTION, Envelope, TimeSource

Text = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=20, decimal_places=6, description="Decimal string (or number), never negative."),
]
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=6)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code", examples=["EUR"])]


class _Data(BaseModel):
    # Producers may send fields this version does not know; they are kept on the timeline.
    model_config = ConfigDict(extra="allow", frozen=True)


class CustomerRef(_Data):
    """Identifiers of the customer an event is about; at least one is required."""

    external_id: Text | None = Field(default=None, description="The producer's own user id.")
    email: Annotated[str, StringConstraints(min_length=3, max_length=320)] | None = Field(
        default=None, description="Compared case-insensitively and trimmed."
    )
    phone: Annotated[str, StringConstraints(min_length=3, max_length=40)] | None = Field(
        default=None, description="Normalised to E.164."
    )
    anonymous_id: Text | None = Field(default=None, description="A device or cookie id.")

    @model_validator(mode="after")
    def _at_least_one_identifier(self) -> CustomerRef:
        for value in (self.external_id, self.email, self.phone, self.anonymous_id):
            if value and not value.isspace():
                return self
        raise ValueError("customer needs at least one identifier: external_id, email, phone or anonymous_id")


class CustomerData(_Data):
    customer: CustomerRef


class LineItem(_Data):
    sku: Text
    category: Text | None = None
    quantity: Annotated[int, Field(ge=1)]
    unit_price: Money


class PurchaseData(CustomerData):
    order_id: Text = Field(description="Unique per workspace.")
    amount: Money
    currency: Currency | None = None
    items: list[LineItem] = Field(default_factory=list)
    channel: Text | None = None
    coupon: Text | None = None
    referral_code: Text | None = None
    utm_source: Text | None = None
    utm_campaign: Text | None = None


class RefundData(CustomerData):
    order_id: Text = Field(description="The purchase's order_id.")
    amount: PositiveMoney
    reason: Text | None = None


class VisitData(CustomerData):
    channel: Text = Field(examples=["web", "app", "store"])
    url: Annotated[str, StringConstraints(max_length=2048)] | None = None
    screen: Text | None = None
    product_sku: Text | None = None
    duration_s: Annotated[float, Field(ge=0)] | None = None
    utm_source: Text | None = None
    utm_campaign: Text | None = None


class TicketData(CustomerData):
    ticket_id: Text
    status: Literal["opened", "resolved", "closed"]
    category: Text | None = None
    priority: Text | None = None
    csat: Annotated[int, Field(ge=1, le=5)] | None = None
    nps: Annotated[int, Field(ge=0, le=10)] | None = None


class ReferralData(CustomerData):
    action: Literal["invite_sent", "link_clicked", "signed_up"]
    code: Text = Field(description="The referral code.")
    channel: Text | None = None


MAX_SURVEY_COMMENT = 2000  # characters of a survey answer's free-text comment


class SurveyData(CustomerData):
    """A survey answer: an NPS score (0-10), a CSAT score (1-5), or both."""

    nps: Annotated[int, Field(ge=0, le=10)] | None = Field(
        default=None, description="Net Promoter answer: 9-10 a promoter, 7-8 passive, 0-6 a detractor."
    )
    csat: Annotated[int, Field(ge=1, le=5)] | None = Field(default=None, description="Satisfaction, 1 (worst) to 5.")
    survey_id: Text | None = Field(default=None, description="The producer's id of the survey asked.")
    comment: Annotated[str, StringConstraints(max_length=MAX_SURVEY_COMMENT)] | None = Field(
        default=None, description=f"The customer's own words (at most {MAX_SURVEY_COMMENT} characters)."
    )
    channel: Text | None = Field(default=None, examples=["email", "app", "web"])

    @model_validator(mode="after")
    def _at_least_one_score(self) -> SurveyData:
        if self.nps is None and self.csat is None:
            raise ValueError("a survey answer needs at least one of nps (0-10) or csat (1-5)")
        return self


class IdentifyData(CustomerData):
    traits: dict[Annotated[str, StringConstraints(min_length=1, max_length=128)], JsonValue] = Field(
        description="Attributes to set on the profile (name, company, city, custom attributes)."
    )


class ConsentData(CustomerData):
    """A customer's choice about one subscription group (or a channel's own group: `email`, `sms`, ...), as of
    the envelope's `time`: the latest by that time is their consent."""

    group: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] = Field(
        description="The subscription group's id, or a channel (`email`, `sms`, `push`, `wechat`, `other`): all of "
        "that channel's groups.",
        examples=["newsletter"],
    )
    status: Literal["subscribed", "unsubscribed"]
    source: Text | None = Field(
        default=None,
        description="Where the choice was made.",
        examples=["preference_center", "signup_form", "unsubscribe_link", "import"],
    )


class InboundEnvelope(Envelope):
    """What every inbound event may carry beside the envelope: `timesource`, when the producer sent no `time`
    (CloudEvents makes it optional; Flywheel then records when it received the event, and says so)."""

    timesource: TimeSource | None = Field(default=None, description=TIMESOURCE_DESCRIPTION)


class PurchaseEvent(InboundEnvelope):
    """A customer bought something: `order_id` is unique per workspace, `amount` is never negative."""

    type: Literal["purchase"]
    data: PurchaseData


class RefundEvent(InboundEnvelope):
    """Money given back on an earlier purchase (`order_id`); `amount` is strictly positive."""

    type: Literal["refund"]
    data: RefundData


class VisitEvent(InboundEnvelope):
    """The customer showed up on a channel (web, app, store, ...), optionally on a page or product."""

    type: Literal["visit"]
    data: VisitData


class TicketEvent(InboundEnvelope):
    """A support ticket opened, resolved or closed, with optional satisfaction scores (CSAT 1-5, NPS 0-10)."""

    type: Literal["ticket"]
    data: TicketData


class ReferralEvent(InboundEnvelope):
    """A step of a referral: an invite sent, a referral link clicked, or a referred person signing up."""

    type: Literal["referral"]
    data: ReferralData


class IdentifyEvent(InboundEnvelope):
    """Attributes (`traits`) to set on the customer's profile; also links the identifiers it carries."""

    type: Literal["identify"]
    data: IdentifyData


class SurveyEvent(InboundEnvelope):
    """A survey answer: NPS (0-10) and/or CSAT (1-5), with an optional survey id, comment and channel."""

    type: Literal["survey"]
    data: SurveyData


class ConsentEvent(InboundEnvelope):
    """A customer subscribed to or unsubscribed from a subscription group (journeys honour it before every
    message); kept as history, the latest by `time` wins."""

    type: Literal["consent"]
    data: ConsentData


INBOUND_EVENT_TYPES: dict[str, type[Envelope]] = {
    "purchase": PurchaseEvent,
    "refund": RefundEvent,
    "visit": VisitEvent,
    "ticket": TicketEvent,
    "referral": ReferralEvent,
    "identify": IdentifyEvent,
    "survey": SurveyEvent,
    "consent": ConsentEvent,
}

# --- a workspace's own event types (its tracking plan: contracts/tracking_plan.py) -------------------------------

CUSTOM_TYPE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
CUSTOM = "custom"  # the key the custom event model is listed under (contracts/topics.py); never a type's name


class CustomData(CustomerData):
    """A custom event's data: `customer` as every event has it, and the fields the workspace's tracking plan
    describes with a JSON Schema (checked against the plan by the gateway and by profile, not by this model)."""


class CustomEvent(InboundEnvelope):
    """An event of a type the workspace declared in its tracking plan (`PUT /v1/event-types/{name}`), e.g.
    `cart_abandoned`: its `data` carries `customer` and the fields the type's JSON Schema describes. An event of
    a type the workspace has not declared, or whose data the schema refuses, is refused with the field named."""

    type: Annotated[
        str,
        Field(
            pattern=CUSTOM_TYPE_PATTERN,
            max_length=64,
            description="The custom type's name (lower snake case, not a built-in type).",
            examples=["cart_abandoned"],
        ),
    ]
    data: CustomData


def custom_model(event_type: object) -> type[Envelope] | None:
    """The model an event of type `event_type` that is no built-in type is read with: CustomEvent for a name a
    custom type may have; else None (an unknown type)."""
    if isinstance(event_type, str) and event_type not in INBOUND_EVENT_TYPES and len(event_type) <= 64:
        return CustomEvent if re.match(CUSTOM_TYPE_PATTERN, event_type) and event_type != CUSTOM else None
    return None


InboundEvent = Annotated[
    PurchaseEvent | RefundEvent | VisitEvent | TicketEvent | ReferralEvent | IdentifyEvent | SurveyEvent | ConsentEvent,
    Field(discriminator="type"),
]


def customer_of(event: Any) -> CustomerRef:
    """The identifiers of any inbound event (every inbound type carries `data.customer`)."""
    ref: CustomerRef = event.data.customer
    return ref
