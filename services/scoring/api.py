"""Scoring's internal HTTP API (called by the gateway): a customer's scores, dynamic segments and their
members, workspace distributions for reports, the dormancy settings, and a refit on demand."""

from __future__ import annotations

import dataclasses
import math
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import Field

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.scoring import (
    ChurnScores,
    CustomerScores,
    LtvScores,
    MatchingCustomers,
    RfmScores,
    ScoringDistribution,
    Segment,
    SegmentFailure,
    SegmentIn,
    SegmentMember,
    SegmentMemberPage,
    SegmentPage,
)
from contracts.json_document import JsonDocument
from contracts.scoring import ChurnRisk, RfmSegment
from runtime import quotas
from runtime.context import context_dependency
from runtime.db import Connection
from runtime.pagination import decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.quotas import QuotaUsage
from services.scoring import score_store, segment_store, service, view_store
from services.scoring.domain import churn
from services.scoring.domain.segments import (
    MAX_WORKSPACE_VALUES,
    InvalidCondition,
    condition_size,
    fields_catalogue,
    parse_condition,
)
from services.scoring.jobs import ScoringJobs
from services.scoring.service import ScoringContext
from services.scoring.view_store import ScoredCustomer

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["scoring"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
CustomerPath = Annotated[str, Path(min_length=1, max_length=64)]
SegmentPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=500)]


class DormancySettings(JsonDocument):
    dormancy_gap_multiple: float = Field(3.0, gt=0, le=100, description="Dormant after this many usual gaps.")
    dormancy_min_days: int = Field(30, ge=1, le=3650, description="Never dormant sooner than this.")
    dormancy_fixed_days: int = Field(90, ge=1, le=3650, description="Threshold for customers with one purchase day.")


Context = Annotated[ScoringContext, Depends(context_dependency(ScoringContext))]


def _nan_to_none(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


@router.get(
    "/customers/{customer_id}/scores", response_model=CustomerScores, summary="A customer's RFM, LTV and churn risk"
)
async def get_scores(context: Context, workspace: WorkspacePath, customer_id: CustomerPath) -> CustomerScores:
    async with context.pool.acquire() as conn:
        scored = await view_store.customer_scores(conn, workspace, customer_id)
    if scored is None:
        raise ProblemError(404, f"no scores for customer {customer_id!r} in this workspace")
    return scores_view(scored)


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def scores_view(scored: ScoredCustomer) -> CustomerScores:
    reasons = churn.reasons(
        scored.churn_flags,
        recency_days=_number(scored.recency_days),
        usual_gap_days=_number(scored.usual_gap_days),
        p_alive=_number(scored.p_alive),
        visits_30d=scored.visits_30d or 0,
        visits_prior_90d=scored.visits_prior_90d or 0,
        open_tickets=scored.open_tickets,
        last_nps=_number(scored.last_nps),
        last_csat=_number(scored.last_csat),
    )
    # Validated rather than constructed: a scored customer has r, f, m and a churn band, which the columns (nullable
    # until scored) cannot say; and the contract writes the decimals as strings.
    rfm = (
        RfmScores.model_validate(
            {
                "r": scored.r,
                "f": scored.f,
                "m": scored.m,
                "segment": scored.rfm_segment,
                "recency_days": scored.recency_days,
            }
        )
        if scored.rfm_segment
        else None
    )
    ltv = {
        "historical": scored.historical_ltv,
        "predicted_12m": scored.predicted_clv,
        "expected_purchases_90d": _nan_to_none(scored.expected_purchases_90d),
        "p10": scored.clv_p10,
        "p90": scored.clv_p90,
        "expected_purchases_12m": _nan_to_none(scored.expected_purchases_12m),
        "expected_purchases_12m_p10": _nan_to_none(scored.expected_purchases_12m_p10),
        "expected_purchases_12m_p90": _nan_to_none(scored.expected_purchases_12m_p90),
        "basis": scored.ltv_basis,
    }
    churn_scores = {"p_alive": _nan_to_none(scored.p_alive), "risk": scored.churn_risk, "reasons": reasons}
    return CustomerScores(
        customer_id=scored.customer_id,
        rfm=rfm,
        ltv=LtvScores.model_validate(ltv),
        churn=ChurnScores.model_validate(churn_scores),
        dormant_since=scored.dormant_since,
        segments=scored.segments,
        as_of=scored.scored_at,
    )


@router.get("/segment-fields", summary="Fields, types and operators segment conditions can use")
async def segment_fields() -> list[dict[str, Any]]:
    return fields_catalogue()


@router.get("/segments", response_model=SegmentPage, summary="Dynamic segments, with their member counts")
async def list_segments(
    context: Context, workspace: WorkspacePath, limit: Limit = 50, cursor: Cursor = None
) -> SegmentPage:
    after = decode_cursor(cursor, 1)[0] if cursor else None
    async with context.pool.acquire() as conn:
        rows = await segment_store.segments_page(conn, workspace, limit, after)
    items = [_segment_view(s, n) for s, n in rows[:limit]]
    return SegmentPage(items=items, next_cursor=encode_cursor(items[-1].segment_id) if len(rows) > limit else None)


def _segment_view(segment: segment_store.Segment, members: int) -> Segment:
    failing = segment.status == "failing" and segment.failure_reason and segment.failing_since
    return Segment(
        segment_id=segment.segment_id,
        name=segment.name,
        description=segment.description,
        condition=segment.condition,
        members=members,
        created_at=segment.created_at,
        updated_at=segment.updated_at,
        status=segment.status,
        failure=SegmentFailure(reason=segment.failure_reason, since=segment.failing_since) if failing else None,
    )


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    """The quotas scoring enforces, with the workspace's use (GET .../quotas)."""
    context = context_dependency(ScoringContext)(request)
    async with context.pool.acquire() as conn:
        used = await segment_store.count_segments(conn, workspace)
    return [quotas.SEGMENTS.usage(context.settings.quota_segments, used)]


@router.post(
    "/segments",
    response_model=Segment,
    status_code=status.HTTP_201_CREATED,
    summary="Create a dynamic segment (409 past the workspace's segments quota)",
)
async def create_segment(context: Context, workspace: WorkspacePath, body: SegmentIn) -> Segment:
    return await _save_segment(context, workspace, f"seg_{uuid.uuid4().hex[:16]}", body)


@router.put("/segments/{segment_id}", response_model=Segment, summary="Change a segment (members re-evaluated)")
async def put_segment(context: Context, workspace: WorkspacePath, segment_id: SegmentPath, body: SegmentIn) -> Segment:
    return await _save_segment(context, workspace, segment_id, body)


async def _save_segment(context: ScoringContext, workspace: str, segment_id: str, body: SegmentIn) -> Segment:
    """Save (a new segment within the workspace's quota) and evaluate it against every customer at once:
    members enter (and leave) right away. Saving makes a failing segment active again; if its evaluation
    runs past the workspace's budget it is saved failing, and the answer says why."""
    try:
        parse_condition(body.condition)
    except InvalidCondition as exc:
        raise ProblemError(422, f"invalid segment condition: {exc}", errors=exc.errors) from None
    async with context.unit_of_work() as work:
        conn = work.conn
        await quotas.SEGMENTS.lock(conn, workspace)  # before looking: a concurrent create waits here
        existing = await segment_store.get_segment(conn, workspace, segment_id)
        if existing is None:
            quota = context.settings.quota_segments
            await quotas.SEGMENTS.enforce(conn, workspace, quota, segment_store.COUNT_SEGMENTS)
        await _check_workspace_values(conn, workspace, segment_id, body.condition, existing)
        try:
            segment, members = await service.save_segment(
                work, workspace, segment_id, body.name, body.description, body.condition, context.now(),
                context.budget_ms,
            )  # fmt: skip
        except segment_store.DuplicateName as exc:
            raise ProblemError(409, str(exc)) from None
    return _segment_view(segment, members)


async def _check_workspace_values(
    conn: Connection,
    workspace: str,
    segment_id: str,
    condition: dict[str, Any],
    existing: segment_store.Segment | None,
) -> None:
    """Every batch of the workspace's events evaluates all its segments: their values together are budgeted (a
    change that adds none is let through, should the workspace hold more from before the budget)."""
    held = sum(condition_size(other)[1] for other in await segment_store.other_conditions(conn, workspace, segment_id))
    total = held + condition_size(condition)[1]
    before = held + (condition_size(existing.condition)[1] if existing else 0)
    if total > MAX_WORKSPACE_VALUES and total > before:
        message = (
            f"this workspace's segments would hold {total} values together (each item of an in / not_in list "
            f"counts); at most {MAX_WORKSPACE_VALUES}: shorten the lists of this or other segments"
        )
        raise ProblemError(409, message, errors=[{"field": "condition", "message": message}])


@router.get("/segments/{segment_id}", response_model=Segment, summary="One segment")
async def get_segment(context: Context, workspace: WorkspacePath, segment_id: SegmentPath) -> Segment:
    async with context.pool.acquire() as conn:
        segment = await segment_store.get_segment(conn, workspace, segment_id)
        if segment is None:
            raise ProblemError(404, f"no segment {segment_id!r} in this workspace")
        return _segment_view(segment, await segment_store.member_count(conn, workspace, segment_id))


@router.delete(
    "/segments/{segment_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a segment (members exit)"
)
async def delete_segment(context: Context, workspace: WorkspacePath, segment_id: SegmentPath) -> Response:
    try:
        async with context.unit_of_work() as work:
            await service.delete_segment(work, workspace, segment_id, context.now())
    except service.SegmentMissing as exc:
        raise ProblemError(404, str(exc)) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/segments/{segment_id}/members", response_model=SegmentMemberPage, summary="A segment's current members")
async def list_members(
    context: Context, workspace: WorkspacePath, segment_id: SegmentPath, limit: Limit = 50, cursor: Cursor = None
) -> SegmentMemberPage:
    after = decode_cursor(cursor, 1)[0] if cursor else None
    async with context.pool.acquire() as conn:
        if await segment_store.get_segment(conn, workspace, segment_id) is None:
            raise ProblemError(404, f"no segment {segment_id!r} in this workspace")
        found = await segment_store.members_page(conn, workspace, segment_id, limit, after)
    items = [SegmentMember(customer_id=m.customer_id, entered_at=m.entered_at) for m in found[:limit]]
    return SegmentMemberPage(
        items=items, next_cursor=encode_cursor(items[-1].customer_id) if len(found) > limit else None
    )


@router.get(
    "/distribution",
    response_model=ScoringDistribution,
    summary="The workspace's customers by RFM segment, churn risk, activity and LTV",
)
async def distribution(context: Context, workspace: WorkspacePath) -> ScoringDistribution:
    async with context.pool.acquire() as conn:
        return await view_store.distribution(conn, workspace)


@router.get("/settings", response_model=DormancySettings, summary="The workspace's dormancy thresholds")
async def get_settings(context: Context, workspace: WorkspacePath) -> DormancySettings:
    async with context.pool.acquire() as conn:
        stored = await score_store.get_dormancy_thresholds(conn, workspace)
    return DormancySettings.model_validate(stored, from_attributes=True) if stored else DormancySettings()


@router.put("/settings", response_model=DormancySettings, summary="Change the workspace's dormancy thresholds")
async def put_settings(context: Context, workspace: WorkspacePath, body: DormancySettings) -> DormancySettings:
    async with context.pool.acquire() as conn:
        await score_store.put_dormancy_thresholds(conn, workspace, score_store.DormancyThresholds(**body.model_dump()))
    return body


@router.post(
    "/refit",
    summary="Refit the workspace's models now and re-score every customer (503 when the refit fails)",
    responses=problem_responses(503),
)
async def refit_now(context: Context, workspace: WorkspacePath) -> dict[str, Any]:
    try:
        report = await ScoringJobs(context).refit(workspace)
    except Exception as exc:  # logged, counted and recorded by the job; the earlier model is kept
        raise ProblemError(
            503,
            f"the refit failed ({type(exc).__name__}); the workspace's earlier model is kept; retry later",
            headers={"Retry-After": "60"},
        ) from None
    async with context.pool.acquire() as conn:
        model = await score_store.load_model(conn, workspace)
    fitted = view_store.fitted_model(model)
    return {"report": dataclasses.asdict(report), "model": fitted.model_dump() if fitted else None}


@router.get(
    "/customer-ids",
    response_model=MatchingCustomers,
    summary="Ids of the customers in a segment, an RFM segment and/or a churn band (every given filter)",
)
async def matching_customers(
    context: Context,
    workspace: WorkspacePath,
    segment: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")] = None,
    rfm_segment: RfmSegment | None = None,
    churn_risk: ChurnRisk | None = None,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 10_000,
) -> MatchingCustomers:
    async with context.pool.acquire() as conn:
        if segment is not None and await segment_store.get_segment(conn, workspace, segment) is None:
            raise ProblemError(404, f"no segment {segment!r} in this workspace")
        ids = await score_store.matching_customers(
            conn, workspace, segment_id=segment, rfm_segment=rfm_segment, churn_risk=churn_risk, limit=limit + 1
        )
    return MatchingCustomers(customer_ids=ids[:limit], more=len(ids) > limit)
