"""Events Flywheel's services publish for each other (not written by outside producers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Envelope
from contracts.inbound import (
    ConsentEvent,
    CustomEvent,
    IdentifyEvent,
    InboundEnvelope,
    PurchaseEvent,
    ReferralEvent,
    RefundEvent,
    SurveyEvent,
    TicketEvent,
    VisitEvent,
    custom_model,
)

CustomerId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="Canonical customer id assigned by the profile service (unique within a workspace).",
        examples=["c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D"],
    ),
]


class ResolvedEnvelope(InboundEnvelope):
    """What every event on `flywheel.events.resolved` adds to the inbound event: the `customerid` extension
    attribute, the canonical customer profile resolved the event's identifiers to."""

    customerid: CustomerId = Field(description="The canonical customer the event belongs to.")


# Each inbound type as republished on `flywheel.events.resolved`: the inbound model (so `isinstance(event,
# PurchaseEvent)` holds) with `customerid` declared. Field order, and so the JSON Schemas, are the inbound
# model's with `customerid` last.


class ResolvedPurchaseEvent(PurchaseEvent, ResolvedEnvelope):
    """A `purchase` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedRefundEvent(RefundEvent, ResolvedEnvelope):
    """A `refund` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedVisitEvent(VisitEvent, ResolvedEnvelope):
    """A `visit` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedTicketEvent(TicketEvent, ResolvedEnvelope):
    """A `ticket` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedReferralEvent(ReferralEvent, ResolvedEnvelope):
    """A `referral` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedIdentifyEvent(IdentifyEvent, ResolvedEnvelope):
    """A `identify` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedSurveyEvent(SurveyEvent, ResolvedEnvelope):
    """A `survey` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


class ResolvedConsentEvent(ConsentEvent, ResolvedEnvelope):
    """A `consent` event after identity resolution: the inbound event unchanged, plus the `customerid` extension attribute."""  # noqa: E501


ResolvedEvent = (
    ResolvedPurchaseEvent
    | ResolvedRefundEvent
    | ResolvedVisitEvent
    | ResolvedTicketEvent
    | ResolvedReferralEvent
    | ResolvedIdentifyEvent
    | ResolvedSurveyEvent
    | ResolvedConsentEvent
)


class ResolvedCustomEvent(CustomEvent, ResolvedEnvelope):
    """An event of a workspace's own type (its tracking plan) after identity resolution and the plan's check: the
    inbound event unchanged, plus the `customerid` extension attribute. A consumer that does not use custom types
    ignores them."""


def resolved_custom_model(event_type: object) -> type[Envelope] | None:
    """For contracts.codec.Decoder(RESOLVED_EVENT_TYPES, resolved_custom_model): a custom type's resolved model."""
    return ResolvedCustomEvent if custom_model(event_type) is not None else None


RESOLVED_EVENT_TYPES: dict[str, type[Envelope]] = {
    "purchase": ResolvedPurchaseEvent,
    "refund": ResolvedRefundEvent,
    "visit": ResolvedVisitEvent,
    "ticket": ResolvedTicketEvent,
    "referral": ResolvedReferralEvent,
    "identify": ResolvedIdentifyEvent,
    "survey": ResolvedSurveyEvent,
    "consent": ResolvedConsentEvent,
}


def resolved_event(event: Envelope, customer_id: str) -> ResolvedEnvelope:
    """`event` (an inbound event) as republished on `flywheel.events.resolved`, with its canonical customer
    id: built through its resolved model, which validates the id (its other fields were validated on the
    way in, and nested models are not validated again)."""
    model = ResolvedCustomEvent if isinstance(event, CustomEvent) else RESOLVED_EVENT_TYPES[event.type]
    fields = {**dict(event), "customerid": customer_id}
    resolved: ResolvedEnvelope = model.model_validate(fields)  # type: ignore[assignment]
    return resolved


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


MergeId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="Profile's id of one merge (unique within a workspace); `POST /v1/merges/{merge_id}/undo` "
        "undoes it.",
        examples=["m_5f0c1e2d3b4a59687766554433221100"],
    ),
]


class ProfileMergedData(_Data):
    survivor_id: CustomerId = Field(description="The profile that remains; merged ids resolve to it.")
    merged_id: CustomerId = Field(description="The profile folded into the survivor.")
    reason: str = Field(description="Which identifiers linked the two profiles.")
    merge_id: MergeId | None = Field(
        None, description="The merge's id (absent only in events from before merges could be undone)."
    )


MAX_RESTORED_EVENT_IDS = 10_000  # post-merge events an undo names; a merge with more is refused undo (409)


class ProfileUnmergedData(_Data):
    merge_id: MergeId
    survivor_id: CustomerId = Field(description="The profile that remains, minus what goes back to `restored_id`.")
    restored_id: CustomerId = Field(
        description="The profile merged away by the merge, live again: it resolves to itself from now on."
    )
    restored_event_ids: list[Annotated[str, Field(min_length=1, max_length=512)]] = Field(
        default_factory=list,
        max_length=MAX_RESTORED_EVENT_IDS,
        description="Events resolved to the survivor after the merge that belong to `restored_id` (by the identifiers "
        "they carried): services holding rows per event move those rows back too.",
    )
    reason: str = Field(max_length=512, description="Why it was undone, as the operator said.")


class ProfileErasedData(_Data):
    customer_id: CustomerId
    erased_ids: list[CustomerId] = Field(
        description="Every customer id that resolved to the erased customer (the id itself and merged ids)."
    )


class AcquisitionChangedData(_Data):
    customer_id: CustomerId
    source: str = Field(
        max_length=512,
        description="The acquisition source profile decided: `referral`, else the utm_source of the customer's "
        "earliest event carrying one, else the channel of their first purchase, else `direct`.",
        examples=["newsletter"],
    )
    campaign: str | None = Field(None, max_length=512, description="The utm_campaign of that touch, if any.")
    program_id: str | None = Field(None, max_length=512, description="The referral program, for `referral`.")
    at: dt.datetime | None = Field(None, description="When the touch that decided it happened (none for `direct`).")


class ProfileMerged(Envelope):
    """Two profiles turned out to be one customer; consumers fold `merged_id` into `survivor_id`."""

    type: Literal["profile.merged"]
    data: ProfileMergedData


class ProfileUnmerged(Envelope):
    """A merge was undone: consumers give `restored_id` back what they held on it before the merge (and the rows of
    `restored_event_ids`); it resolves to itself again. Sent after the profile service split the profiles."""

    type: Literal["profile.unmerged"]
    data: ProfileUnmergedData


class ProfileErased(Envelope):
    """A data subject asked to be forgotten: every service deletes what it holds on these ids."""

    type: Literal["profile.erased"]
    data: ProfileErasedData


class AcquisitionChanged(Envelope):
    """A customer's acquisition source (source, campaign, program) as profile decides it changed: a new customer,
    an earlier utm touch arriving late, a first purchase's channel, a referral attribution, a merge (the
    survivor's, always sent). The envelope's `time` is when profile decided it: of two about one customer, the
    later `time` holds (consumers keep the last by `time`, so redelivery or replays never roll it back). A new
    customer whose source is `direct` sends none (no source known means `direct`)."""

    type: Literal["profile.acquisition_changed"]
    data: AcquisitionChangedData


PROFILE_LIFECYCLE_TYPES: dict[str, type[Envelope]] = {
    "profile.merged": ProfileMerged,
    "profile.unmerged": ProfileUnmerged,
    "profile.erased": ProfileErased,
    "profile.acquisition_changed": AcquisitionChanged,
}


class CustomerChangedData(_Data):
    customer_ids: list[CustomerId] | None = Field(
        None,
        max_length=500,
        description="The customers whose records changed (at most 500). null (or absent): too many changed at once "
        "(a refit, a segment renamed), so every customer of the workspace may have changed.",
        examples=[["c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D", "c_01J9ZK3M4W6Q8R0T2V4X6Z8B0E"]],
    )


class CustomerChanged(Envelope):
    """Records of these customers changed in the service named in `source`: a cached 360 view of them is stale."""

    type: Literal["customer.changed"]
    data: CustomerChangedData


# What the gateway's 360 view cache invalidates on, from every service holding customer records.
CUSTOMER_CHANGE_TYPES: dict[str, type[Envelope]] = {
    "customer.changed": CustomerChanged,
}

# Headers every dead-lettered message carries (the value is the original bytes, unchanged).
DEADLETTER_HEADERS: dict[str, str] = {
    "flywheel-dlq-service": "The service whose consumer rejected the message.",
    "flywheel-dlq-reason": "Why, in one readable line (UTF-8).",
    "flywheel-dlq-time": "When it was rejected (RFC 3339, UTC).",
    "flywheel-dlq-topic": "The topic the message was read from.",
    "flywheel-dlq-partition": "Its partition there.",
    "flywheel-dlq-offset": "Its offset there.",
}


def lifecycle_event(event_type: str, **fields: Any) -> Envelope:
    return PROFILE_LIFECYCLE_TYPES[event_type].model_validate({"type": event_type, **fields})
