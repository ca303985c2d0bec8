"""The Segment-compatible tracking API: `POST /segment/v1/{track,identify,page,screen,alias,group,batch}`, so an SDK
configured with host `<gateway>/segment` and an `events:write` key as its write key works unchanged (docs/segment.md).

Each message becomes a Flywheel inbound event (services/gateway/segment.py), validated by the same contract and
tracking plan as `POST /v1/events` and published through the same path (services/gateway/publishing.py): 200
`{"success": true}` only once Kafka acknowledged every event; 503 with Retry-After otherwise (the SDKs retry, and
the messageIds de-duplicate); 422 naming every invalid message, the valid ones still published (Segment answers 200
and drops them silently; Flywheel says which and why)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request, Response

from runtime.json_limits import number_problems
from runtime.problems import PROBLEM_JSON, ProblemError
from services.gateway.deps import INVALID_KEY, MISSING_KEY, gateway_context, lacks_scope
from services.gateway.domain import EVENTS_WRITE, BatchPlan, BatchShapeError, Principal, plan_batch
from services.gateway.passthrough import IDEMPOTENT_WRITE, described
from services.gateway.publishing import publish_plan
from services.gateway.request_body import read_bounded_body
from services.gateway.routing import RequiredScope
from services.gateway.schemas import problems
from services.gateway.schemas_segment import (
    LIMITS,
    AliasCall,
    GroupCall,
    IdentifyCall,
    PageCall,
    ScreenCall,
    TrackCall,
    TrackingAccepted,
    TrackingBatch,
    TrackingRejected,
)
from services.gateway.segment import (
    MAX_BATCH_BYTES,
    MAX_MESSAGE_BYTES,
    Mapped,
    map_messages,
    messages_of,
    wanted_custom_types,
)
from services.gateway.segment_http import BASIC_CHALLENGE, api_key_of, decoded_body

segment_router = APIRouter(tags=["segment"])
BODIES: dict[str, type[Any]] = {
    "track": TrackCall,
    "identify": IdentifyCall,
    "page": PageCall,
    "screen": ScreenCall,
    "alias": AliasCall,
    "group": GroupCall,
    "batch": TrackingBatch,
}


class _WriteKey(RequiredScope):
    """The request's principal from its write key (Basic, as the SDKs send it, or Bearer), holding `scope`. The
    protection middleware has checked the same before (services.gateway.protection); this gives the endpoint the
    principal and keeps the route's scope readable off the route."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    async def __call__(self, request: Request) -> Principal:
        key = api_key_of(request.headers.get("authorization", ""), basic=True)
        if key is None:
            raise ProblemError(401, MISSING_KEY, headers={"WWW-Authenticate": BASIC_CHALLENGE})
        principal = await gateway_context(request).keys.resolve(key)
        if principal is None:
            raise ProblemError(401, INVALID_KEY, headers={"WWW-Authenticate": BASIC_CHALLENGE})
        if not principal.allows(self.scope):
            raise ProblemError(403, lacks_scope(self.scope))
        return principal


WriteKey = Annotated[Principal, Depends(_WriteKey(EVENTS_WRITE))]


async def _ingest(request: Request, principal: Principal, call: str) -> Response:
    state = gateway_context(request)
    limit = MAX_BATCH_BYTES if call == "batch" else MAX_MESSAGE_BYTES
    raw = await read_bounded_body(
        request, state.runtime.settings.max_body_bytes, "the body is too large; send smaller batches"
    )
    body = decoded_body(raw, request.headers.get("content-encoding", ""), limit)
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ProblemError(400, f"the body is not valid JSON: {exc}") from None
    try:
        messages = messages_of(doc, call, state.runtime.settings.max_batch_events)
    except BatchShapeError as exc:
        raise ProblemError(exc.status, exc.detail) from None
    wanted = wanted_custom_types(messages)
    tracking = await state.tracking_plans.plan(state.profile, principal.workspace, wanted) if wanted else {}
    mapped = map_messages(messages, call, principal.workspace, tracking, state.clock())
    plan = _plan(mapped, principal.workspace, _number_errors(body, call), tracking)
    sent = f"{len(messages)} message(s)"
    accepted = await publish_plan(state, principal.workspace, plan, sent, {"ignored": mapped.ignored})
    answer = TrackingAccepted(accepted=accepted, ignored=mapped.ignored)
    return Response(answer.model_dump_json(), 200, media_type="application/json")


def _plan(
    mapped: Mapped, workspace: str, numbers: dict[int, list[dict[str, str]]], tracking: dict[str, Any]
) -> BatchPlan:
    """The mapped events checked by the inbound contract and tracking plan (plan_batch, as POST /v1/events does),
    with every error and event numbered by its message's place in the request."""
    events = [(index, event) for index, event in mapped.events if index not in numbers]
    plan = plan_batch([event for _, event in events], workspace, None, tracking)
    place = [index for index, _ in events]
    plan.publish = [dataclasses.replace(event, index=place[event.index]) for event in plan.publish]
    errors = [{**error, "index": place[error["index"]]} for error in plan.errors] + mapped.errors
    for index, found in numbers.items():
        event_id = next((event["id"] for at, event in mapped.events if at == index), None)
        errors += [{"index": index, "id": event_id, **error} for error in found]
    plan.errors = sorted(errors, key=lambda error: int(error["index"]))
    plan.invalid_count = len({error["index"] for error in plan.errors})
    return plan


def _number_errors(body: bytes, call: str) -> dict[int, list[dict[str, str]]]:
    """Numbers no encoder keeps (beyond 64 bits, NaN, infinite), by message: `batch.3.properties.total` is
    message 3's `properties.total`."""
    found: dict[int, list[dict[str, str]]] = {}
    for problem in number_problems(body, root=""):
        parts = problem["field"].strip(".").split(".")
        index = 0
        if call == "batch" and len(parts) > 1 and parts[0] == "batch" and parts[1].isdigit():
            index, parts = int(parts[1]), parts[2:]
        found.setdefault(index, []).append({"field": ".".join(parts) or "(message)", "message": problem["message"]})
    return found


def _route(call: str) -> None:
    model = BODIES[call]
    words = described(f"segment_{call}")

    async def ingest(request: Request, principal: WriteKey) -> Response:
        return await _ingest(request, principal, call)

    ingest.__name__ = f"segment_{call}"
    segment_router.post(
        f"/segment/v1/{call}",
        operation_id=f"segment_{call}",
        dependencies=[IDEMPOTENT_WRITE],
        summary=words["summary"],
        description=f"{words['description']} {LIMITS}",
        response_model=TrackingAccepted,
        responses={
            422: {"model": TrackingRejected, "content": {PROBLEM_JSON: {}}, "description": "Some messages are invalid"},
            **problems(400, 401, 403, 413, 415, 503),
        },
        openapi_extra={
            "security": [{"SegmentWriteKey": []}, {"HTTPBearer": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
                "description": "JSON, optionally with `Content-Encoding: gzip`.",
            },
        },
    )(ingest)


for _call in BODIES:
    _route(_call)


def segment_schemas() -> dict[str, Any]:
    """The request bodies' JSON Schemas, for the OpenAPI components (the body is read by hand: it may be gzip)."""
    components: dict[str, Any] = {}
    for model in BODIES.values():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    return components
