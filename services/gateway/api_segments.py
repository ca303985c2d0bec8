"""Scores and dynamic segments, served from the scoring service's internal API.

The workspace always comes from the API key; a segment or customer id of another workspace is not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from runtime.problems import ProblemError
from services.gateway.deps import IdempotencyKey, gateway_state, require
from services.gateway.domain import CUSTOMERS_READ, MAX_PAGE, SEGMENTS_WRITE, Principal
from services.gateway.request_types import Cursor
from services.gateway.schemas import (
    CustomerScores,
    Segment,
    SegmentField,
    SegmentIn,
    SegmentMemberPage,
    SegmentPage,
    problems,
)
from services.gateway.service_client import ServiceClient, page_params, parse, segment, workspace_path

segments_router = APIRouter(tags=["segments"])
scores_router = APIRouter(tags=["customers"])

SEGMENT_NOT_FOUND = "no such segment in this workspace"
SegmentId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(SEGMENTS_WRITE))]
Limit = Annotated[int | None, Query(ge=1, description=f"Page size (default 50, max {MAX_PAGE}).")]


def _scoring(request: Request) -> ServiceClient:
    return gateway_state(request).scoring


def scores_path(principal: Principal, customer_id: str) -> str:
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}/scores")


@scores_router.get(
    "/v1/customers/{customer_id}/scores",
    summary="A customer's RFM, LTV and churn risk",
    description="RFM scores and segment, historical and predicted 12-month LTV, P(alive) and churn risk with "
    "its reasons, and the dynamic segments the customer is in. 404 until the customer's first event is "
    "scored. Scope: `customers:read`.",
    response_model=CustomerScores,
    responses=problems(401, 403, 404, 502, 503),
)
async def get_scores(
    request: Request, customer_id: Annotated[str, Path(min_length=1, max_length=64)], principal: Reader
) -> CustomerScores:
    doc = await _scoring(request).get(scores_path(principal, customer_id), not_found="no scores for this customer")
    return parse(CustomerScores, doc, "scoring")


@segments_router.get(
    "/v1/segments",
    summary="Dynamic segments",
    description="Saved segments with their conditions and current member counts. Scope: `customers:read`.",
    response_model=SegmentPage,
    responses=problems(401, 403, 422, 502, 503),
)
async def list_segments(request: Request, principal: Reader, limit: Limit = None, cursor: Cursor = None) -> SegmentPage:
    doc = await _scoring(request).get(
        workspace_path(principal.workspace, "/segments"), params=page_params(limit, cursor), not_found=SEGMENT_NOT_FOUND
    )
    return parse(SegmentPage, doc, "scoring")


@segments_router.post(
    "/v1/segments",
    status_code=201,
    summary="Create a dynamic segment",
    description="The condition is validated (errors name the bad node, e.g. `condition.all[1].value`) and "
    "evaluated against every customer at once; members are then kept current as events arrive, and each "
    "entry and exit is published (`segment.entered`, `segment.exited`). 409 past the workspace's `segments` "
    "quota. A segment whose evaluation takes longer than the workspace's budget is `failing` (see `failure`) "
    "and skipped until saved again. Scope: `segments:write`.",
    response_model=Segment,
    responses=problems(401, 403, 409, 422, 502, 503),
)
async def create_segment(
    request: Request, body: SegmentIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Segment:
    del idempotency_key  # a retried create makes a second segment only if the first failed: names are unique
    doc = await _scoring(request).post(
        workspace_path(principal.workspace, "/segments"), body.model_dump(mode="json"), not_found=SEGMENT_NOT_FOUND
    )
    return parse(Segment, doc, "scoring")


@segments_router.get(
    "/v1/segments/{segment_id}",
    summary="One dynamic segment",
    description="Scope: `customers:read`.",
    response_model=Segment,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def get_segment(request: Request, segment_id: SegmentId, principal: Reader) -> Segment:
    doc = await _scoring(request).get(
        workspace_path(principal.workspace, f"/segments/{segment(segment_id)}"), not_found=SEGMENT_NOT_FOUND
    )
    return parse(Segment, doc, "scoring")


@segments_router.put(
    "/v1/segments/{segment_id}",
    summary="Change a dynamic segment",
    description="Members are re-evaluated at once; those who leave or join are published. Scope: `segments:write`.",
    response_model=Segment,
    responses=problems(401, 403, 404, 409, 422, 502, 503),
)
async def put_segment(
    request: Request, segment_id: SegmentId, body: SegmentIn, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Segment:
    del idempotency_key  # a PUT is idempotent by nature
    path = workspace_path(principal.workspace, f"/segments/{segment(segment_id)}")
    scoring = _scoring(request)
    await scoring.get(path, not_found=SEGMENT_NOT_FOUND)  # only existing segments are changed through the API
    doc = await scoring.put(path, body.model_dump(mode="json"), not_found=SEGMENT_NOT_FOUND)
    return parse(Segment, doc, "scoring")


@segments_router.delete(
    "/v1/segments/{segment_id}",
    status_code=204,
    summary="Delete a dynamic segment",
    description="Every member exits (published as `segment.exited`). Scope: `segments:write`.",
    response_class=Response,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def delete_segment(
    request: Request, segment_id: SegmentId, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Response:
    del idempotency_key  # a second delete answers 404
    await _scoring(request).delete(
        workspace_path(principal.workspace, f"/segments/{segment(segment_id)}"), not_found=SEGMENT_NOT_FOUND
    )
    return Response(status_code=204)


@segments_router.get(
    "/v1/segments/{segment_id}/members",
    summary="A segment's current members",
    description="Customer ids in id order, with when they entered. Scope: `customers:read`.",
    response_model=SegmentMemberPage,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def list_members(
    request: Request, segment_id: SegmentId, principal: Reader, limit: Limit = None, cursor: Cursor = None
) -> SegmentMemberPage:
    doc = await _scoring(request).get(
        workspace_path(principal.workspace, f"/segments/{segment(segment_id)}/members"),
        params=page_params(limit, cursor),
        not_found=SEGMENT_NOT_FOUND,
    )
    return parse(SegmentMemberPage, doc, "scoring")


@segments_router.get(
    "/v1/segment-fields",
    summary="What segment conditions can use",
    description="Every field (stats, scores, `traits.<name>`), its type and the operators it accepts, for "
    "building condition editors. Scope: `customers:read`.",
    response_model=list[SegmentField],
    responses=problems(401, 403, 502, 503),
)
async def segment_fields(request: Request, principal: Reader) -> list[SegmentField]:
    doc = await _scoring(request).get(workspace_path(principal.workspace, "/segment-fields"), not_found="not found")
    if not isinstance(doc, list):
        raise ProblemError(502, "the scoring service gave an unexpected answer")
    return [parse(SegmentField, item, "scoring") for item in doc]
