"""The profile service's HTTP documents that the public API passes through as they are: a customer's timeline,
an erasure's answer, a re-consent and its answer, attribute definitions. (The customer itself is read by the
gateway with services/gateway/schemas.CustomerView, and exported as the service holds it.)"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, JsonValue, model_validator

from contracts.http import Input, View


class TimelineItem(View):
    event_id: str = Field(examples=["evt-1"])
    type: str = Field(examples=["purchase"])
    occurred_at: datetime
    source: str | None = Field(None, examples=["shop-web"])
    data: dict[str, JsonValue] = Field(default_factory=dict)
    received_at: datetime | None = None


class TimelinePage(View):
    items: list[TimelineItem]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class ErasureAccepted(View):
    customer_id: str = Field(examples=["c_7f3a9b2e"])
    erased_ids: list[str] = Field(
        description="Every customer id erased (the customer and ids merged into it).",
        examples=[["c_7f3a9b2e", "c_01d44c80"]],
    )
    status: Literal["erased"] = "erased"


IdentifierName = Literal["external_id", "email", "phone", "anonymous_id"]


class ReconsentIn(Input):
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


class Reconsented(View):
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


class AttributeDefinition(View):
    name: str = Field(examples=["tier"])
    type: str = Field(description="string, number, boolean, date or enum", examples=["enum"])
    enum_values: list[str] | None = None
    description: str | None = None


class AttributeList(View):
    items: list[AttributeDefinition]
