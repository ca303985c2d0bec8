"""Sales' internal HTTP API, part three: lead scores (explained) and their rules, cross-sell suggestions,
and pipeline analytics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import JsonValue, ValidationError

from contracts.codec import field_errors
from contracts.http.sales import signals as http
from runtime.budgets import INT4_MAX, BoundedTime
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from services.sales import analytics_store, deal_store, signal_store
from services.sales.api_common import IdPath, WorkspacePath, not_found, now_of, pool_of
from services.sales.domain import cross_sell
from services.sales.domain.lead_score import DEFAULT_RULES, LeadRules, score

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["sales"], responses=PROBLEM_RESPONSES)


def rules_out(rules: LeadRules, default: bool) -> http.LeadRules:
    """The public answer for a rule set the service holds: each rule as its JSON document."""
    return http.LeadRules(rules=[rule.model_dump(mode="json") for rule in rules.rules], default=default)


@router.get("/customers/{customer_id}/lead-score", response_model=http.LeadScore, summary="A lead score, explained")
async def lead_score(request: Request, workspace: WorkspacePath, customer_id: IdPath) -> http.LeadScore:
    async with pool_of(request).acquire() as conn:
        rules, default = await signal_store.get_lead_rules(conn, workspace)
        if not await signal_store.has_signals(conn, workspace, customer_id):
            raise not_found("customer signals for", customer_id)
        signals = (await signal_store.load_signals(conn, workspace, [customer_id]))[customer_id]
    total, explained = score(rules, signals.facts, now_of(request))
    return http.LeadScore(
        customer_id=customer_id,
        score=total,
        rules=[http.RulePoints(**vars(r)) for r in explained],
        rules_are_default=default,
    )


@router.get("/lead-rules", response_model=http.LeadRules, summary="The workspace's lead-scoring rules")
async def get_lead_rules(request: Request, workspace: WorkspacePath) -> http.LeadRules:
    async with pool_of(request).acquire() as conn:
        rules, default = await signal_store.get_lead_rules(conn, workspace)
    return rules_out(rules, default)


@router.put("/lead-rules", response_model=http.LeadRules, summary="Replace the workspace's lead-scoring rules")
async def put_lead_rules(
    request: Request,
    workspace: WorkspacePath,
    body: Annotated[dict[str, JsonValue], Body(examples=[DEFAULT_RULES.model_dump(mode="json")])],
) -> http.LeadRules:
    try:
        rules = LeadRules.model_validate(body)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise ProblemError(422, f"invalid lead rules: {len(errors)} problem(s)", errors=errors) from None
    async with pool_of(request).acquire() as conn:
        await signal_store.put_lead_rules(conn, workspace, rules)
    return rules_out(rules, default=False)


@router.get("/cross-sell", response_model=http.CrossSell, summary="Category co-purchase suggestions, best lift first")
async def cross_sell_suggestions(
    request: Request,
    workspace: WorkspacePath,
    category: Annotated[str | None, Query(max_length=512)] = None,
    min_support: Annotated[float, Query(ge=0, le=1)] = 0.01,
    min_customers: Annotated[int, Query(ge=1, le=INT4_MAX)] = 2,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> http.CrossSell:
    async with pool_of(request).acquire() as conn:
        items, pairs, customers = await signal_store.co_purchase_counts(conn, workspace, category)
    found = cross_sell.suggestions(
        items, pairs, customers, category=category, min_support=min_support, min_customers=min_customers
    )
    return http.CrossSell(
        customers=customers,
        items=[
            http.Suggestion(
                category=s.antecedent,
                suggested=s.consequent,
                customers=s.customers,
                support=s.support,
                confidence=s.confidence,
                lift=s.lift,
            )
            for s in found[:limit]
        ],
    )


@router.get(
    "/analytics",
    response_model=http.SalesAnalytics,
    response_model_by_alias=True,
    summary="Stage conversion, days per stage, cycle time, win rate and weighted pipeline value",
)
async def analytics(
    request: Request,
    workspace: WorkspacePath,
    pipeline_id: Annotated[str, Query(max_length=64)] = "repurchase_upsell",
    owner: Annotated[str | None, Query(max_length=100)] = None,
    start: Annotated[BoundedTime | None, Query(alias="from", description="Deals created at or after.")] = None,
    end: Annotated[BoundedTime | None, Query(alias="to", description="Deals created before.")] = None,
) -> Any:
    async with pool_of(request).acquire() as conn:
        pipeline = await deal_store.get_pipeline(conn, workspace, pipeline_id)
        if pipeline is None:
            raise not_found("pipeline", pipeline_id)
        return await analytics_store.analytics(conn, workspace, pipeline_id, pipeline, owner, start, end)


MAX_FORECAST_MONTHS = 24
Month = Annotated[
    str,
    Query(
        alias="from", pattern=r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$", description="First month, YYYY-MM (UTC)."
    ),
]


@router.get(
    "/deal-forecast",
    response_model=http.DealForecast,
    response_model_by_alias=True,
    summary="Open deals' amounts and weighted amounts by expected close month and currency",
)
async def deal_forecast(
    request: Request,
    workspace: WorkspacePath,
    first: Month,
    months: Annotated[int, Query(ge=1, le=MAX_FORECAST_MONTHS, description="How many months.")] = 12,
) -> Any:
    start = dt.date(int(first[:4]), int(first[5:7]), 1)
    async with pool_of(request).acquire() as conn:
        pipelines = [(pid, pipeline) for pid, pipeline, _ in await deal_store.list_pipelines(conn, workspace)]
        return await analytics_store.deal_forecast(conn, workspace, pipelines, now_of(request), start, months)
