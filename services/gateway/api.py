"""Public routes: event ingestion and attribute definitions (customer reads are in api_customers)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import orjson
from aiokafka.errors import KafkaError, MessageSizeTooLargeError
from fastapi import APIRouter, Depends, Path, Request, Response

from contracts.envelope import CONTENT_TYPE
from contracts.http.profile import AttributeDefinition, AttributeDefinitionIn, AttributeList
from contracts.topics import INBOUND
from runtime.json_limits import number_problems
from runtime.problems import PROBLEM_JSON, ProblemError
from runtime.telemetry import inject_headers
from services.gateway.api_customer_search import search_router
from services.gateway.api_customers import TIMELINE, customers_router
from services.gateway.api_event_types import EVENT_TYPE_ROWS, event_types_router
from services.gateway.api_growth_reports import growth_reports_router
from services.gateway.api_identity import IDENTITY_ROWS, identity_router
from services.gateway.api_journeys import JOURNEY_ROWS, journeys_router
from services.gateway.api_keys import keys_router
from services.gateway.api_kpi_tree import kpi_tree_router
from services.gateway.api_loyalty import LOYALTY_ROWS, loyalty_router
from services.gateway.api_problems import problems_router
from services.gateway.api_quotas import quotas_router
from services.gateway.api_referrals import REFERRAL_ROWS, referrals_router
from services.gateway.api_reports import reports_router
from services.gateway.api_sales import SALES_ROWS, sales_router
from services.gateway.api_sales_forecast import sales_forecast_router
from services.gateway.api_sales_work import SALES_WORK_ROWS, sales_work_router
from services.gateway.api_segments import SCORE_ROWS, SEGMENT_ROWS, scores_router, segments_router
from services.gateway.api_spend import SPEND_ROWS, spend_router
from services.gateway.api_survey import survey_router
from services.gateway.api_targets import targets_router
from services.gateway.api_unsubscribe import unsubscribe_router
from services.gateway.deps import GatewayContext, gateway_context, require
from services.gateway.domain import (
    ATTRIBUTES_WRITE,
    CUSTOMERS_READ,
    EVENTS_WRITE,
    BatchPlan,
    BatchShapeError,
    Principal,
    custom_types_in,
    events_of,
    number_errors_by_event,
    plan_batch,
)
from services.gateway.passthrough import IDEMPOTENT_WRITE, PassThrough, described, register
from services.gateway.request_body import read_bounded_body
from services.gateway.schemas import EventsAccepted, EventsRejected, problems
from services.gateway.tracking_plans import report_rejections

JSON_TYPES = frozenset({"application/json", "application/cloudevents+json", "application/cloudevents-batch+json"})

_EXAMPLE_EVENT = {
    "specversion": "1.0",
    "id": "evt-0001",
    "source": "shop-web",
    "type": "purchase",
    "time": "2025-03-01T12:00:00Z",
    "workspace": "demo",
    "data": {"customer": {"email": "ada@example.com"}, "order_id": "o-1", "amount": "59.90", "currency": "EUR"},
}
_CUSTOM_EVENT = {"$ref": "#/components/schemas/CustomEvent"}


def events_body_schema(max_events: int) -> dict[str, Any]:
    """The body of POST /v1/events, one named component (`EventsBody`) every content type refers to: a schema
    written out under each one made openapi-python-client's generated client crash on it."""
    return {
        "title": "EventsBody",
        "oneOf": [
            {"$ref": "#/components/schemas/InboundEvent"},
            {
                "type": "array",
                "items": {"$ref": "#/components/schemas/InboundEvent"},
                "minItems": 1,
                "maxItems": max_events,
            },
            # An event of a type of the workspace's own (its tracking plan), checked against the type's JSON
            # Schema; a batch holding at least one of them.
            _CUSTOM_EVENT,
            {
                "type": "array",
                "items": {"anyOf": [{"$ref": "#/components/schemas/InboundEvent"}, _CUSTOM_EVENT]},
                "contains": _CUSTOM_EVENT,
                "minItems": 1,
                "maxItems": max_events,
            },
        ],
    }


_EVENTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media: {
                "schema": {"$ref": "#/components/schemas/EventsBody"},
                "examples": {
                    "one": {"summary": "One event", "value": _EXAMPLE_EVENT},
                    "batch": {"summary": "A batch", "value": [_EXAMPLE_EVENT, {**_EXAMPLE_EVENT, "id": "evt-0002"}]},
                },
            }
            for media in ("application/json", CONTENT_TYPE)
        },
    }
}

events_router = APIRouter(tags=["events"])


@events_router.post(
    "/v1/events",
    dependencies=[IDEMPOTENT_WRITE],
    status_code=202,
    **described("post_events"),
    response_model=EventsAccepted,
    responses={
        422: {"model": EventsRejected, "content": {PROBLEM_JSON: {}}, "description": "Some events are invalid"},
        **problems(400, 401, 403, 413, 415, 503),
    },
    openapi_extra=_EVENTS_BODY,
)
async def post_events(
    request: Request,
    principal: Annotated[Principal, Depends(require(EVENTS_WRITE))],
) -> Response:
    state = gateway_context(request)
    settings = state.runtime.settings
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise ProblemError(415, f"send JSON: Content-Type must be one of {', '.join(sorted(JSON_TYPES))}")
    limit = settings.max_body_bytes
    body = await read_bounded_body(request, limit, f"the body is larger than {limit} bytes; send smaller batches")
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ProblemError(400, f"the body is not valid JSON: {exc}") from None
    try:
        docs = events_of(doc, settings.max_batch_events)
    except BatchShapeError as exc:
        raise ProblemError(exc.status, exc.detail) from None
    custom = custom_types_in(docs)  # a workspace's own types: checked against its tracking plan before publishing
    tracking = await state.tracking_plans.plan(state.profile, principal.workspace, custom) if custom else None
    numbers = number_errors_by_event(number_problems(body), isinstance(doc, list))
    plan = plan_batch(docs, principal.workspace, numbers, tracking)
    await report_rejections(state.profile, principal.workspace, plan.refused_custom)
    accepted = await _publish(state, plan)
    if plan.errors:
        raise ProblemError(
            422,
            f"{plan.invalid_count} of {len(docs)} event(s) are invalid; {len(accepted)} accepted",
            type_="validation",
            extra={"accepted": accepted, "errors": plan.errors},
        )
    return Response(orjson.dumps({"accepted": accepted, "rejected": []}), 202, media_type="application/json")


async def _publish(state: GatewayContext, plan: BatchPlan) -> list[str]:
    """Send every valid event, then wait for all acks: answering only once they are durable.

    An event too large for the broker becomes a per-event error; any other broker failure answers 503
    naming the events that did get through (the client can retry the rest; ids are de-duplicated).
    """
    producer = state.runtime.producer
    headers = inject_headers([("content-type", CONTENT_TYPE.encode())])
    pending: list[tuple[str, asyncio.Future[Any]]] = []
    failure: BaseException | None = None
    for event in plan.publish:
        try:
            pending.append((event.event_id, await producer.send(INBOUND, event.value, key=event.key, headers=headers)))
        except MessageSizeTooLargeError:
            plan.invalid_count += 1
            plan.errors.append(
                {"index": event.index, "id": event.event_id, "field": "(event)", "message": "too large for the broker"}
            )
            plan.errors.sort(key=lambda err: int(err["index"]))
        except KafkaError as exc:
            failure = exc
            break
    results = await asyncio.gather(*(future for _, future in pending), return_exceptions=True)
    acked = [not isinstance(result, BaseException) for result in results]
    accepted = [event_id for (event_id, _), ok in zip(pending, acked, strict=True) if ok]
    if failure is not None or len(accepted) < len(pending):
        raise ProblemError(
            503,
            "the event broker did not confirm every event; retry those not listed in `accepted`",
            headers={"Retry-After": "1"},
            extra={"accepted": accepted, "errors": plan.errors},
        )
    return accepted


attributes_router = APIRouter(tags=["attributes"])
AttributeName = Annotated[
    str, Path(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]{0,127}$", description="Attribute (trait) name.", examples=["tier"])
]


ATTRIBUTE_ROWS = (
    PassThrough(
        "list_attributes", "GET", "/v1/attributes", "profile", "/attributes", CUSTOMERS_READ, AttributeList,
        "workspace has no attributes",
    ),
    PassThrough(
        "put_attribute", "PUT", "/v1/attributes/{name}", "profile", "/attributes/{name}", ATTRIBUTES_WRITE,
        AttributeDefinition, "no such workspace", {"name": AttributeName}, body=AttributeDefinitionIn,
        body_name="definition", quota="attributes", creates=True,
    ),
)  # fmt: skip
register(attributes_router, ATTRIBUTE_ROWS)


def pass_through_rows() -> tuple[PassThrough, ...]:
    """Every endpoint that only passes a request on to a service (services.gateway.passthrough)."""
    return (
        TIMELINE,
        *SCORE_ROWS,
        *SEGMENT_ROWS,
        *JOURNEY_ROWS,
        *REFERRAL_ROWS,
        *SALES_ROWS,
        *SALES_WORK_ROWS,
        *ATTRIBUTE_ROWS,
        *EVENT_TYPE_ROWS,
        *SPEND_ROWS,
        *LOYALTY_ROWS,
        *IDENTITY_ROWS,
    )


def routers() -> list[APIRouter]:
    return [
        events_router,
        problems_router,
        search_router,  # before customers_router: /v1/customers/search is not a customer id
        customers_router,
        scores_router,
        segments_router,
        journeys_router,
        referrals_router,
        sales_router,
        sales_work_router,
        loyalty_router,
        attributes_router,
        event_types_router,
        reports_router,
        growth_reports_router,
        sales_forecast_router,
        spend_router,
        targets_router,
        kpi_tree_router,
        keys_router,
        quotas_router,
        survey_router,
        unsubscribe_router,
        identity_router,
    ]
