"""GET /v1/sales-forecast?by=month: expected revenue per month from open deals (sales: amount x stage win
probability by expected close month) and from predicted repurchase (scoring: customers' expected purchases x
expected spend, with the 80% interval), asked concurrently within the gateway's per-call budget as the reports are
(report_sources.py). A service that does not answer leaves its figures null and is named in `degraded`; the answer
is still 200. The workspace is always the API key's. CSV with `Accept: text/csv`."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from contracts.http.sales.signals import DealForecast
from contracts.http.scoring import RepurchaseForecast
from services.gateway.deps import gateway_context
from services.gateway.passthrough import described
from services.gateway.report_csv import csv_response, wants_csv
from services.gateway.report_sources import Reader, ask, degraded, report_currency
from services.gateway.sales_forecast_figures import (
    FORECAST_COLUMNS,
    forecast_currency,
    forecast_items,
    forecast_months,
)
from services.gateway.schemas import problems
from services.gateway.schemas_sales_forecast import SalesForecast
from services.gateway.service_client import workspace_path

sales_forecast_router = APIRouter(tags=["reports"])

MAX_FORECAST_MONTHS = 24
MONTH_PATTERN = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$"


@sales_forecast_router.get(
    "/v1/sales-forecast",
    **described("sales_forecast"),
    response_model=SalesForecast,
    response_model_by_alias=True,
    responses={
        200: {
            "description": "The forecast as JSON, or as CSV with `Accept: text/csv`.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **problems(401, 403, 422),
    },
)
async def sales_forecast(
    request: Request,
    principal: Reader,
    by: Annotated[Literal["month"], Query(description="The forecast's periods: calendar months (UTC).")] = "month",
    first: Annotated[
        str | None,
        Query(
            alias="from",
            pattern=MONTH_PATTERN,
            description="First month, YYYY-MM (default: this month, UTC).",
            examples=["2026-07"],
        ),
    ] = None,
    months: Annotated[int, Query(ge=1, le=MAX_FORECAST_MONTHS, description="How many months (1-24).")] = 12,
) -> Any:
    state, ws = gateway_context(request), principal.workspace
    start = first or f"{dt.datetime.now(dt.UTC):%Y-%m}"
    params = {"from": start, "months": months}
    sales, scoring, report = await asyncio.gather(
        ask(state.sales, workspace_path(ws, "/deal-forecast"), params, DealForecast, state.budget_s),
        ask(state.scoring, workspace_path(ws, "/repurchase-forecast"), params, RepurchaseForecast, state.budget_s),
        report_currency(state, ws),
    )
    deals = sales.value if isinstance(sales.value, DealForecast) else None
    repurchase = scoring.value if isinstance(scoring.value, RepurchaseForecast) else None
    currency = forecast_currency(report, deals, repurchase)
    items, others = forecast_items(forecast_months(start, months), currency, deals, repurchase)
    forecast = SalesForecast(
        by=by,
        from_=start,
        months=months,
        currency=currency,
        items=items,
        other_currencies=others,
        degraded=degraded({"sales": sales, "scoring": scoring}),
    )
    if wants_csv(request):
        return csv_response("sales-forecast", FORECAST_COLUMNS, (item.model_dump() for item in items))
    return forecast
