"""The Segment-compatible API's documents for the OpenAPI document: the messages of the Segment HTTP Tracking API
spec as Flywheel reads them (services/gateway/segment.py maps them), and the answers.

The endpoints parse the body themselves (it may be gzip), so these models document it; the mapping's errors name
the field of a message that is wrong. Fields not listed are accepted and ignored (`sentAt`, `receivedAt`,
`integrations`, `writeKey`, `channel`, ...)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.json_document import JsonDocument
from runtime.problems import Problem
from services.gateway.schemas import EventError
from services.gateway.segment import MAX_BATCH_BYTES, MAX_MESSAGE_BYTES

_EXAMPLE_CONTEXT = {
    "library": {"name": "analytics-python", "version": "2.4.0"},
    "page": {"url": "https://shop.example/checkout"},
    "campaign": {"source": "newsletter", "name": "spring"},
}


class TrackingContext(JsonDocument):
    """What the SDK knows around the call; Flywheel reads `page.url`, `campaign.source` and `campaign.name` (UTM),
    `traits.email` and `traits.phone` (identifiers), `library.name` (the event's source), and `app` or `device`
    (a track's channel: app). `ip` and `userAgent` are not kept."""

    model_config = ConfigDict(extra="allow")

    page: dict[str, Any] | None = Field(None, examples=[{"url": "https://shop.example/"}])
    campaign: dict[str, Any] | None = Field(None, examples=[{"source": "newsletter", "name": "spring"}])
    traits: dict[str, Any] | None = Field(None, examples=[{"email": "ada@example.com"}])
    library: dict[str, Any] | None = Field(None, examples=[{"name": "analytics-python", "version": "2.4.0"}])


class TrackingMessage(JsonDocument):
    """Fields every call has. `userId` is the customer's `external_id`, `anonymousId` their `anonymous_id`; at least
    one (or a trait `email` or `phone`) is needed."""

    model_config = ConfigDict(extra="allow")

    messageId: str | int | None = Field(  # noqa: N815 (Segment's name)
        None,
        max_length=256,
        description="The event's id: a retry with the same messageId is the same event. Without one, a digest of "
        "the message.",
        examples=["ajs-5f1a9b"],
    )
    userId: str | int | None = Field(None, max_length=512, examples=["u-42"])  # noqa: N815
    anonymousId: str | int | None = Field(None, max_length=512, examples=["a-7c1"])  # noqa: N815
    timestamp: str | None = Field(
        None,
        description="When it happened (ISO 8601; without a zone: UTC). Without it `originalTimestamp`, else the "
        "receipt time.",
        examples=["2026-12-01T10:00:00.000+00:00"],
    )
    context: TrackingContext | None = None


class TrackCall(TrackingMessage):
    """A track: `Order Completed` is a purchase, `Order Refunded` a refund (the ecommerce spec v2), an event whose
    name in lower snake case is a type of the workspace's tracking plan is that type (`properties` its data), any
    other a visit."""

    type: Literal["track"] = "track"
    event: str = Field(min_length=1, examples=["Order Completed"])
    properties: dict[str, Any] | None = Field(
        None,
        examples=[
            {
                "order_id": "o-1",
                "total": 59.9,
                "currency": "EUR",
                "coupon": "SPRING",
                "products": [{"product_id": "p-1", "category": "shoes", "quantity": 1, "price": 59.9}],
            }
        ],
    )


class IdentifyCall(TrackingMessage):
    """An identify: `traits.email` and `traits.phone` are identifiers, the other traits are set on the profile."""

    type: Literal["identify"] = "identify"
    traits: dict[str, Any] | None = Field(None, examples=[{"email": "ada@example.com", "name": "Ada", "plan": "pro"}])


class PageCall(TrackingMessage):
    """A page view: a web visit (`properties.url`, else `context.page.url`)."""

    type: Literal["page"] = "page"
    name: str | None = Field(None, examples=["Checkout"])
    properties: dict[str, Any] | None = Field(None, examples=[{"url": "https://shop.example/checkout"}])


class ScreenCall(TrackingMessage):
    """A screen view: an app visit on screen `name`."""

    type: Literal["screen"] = "screen"
    name: str | None = Field(None, examples=["Cart"])
    properties: dict[str, Any] | None = None


class AliasCall(TrackingMessage):
    """An alias: `previousId` (as an anonymous id) and `userId` become one customer (an identify carrying both)."""

    type: Literal["alias"] = "alias"
    previousId: str | int = Field(max_length=512, examples=["a-7c1"])  # noqa: N815


class GroupCall(TrackingMessage):
    """A group (an account): accepted and ignored; Flywheel has no accounts. Listed in `ignored`."""

    type: Literal["group"] = "group"
    groupId: str | int | None = Field(None, examples=["acme"])  # noqa: N815
    traits: dict[str, Any] | None = None


class TrackingBatch(JsonDocument):
    """What the SDKs send (they always post `/v1/batch`): at most the gateway's batch size of messages and
    MAX_BATCH_BYTES decompressed; `context` and `integrations` apply to every message."""

    model_config = ConfigDict(extra="allow")

    batch: list[TrackCall | IdentifyCall | PageCall | ScreenCall | AliasCall | GroupCall] = Field(
        min_length=1,
        examples=[
            [
                {
                    "type": "identify",
                    "messageId": "m-1",
                    "userId": "u-42",
                    "traits": {"email": "ada@example.com", "name": "Ada"},
                    "context": _EXAMPLE_CONTEXT,
                },
                {
                    "type": "track",
                    "messageId": "m-2",
                    "userId": "u-42",
                    "event": "Order Completed",
                    "properties": {"order_id": "o-1", "total": 59.9, "currency": "EUR"},
                },
            ]
        ],
    )
    context: TrackingContext | None = None


class TrackingAccepted(BaseModel):
    """Every message was taken: its event is durable in Kafka (or it was a call Flywheel ignores)."""

    success: Literal[True] = Field(True, examples=[True])
    accepted: list[str] = Field(
        description="Event ids (the messages' messageIds) published, in body order.", examples=[["m-1", "m-2"]]
    )
    ignored: list[str] = Field(
        default_factory=list, description="messageIds of `group` calls, accepted and ignored.", examples=[["m-3"]]
    )


class TrackingRejected(Problem):
    """Some messages were invalid: every reason, by message (`index` in the batch, 0 for a single call); the valid
    ones were still published and are listed in `accepted`. `code` and `message` are for the SDKs' logs."""

    code: str = Field("unprocessable_content", examples=["unprocessable_content"])
    message: str = Field(examples=["1 of 2 message(s) are invalid; 1 accepted"])
    accepted: list[str] = Field(default_factory=list, examples=[["m-1"]])
    ignored: list[str] = Field(default_factory=list)
    errors: list[EventError] | None = None  # type: ignore[assignment]


LIMITS = (
    f"Limits: {MAX_MESSAGE_BYTES // 1024} KB per message as JSON, {MAX_BATCH_BYTES // 1024} KB per request "
    "(decompressed)."
)
