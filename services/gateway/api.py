"""Public routes: event ingestion and attribute definitions (customer reads are in api_customers)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Header, Path, Request, Response

from contracts.cloudevents import (
    BATCH_TYPE,
    MAX_ATTRIBUTE_VALUE,
    BindingError,
    binary_field,
    complete_http_event,
    http_binary_attributes,
    http_binary_document,
    http_mode,
)
from contracts.envelope import CONTENT_TYPE
from contracts.http.profile import AttributeDefinition, AttributeDefinitionIn, AttributeList
from runtime.json_limits import number_problems
from runtime.problems import PROBLEM_JSON, ProblemError
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
from services.gateway.api_segment import segment_router
from services.gateway.api_segments import SCORE_ROWS, SEGMENT_ROWS, scores_router, segments_router
from services.gateway.api_spend import SPEND_ROWS, spend_router
from services.gateway.api_survey import survey_router
from services.gateway.api_targets import targets_router
from services.gateway.api_unsubscribe import unsubscribe_router
from services.gateway.deps import gateway_context, require
from services.gateway.domain import (
    ATTRIBUTES_WRITE,
    CUSTOMERS_READ,
    EVENTS_WRITE,
    BatchShapeError,
    Principal,
    custom_types_in,
    events_of,
    number_errors_by_event,
    plan_batch,
)
from services.gateway.passthrough import IDEMPOTENT_WRITE, PassThrough, described, register
from services.gateway.publishing import publish_plan
from services.gateway.request_body import read_bounded_body
from services.gateway.schemas import EventsAccepted, EventsRejected, problems

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
            for media in ("application/json", CONTENT_TYPE, BATCH_TYPE)
        },
    },
    # CloudEvents HTTP binary mode: the attributes as headers, `Content-Type: application/json`, the body the
    # event's `data` (see the operation's description).
    "parameters": [
        {
            "name": f"ce-{name}",
            "in": "header",
            "required": False,
            "description": f"Binary mode: the event's `{name}` attribute (percent-encoded). {words}",
            "schema": {"type": "string", "maxLength": MAX_ATTRIBUTE_VALUE},
        }
        for name, words in (
            ("specversion", "`1.0`; its presence (with a Content-Type that is no cloudevents one) means binary mode."),
            ("id", "Required in binary mode."),
            ("source", "Required in binary mode."),
            ("type", "Required in binary mode."),
            ("time", "RFC 3339; when absent, the receipt time is used (`timesource: received`)."),
            ("workspace", "Optional: the API key's workspace; another one is refused."),
            ("subject", "Optional."),
        )
    ],
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
    received_at = state.clock()
    try:
        mode, media = http_mode(request.headers.get("content-type"), "ce-specversion" in request.headers)
        attributes = http_binary_attributes(request.scope["headers"]) if mode == "binary" else {}
    except BindingError as exc:
        raise ProblemError(exc.status, exc.reason) from None
    limit = settings.max_body_bytes
    body = await read_bounded_body(request, limit, f"the body is larger than {limit} bytes; send smaller batches")
    what = "the body (the event's data in binary mode)" if mode == "binary" else "the body"
    try:
        doc = orjson.loads(body) if body.strip() or mode != "binary" else None
    except orjson.JSONDecodeError as exc:
        raise ProblemError(400, f"{what} is not valid JSON: {exc}") from None
    if mode == "binary":  # CloudEvents HTTP binary mode: one event, attributes in ce-* headers, data the body
        doc = http_binary_document(attributes, media, doc, has_data=bool(body.strip()))
    try:
        docs = events_of(doc, settings.max_batch_events)
    except BatchShapeError as exc:
        raise ProblemError(exc.status, exc.detail) from None
    for event_doc in docs:
        complete_http_event(event_doc, principal.workspace, received_at)
    custom = custom_types_in(docs)  # a workspace's own types: checked against its tracking plan before publishing
    tracking = await state.tracking_plans.plan(state.profile, principal.workspace, custom) if custom else None
    numbers = number_errors_by_event(
        number_problems(body, "body.data" if mode == "binary" else "body"), isinstance(doc, list)
    )
    plan = plan_batch(docs, principal.workspace, numbers, tracking)
    if mode == "binary":  # name the header an invalid attribute came in
        plan.errors = [{**err, "field": binary_field(err["field"])} for err in plan.errors]
    accepted = await publish_plan(state, principal.workspace, plan, f"{len(docs)} event(s)")
    return Response(orjson.dumps({"accepted": accepted, "rejected": []}), 202, media_type="application/json")


EVENTS_ALLOW = "OPTIONS, POST"
ORIGIN_PATTERN = r"^[\x21-\x7e]{1,255}$"  # a host name or `*`: printable ASCII, no spaces


@events_router.options(
    "/v1/events",
    status_code=200,
    response_class=Response,
    **described("events_options"),
    responses={
        200: {
            "description": "The methods taken; with `WebHook-Request-Origin`, the CloudEvents webhook validation's "
            "grant",
            "headers": {
                "Allow": {"description": "The methods the path takes.", "schema": {"type": "string"}},
                "WebHook-Allowed-Origin": {
                    "description": "The origin asked for (`WebHook-Request-Origin`): events from it are accepted.",
                    "schema": {"type": "string"},
                },
                "WebHook-Allowed-Rate": {
                    "description": "Requests a minute one API key may send (per gateway replica).",
                    "schema": {"type": "string"},
                },
            },
        },
    },
)
async def events_options(
    request: Request,
    webhook_request_origin: Annotated[
        str | None,
        Header(
            description="CloudEvents webhook validation (abuse protection): the sender asking to deliver here (a "
            "host name, or any printable ASCII without spaces).",
            pattern=ORIGIN_PATTERN,
            max_length=255,
        ),
    ] = None,
) -> Response:
    """Answered without an API key: it reveals nothing of any workspace, and webhook senders (Event Grid...) send
    the validation request without credentials. Every POST still needs a key with `events:write`. A
    `WebHook-Request-Callback` is never fetched: answering now grants the request (CloudEvents HTTP webhook 4.2)."""
    headers = {"Allow": EVENTS_ALLOW}
    if webhook_request_origin is not None:  # checked against ORIGIN_PATTERN: safe to echo in a header
        per_minute = max(1, round(gateway_context(request).runtime.settings.rate_limit_per_s * 60))
        headers |= {"WebHook-Allowed-Origin": webhook_request_origin, "WebHook-Allowed-Rate": str(per_minute)}
    return Response(status_code=200, headers=headers)


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
        segment_router,
    ]
