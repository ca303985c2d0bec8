"""Scores and dynamic segments, served from the scoring service's internal API (rows of
services.gateway.passthrough).

The workspace always comes from the API key; a segment or customer id of another workspace is not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.http.scoring import CustomerScores, Segment, SegmentField, SegmentIn, SegmentMemberPage, SegmentPage
from services.gateway.domain import CUSTOMERS_READ, SEGMENTS_WRITE, Principal
from services.gateway.passthrough import PAGE, PassThrough, register
from services.gateway.service_client import segment, workspace_path

segments_router = APIRouter(tags=["segments"])
scores_router = APIRouter(tags=["customers"])

SEGMENT_NOT_FOUND = "no such segment in this workspace"
SegmentId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
SEGMENT = {"segment_id": SegmentId}


def scores_path(principal: Principal, customer_id: str) -> str:
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}/scores")


SCORE_ROWS = (
    PassThrough(
        "get_scores", "GET", "/v1/customers/{customer_id}/scores", "scoring", "/customers/{customer_id}/scores",
        CUSTOMERS_READ, CustomerScores, "no scores for this customer",
        {"customer_id": Annotated[str, Path(min_length=1, max_length=64)]}, validation_described=False,
    ),
)  # fmt: skip
register(scores_router, SCORE_ROWS)
SEGMENT_ROWS = (
    PassThrough(
        "list_segments", "GET", "/v1/segments", "scoring", "/segments", CUSTOMERS_READ, SegmentPage, SEGMENT_NOT_FOUND,
        query=PAGE,
    ),
    PassThrough(
        "create_segment", "POST", "/v1/segments", "scoring", "/segments", SEGMENTS_WRITE, Segment, SEGMENT_NOT_FOUND,
        body=SegmentIn, status_code=201, refusable=True,
    ),
    PassThrough(
        "get_segment", "GET", "/v1/segments/{segment_id}", "scoring", "/segments/{segment_id}", CUSTOMERS_READ, Segment,
        SEGMENT_NOT_FOUND, SEGMENT,
    ),
    PassThrough(
        "put_segment", "PUT", "/v1/segments/{segment_id}", "scoring", "/segments/{segment_id}", SEGMENTS_WRITE, Segment,
        SEGMENT_NOT_FOUND, SEGMENT, body=SegmentIn, refusable=True, replaces_existing_only=True,
    ),
    PassThrough(
        "delete_segment", "DELETE", "/v1/segments/{segment_id}", "scoring", "/segments/{segment_id}", SEGMENTS_WRITE,
        None, SEGMENT_NOT_FOUND, SEGMENT,
    ),
    PassThrough(
        "list_members", "GET", "/v1/segments/{segment_id}/members", "scoring", "/segments/{segment_id}/members",
        CUSTOMERS_READ, SegmentMemberPage, SEGMENT_NOT_FOUND, SEGMENT, PAGE,
    ),
    PassThrough(
        "segment_fields", "GET", "/v1/segment-fields", "scoring", "/segment-fields", CUSTOMERS_READ, list[SegmentField],
    ),
)  # fmt: skip
register(segments_router, SEGMENT_ROWS)
