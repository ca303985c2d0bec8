"""Profile's NPS figures (internal HTTP API): the gateway's NPS report reads them and combines them with the other
services' numbers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from contracts.http.profile import NpsFigures
from runtime.problems import PROBLEM_RESPONSES
from runtime.report_period import PeriodQuery
from services.profile import answer_store
from services.profile.api_common import WorkspacePath, context_of

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["profile"], responses=PROBLEM_RESPONSES)


@router.get(
    "/nps",
    response_model=NpsFigures,
    response_model_by_alias=True,
    summary="The workspace's NPS for a period [from, to): over each customer's latest answer in it, by month, "
    "and by acquisition channel on request",
)
async def nps_figures(
    request: Request,
    workspace: WorkspacePath,
    period: PeriodQuery,
    by: Annotated[
        Literal["channel"] | None,
        Query(description="`channel`: the same counts per acquisition channel too (`by_channel`)."),
    ] = None,
) -> NpsFigures:
    async with context_of(request).pool.acquire() as conn:
        return await answer_store.nps_figures(conn, workspace, period.start, period.end, by_channel=by == "channel")
