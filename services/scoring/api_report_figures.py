"""Scoring's figures for the growth reports (internal HTTP API): the gateway's acquisition, retention and KPI-tree
reports read them and combine them with the other services' numbers. The SQL is report_store.py's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.scoring import (
    PredictedClvReport,
    RepurchaseForecast,
    RepurchaseMonth,
    RetentionPeriod,
    RetentionReport,
    ScoringKpis,
)
from runtime.context import context_dependency
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.report_period import PeriodQuery
from services.scoring import report_store, service
from services.scoring.domain.cohorts import MAX_COHORT_PERIODS
from services.scoring.service import ScoringContext

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["scoring"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
context_of = context_dependency(ScoringContext)


@router.get(
    "/predicted-clv",
    response_model=PredictedClvReport,
    response_model_by_alias=True,
    summary="The predicted 12-month CLV of a period's new customers [from, to), by acquisition source and campaign",
)
async def predicted_clv(request: Request, workspace: WorkspacePath, period: PeriodQuery) -> PredictedClvReport:
    async with context_of(request).pool.acquire() as conn:
        return await report_store.predicted_clv(conn, workspace, period.start, period.end)


@router.get(
    "/kpis",
    response_model=ScoringKpis,
    response_model_by_alias=True,
    summary="Scoring's figures of the KPI tree for a period [from, to): reactivations, 90-day retention, visits, "
    "new customers and their predicted CLV",
)
async def kpis(request: Request, workspace: WorkspacePath, period: PeriodQuery) -> ScoringKpis:
    async with context_of(request).pool.acquire() as conn:
        return await report_store.kpis(conn, workspace, period.start, period.end)


@router.get(
    "/retention",
    response_model=RetentionReport,
    response_model_by_alias=True,
    summary="Retention cohorts of the customers whose first purchase is in [from, to), by month or ISO week",
    description=f"At most {MAX_COHORT_PERIODS} cohort periods (months or weeks from `from` to `to`): more is 422.",
)
async def retention(
    request: Request,
    workspace: WorkspacePath,
    period: PeriodQuery,
    by: Annotated[RetentionPeriod, Query(alias="period", description="Cohorts by month or by ISO week.")] = "month",
) -> RetentionReport:
    context = context_of(request)
    async with context.pool.acquire() as conn:
        try:
            return await report_store.retention(conn, workspace, period.start, period.end, by, context.now())
        except report_store.TooManyPeriods as exc:
            raise ProblemError(
                422,
                f"Too many cohort periods: {exc.count} {by}s from `from` to `to`, at most {MAX_COHORT_PERIODS}",
                errors=[{"field": "to", "message": f"at most {MAX_COHORT_PERIODS} {by}s after `from`"}],
            ) from exc


@router.get(
    "/repurchase-forecast",
    responses=problem_responses(409),
    response_model=RepurchaseForecast,
    response_model_by_alias=True,
    summary="Expected repurchase per calendar month (purchases, revenue with an 80% interval) from `from` on",
    description=f"From the month `from` (YYYY-MM), `months` months (1 to {service.MAX_FORECAST_MONTHS}): the "
    "workspace's purchasers' expected purchases and revenue in each (as of today: a month under way counts its "
    "remaining days, a past month none), with the 80% interval of the revenue (docs/scoring-intervals.md).",
)
async def repurchase_forecast(
    request: Request,
    workspace: WorkspacePath,
    first: Annotated[
        str, Query(alias="from", pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="The first month, YYYY-MM.")
    ],
    months: Annotated[int, Query(ge=1, le=service.MAX_FORECAST_MONTHS, description="How many months.")] = 12,
    currency: Annotated[
        str | None, Query(pattern=r"^[A-Z]{3}$", description="The workspace's currency, echoed in the answer.")
    ] = None,
) -> RepurchaseForecast:
    context = context_of(request)
    year, month = (int(part) for part in first.split("-"))
    if year < 1970:
        raise ProblemError(
            422, "`from` must be a month from 1970 on", errors=[{"field": "from", "message": "1970-01 or later"}]
        )
    as_of = context.now().astimezone(dt.UTC).date()
    async with context.pool.acquire() as conn:
        try:
            found = await service.repurchase_forecast(conn, workspace, dt.date(year, month, 1), months, as_of)
        except ValueError as exc:  # a spend model without a mean (q <= 1): nothing to forecast with
            raise ProblemError(409, f"the workspace's models cannot forecast revenue: {exc}") from None
    return RepurchaseForecast(
        months=[
            RepurchaseMonth(
                month=name,
                expected_purchases=round(f.expected_purchases, 4),
                expected_revenue=_cents(f.expected_revenue),
                revenue_p10=_cents(f.revenue_p10),
                revenue_p90=_cents(f.revenue_p90),
            )
            for name, f in found.months
        ],
        currency=currency,
        customers=found.customers,
        as_of=as_of,
    )


def _cents(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")
