"""Events Flywheel's services publish for each other (not written by outside producers)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model

from contracts.envelope import Envelope
from contracts.inbound import INBOUND_EVENT_TYPES

CustomerId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="Canonical customer id assigned by the profile service (unique within a workspace).",
        examples=["c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D"],
    ),
]


def _type_name(model: type[Envelope]) -> str:
    """The `type` value of a model whose `type` field is a single Literal (for docstrings)."""
    args = get_args(model.model_fields["type"].annotation)
    return str(args[0]) if len(args) == 1 else model.__name__


def _resolved(model: type[Envelope]) -> type[Envelope]:
    name = f"Resolved{model.__name__}"
    resolved: type[Envelope] = create_model(
        name,
        __base__=model,
        __doc__=f"A `{_type_name(model)}` event after identity resolution: "
        "the inbound event unchanged, plus the `customerid` extension attribute.",
        customerid=(CustomerId, Field(description="The canonical customer the event belongs to.")),
    )
    return resolved


# Every inbound type, as republished on `flywheel.events.resolved` with its canonical customer id.
RESOLVED_EVENT_TYPES: dict[str, type[Envelope]] = {
    event_type: _resolved(model) for event_type, model in INBOUND_EVENT_TYPES.items()
}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileMergedData(_Data):
    survivor_id: CustomerId = Field(description="The profile that remains; merged ids resolve to it.")
    merged_id: CustomerId = Field(description="The profile folded into the survivor.")
    reason: str = Field(description="Which identifiers linked the two profiles.")


class ProfileErasedData(_Data):
    customer_id: CustomerId
    erased_ids: list[CustomerId] = Field(
        description="Every customer id that resolved to the erased customer (the id itself and merged ids)."
    )


class ProfileMerged(Envelope):
    """Two profiles turned out to be one customer; consumers fold `merged_id` into `survivor_id`."""

    type: Literal["profile.merged"]
    data: ProfileMergedData


class ProfileErased(Envelope):
    """A data subject asked to be forgotten: every service deletes what it holds on these ids."""

    type: Literal["profile.erased"]
    data: ProfileErasedData


PROFILE_LIFECYCLE_TYPES: dict[str, type[Envelope]] = {
    "profile.merged": ProfileMerged,
    "profile.erased": ProfileErased,
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
