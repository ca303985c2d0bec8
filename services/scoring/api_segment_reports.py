"""Scoring's segment reports (internal HTTP API): the gateway's segment and NPS reports read them and show them
with the other services' numbers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.profile import NpsFigures
from contracts.http.scoring import SegmentReport
from runtime.context import context_dependency
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from runtime.report_period import PeriodQuery
from services.scoring import segment_report_store
from services.scoring.service import ScoringContext

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["scoring"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
SegmentPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Context = Annotated[ScoringContext, Depends(context_dependency(ScoringContext))]


def _missing(segment_id: str) -> ProblemError:
    return ProblemError(404, f"no segment {segment_id!r} in this workspace")


@router.get(
    "/segments/{segment_id}/report",
    response_model=SegmentReport,
    response_model_by_alias=True,
    summary="A segment's report for a period [from, to): size per day, members' purchases, scores and NPS",
)
async def segment_report(
    context: Context, workspace: WorkspacePath, segment_id: SegmentPath, period: PeriodQuery
) -> SegmentReport:
    async with context.pool.acquire() as conn:
        report = await segment_report_store.segment_report(
            conn, workspace, segment_id, period.start, period.end, context.now()
        )
    if report is None:
        raise _missing(segment_id)
    return report


@router.get(
    "/segments/{segment_id}/nps",
    response_model=NpsFigures,
    response_model_by_alias=True,
    summary="A segment's members' NPS for a period [from, to): over each one's latest answer in it, and by month",
)
async def segment_nps(
    context: Context, workspace: WorkspacePath, segment_id: SegmentPath, period: PeriodQuery
) -> NpsFigures:
    async with context.pool.acquire() as conn:
        figures = await segment_report_store.segment_nps(conn, workspace, segment_id, period.start, period.end)
    if figures is None:
        raise _missing(segment_id)
    return figures
