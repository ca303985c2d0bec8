"""The growth reports: GET /v1/reports/acquisition, /retention, /nps and /segments/{segment_id}.

Each combines the services' internal report answers, asked concurrently within the gateway's per-call budget as
every report does (services/gateway/report_sources.py, with the period rule `report_periods`). A service that is
down, slow, out of contract or without the report leaves the figures it gives null and is named in `degraded`; the
answer is still 200 -- except the segment report, which is all scoring's: it answers 503 without scoring, 404 for a
segment the workspace does not have. The workspace asked about is always the API key's.

Money is computed from the services' exact decimal sums and only then rounded to the cent (half up); ratios are
rounded to 4 decimals (half up): services/gateway/report_figures.py; the figures are computed in
services/gateway/growth_report_figures.py. Every report is also CSV with `Accept: text/csv`
(services/gateway/report_csv.py).

Marketing spend is kept per day: the acquisition report counts the days that start in [from, to) (a day
2026-05-01 counts for from=2026-05-01T00:00Z but not for from=2026-05-01T08:00Z).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from contracts.http.profile import NewCustomersReport, NpsFigures, SpendTotals
from contracts.http.referral import ReferralReport
from contracts.http.scoring import PredictedClvReport, RetentionReport, SegmentReport
from runtime.problems import ProblemError
from services.gateway.deps import GatewayContext, gateway_context
from services.gateway.growth_report_figures import (
    ACQUISITION_COLUMNS,
    NPS_COLUMNS,
    RETENTION_COLUMNS,
    SEGMENT_COLUMNS,
    acquisition_csv_rows,
    acquisition_figures,
    nps_csv_rows,
    retention_csv_rows,
    retention_rows,
    segment_csv_rows,
    segment_out,
)
from services.gateway.passthrough import described
from services.gateway.report_csv import Cell, csv_response, wants_csv
from services.gateway.report_sources import (
    Answer,
    Call,
    Reader,
    Since,
    Until,
    ask,
    ask_periods,
    degraded,
    invalid_query,
    no_spend,
    period_params,
    periods_or_422,
    report_currency,
    spend_params,
)
from services.gateway.schemas import problems
from services.gateway.schemas_growth_reports import AcquisitionReport, NpsReport, RetentionReportOut, SegmentReportOut
from services.gateway.schemas_reports import Period
from services.gateway.service_client import ServiceClient, segment, workspace_path

growth_reports_router = APIRouter(tags=["reports"])

SEGMENT_ID_PATTERN = r"^[A-Za-z0-9_.-]+$"
M = TypeVar("M", bound=BaseModel)


# --- helpers ----------------------------------------------------------------------------------------


def _value(answer: Answer, model: type[M]) -> M | None:
    """The answer when it is one (a 404 where a report was expected degrades the report: see `degraded`)."""
    return answer.value if isinstance(answer.value, model) else None


async def _ask_one(
    state: GatewayContext,
    workspace: str,
    client: ServiceClient,
    suffix: str,
    params: dict[str, Any],
    model: type[BaseModel],
) -> tuple[Answer, str | None]:
    """One service's answer at `suffix` under the workspace and the workspace's report currency, concurrently."""
    return await asyncio.gather(
        ask(client, workspace_path(workspace, suffix), params, model, state.budget_s),
        report_currency(state, workspace),
    )


def _unknown_segment(segment_id: str) -> ProblemError:
    return ProblemError(404, f"no segment {segment_id!r} in this workspace")


def _scoring_unavailable() -> ProblemError:
    return ProblemError(
        503,
        "the scoring service is unavailable; try again shortly",
        headers={"Retry-After": "1"},
        extra={"service": "scoring"},
    )


def _csv_or(request: Request, name: str, columns: tuple[str, ...], rows: Iterable[dict[str, Cell]], body: M) -> Any:
    return csv_response(name, columns, rows) if wants_csv(request) else body


# --- the endpoints ----------------------------------------------------------------------------------

SegmentPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=SEGMENT_ID_PATTERN, description="A segment's id.")
]
SegmentQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=64, pattern=SEGMENT_ID_PATTERN,
          description="Count only the current members of this segment (404 for a segment the workspace lacks)."),
]  # fmt: skip


def _json_or_csv(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "The report as JSON, or as CSV with `Accept: text/csv`.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **problems(*codes),
    }


@growth_reports_router.get(
    "/v1/reports/acquisition",
    **described("acquisition_report"),
    response_model=AcquisitionReport,
    response_model_by_alias=True,
    responses=_json_or_csv(401, 403, 422),
)
async def acquisition_report(request: Request, principal: Reader, since: Since = None, until: Until = None) -> Any:
    start, end = periods_or_422(since, until)[0]
    state, ws = gateway_context(request), principal.workspace
    asks: dict[str, tuple[str, ServiceClient, str, dict[str, Any] | None, type[BaseModel]]] = {
        "profile": ("profile", state.profile, "/acquisition-report", period_params(start, end), NewCustomersReport),
        "scoring": ("scoring", state.scoring, "/predicted-clv", period_params(start, end), PredictedClvReport),
        "referral": ("referral", state.referral, "/report", period_params(start, end), ReferralReport),
        "spend": ("profile", state.profile, "/marketing-spend/totals", spend_params(start, end), SpendTotals),
    }
    calls = [
        Call(name, service, 0, client, workspace_path(ws, suffix), params, model)
        for name, (service, client, suffix, params, model) in asks.items()
        if params is not None  # no spend asked for a period without a whole day
    ]
    (answers, _, failed), currency = await asyncio.gather(
        ask_periods(calls, state.budget_s), report_currency(state, ws)
    )
    referral: ReferralReport | None = answers["referral"]
    figures = acquisition_figures(
        answers["profile"],
        answers.get("spend", no_spend(start)),
        answers["scoring"],
        referral.reward_cost if referral is not None else None,
        currency,
    )
    report = AcquisitionReport(
        period=Period(from_=start, to=end),
        currency=currency,
        items=figures.items,
        channels=figures.channels,
        total=figures.total,
        unconverted_spend=figures.unconverted_spend,
        degraded=failed,
    )
    return _csv_or(request, "acquisition", ACQUISITION_COLUMNS, acquisition_csv_rows(report), report)


@growth_reports_router.get(
    "/v1/reports/retention",
    **described("retention_report"),
    response_model=RetentionReportOut,
    response_model_by_alias=True,
    responses=_json_or_csv(401, 403, 422),
)
async def retention_report(
    request: Request,
    principal: Reader,
    since: Since = None,
    until: Until = None,
    granularity: Annotated[
        Literal["month", "week"],
        Query(alias="period", description="The cohorts' period: calendar months or ISO weeks (UTC)."),
    ] = "month",
) -> Any:
    start, end = periods_or_422(since, until)[0]
    state, ws = gateway_context(request), principal.workspace
    params = {**period_params(start, end), "period": granularity}
    answer, currency = await _ask_one(state, ws, state.scoring, "/retention", params, RetentionReport)
    scoring = _value(answer, RetentionReport)
    report = RetentionReportOut(
        period=Period(from_=start, to=end),
        granularity=granularity,
        currency=currency,
        cohorts=retention_rows(scoring) if scoring is not None else None,
        degraded=degraded({"scoring": answer}),
    )
    return _csv_or(request, "retention", RETENTION_COLUMNS, retention_csv_rows(report), report)


@growth_reports_router.get(
    "/v1/reports/nps",
    **described("nps_report"),
    response_model=NpsReport,
    response_model_by_alias=True,
    responses=_json_or_csv(401, 403, 404, 422),
)
async def nps_report(
    request: Request,
    principal: Reader,
    since: Since = None,
    until: Until = None,
    by: Annotated[
        Literal["channel"] | None,
        Query(description="`channel`: the figures per acquisition channel too (not with `segment_id`)."),
    ] = None,
    segment_id: SegmentQuery = None,
) -> Any:
    start, end = periods_or_422(since, until)[0]
    if by is not None and segment_id is not None:
        raise invalid_query("`by=channel` cannot be combined with `segment_id`", "by")
    state, ws = gateway_context(request), principal.workspace
    params = period_params(start, end)
    if segment_id is None:
        name, client, suffix = "profile", state.profile, "/nps"
        if by is not None:
            params["by"] = by
    else:
        name, client, suffix = "scoring", state.scoring, f"/segments/{segment(segment_id)}/nps"
    answer, currency = await _ask_one(state, ws, client, suffix, params, NpsFigures)
    if segment_id is not None and answer.missing:
        raise _unknown_segment(segment_id)
    figures = _value(answer, NpsFigures)
    report = NpsReport(
        period=Period(from_=start, to=end),
        currency=currency,
        score=figures.score if figures else None,
        promoters=figures.promoters if figures else None,
        passives=figures.passives if figures else None,
        detractors=figures.detractors if figures else None,
        responses=figures.responses if figures else None,
        by_month=figures.by_month if figures else None,
        by_channel=figures.by_channel if figures and by is not None else None,
        segment_id=segment_id,
        degraded=degraded({name: answer}),
    )
    return _csv_or(request, "nps", NPS_COLUMNS, nps_csv_rows(report), report)


@growth_reports_router.get(
    "/v1/reports/segments/{segment_id}",
    **described("segment_report"),
    response_model=SegmentReportOut,
    response_model_by_alias=True,
    responses=_json_or_csv(401, 403, 404, 422, 503),
)
async def segment_report(
    request: Request, principal: Reader, segment_id: SegmentPath, since: Since = None, until: Until = None
) -> Any:
    start, end = periods_or_422(since, until)[0]
    state, ws = gateway_context(request), principal.workspace
    suffix = f"/segments/{segment(segment_id)}/report"
    answer, currency = await _ask_one(state, ws, state.scoring, suffix, period_params(start, end), SegmentReport)
    if answer.missing:
        raise _unknown_segment(segment_id)
    scoring = _value(answer, SegmentReport)
    if scoring is None:
        raise _scoring_unavailable()
    report = segment_out(scoring, Period(from_=start, to=end), currency)
    return _csv_or(request, f"segment-{segment_id}", SEGMENT_COLUMNS, segment_csv_rows(report), report)
