"""The tracking plan (PUT /v1/event-types/{name}, GET /v1/event-types), served from profile's internal API (rows of
services.gateway.passthrough). Profile owns the plan, as the owner of ingestion; the gateway's ingestion reads it
(services/gateway/tracking_plans.py) to refuse an invalid custom event with a 422 before publishing it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.http.profile import EventTypeIn, EventTypeInfo, EventTypeList
from contracts.tracking_plan import MAX_NAME_LENGTH, NAME_PATTERN, RESERVED_NAMES
from services.gateway.domain import ATTRIBUTES_WRITE, CUSTOMERS_READ
from services.gateway.passthrough import PassThrough, register

event_types_router = APIRouter(tags=["attributes"])
EventTypeName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        pattern=NAME_PATTERN,
        description="The custom event type's name: lower snake case, not a built-in type's.",
        examples=["cart_abandoned"],
        # Found by Schemathesis: the built-in names matched the pattern, so the document called a request for
        # one valid that profile refuses (422). The document now lists them, as the refusal does.
        json_schema_extra={"not": {"enum": sorted(RESERVED_NAMES)}},
    ),
]

EVENT_TYPE_ROWS = (
    PassThrough(
        "list_event_types", "GET", "/v1/event-types", "profile", "/event-types", CUSTOMERS_READ, EventTypeList,
        "no such workspace",
    ),
    PassThrough(
        "put_event_type", "PUT", "/v1/event-types/{name}", "profile", "/event-types/{name}", ATTRIBUTES_WRITE,
        EventTypeInfo, "no such workspace", {"name": EventTypeName}, body=EventTypeIn, body_name="event_type",
        quota="event_types", creates=True,
    ),
)  # fmt: skip
register(event_types_router, EVENT_TYPE_ROWS)
