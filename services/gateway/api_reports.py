"""GET /v1/reports/overview: the headline KPIs over a period beside the previous period of the same length.

The numbers are gathered concurrently from the services' internal report endpoints, each call within the
gateway's per-call budget. A service that is down, slow or answers out of contract leaves its KPIs null
and is named in `degraded` (as in the 360 view); the report itself still answers 200.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ValidationError

from contracts.http.journey import JourneyReport
from contracts.http.profile import CustomerReport
from contracts.http.referral import ReferralReport
from contracts.http.sales.signals import SalesAnalytics
from contracts.http.scoring import ScoringDistribution
from contracts.http.types import TIME_DESCRIPTION, RequestTime
from runtime.problems import ProblemError
from services.gateway.deps import GatewayContext, gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, Principal
from services.gateway.passthrough import described
from services.gateway.schemas import problems
from services.gateway.schemas_reports import (
    OVERVIEW_EXAMPLE,
    Distributions,
    Kpi,
    KpiUnit,
    Overview,
    Period,
)
from services.gateway.service_client import ServiceClient, workspace_path

reports_router = APIRouter(tags=["reports"])
log = logging.getLogger(__name__)

DEFAULT_SPAN = dt.timedelta(days=30)
MAX_SPAN = dt.timedelta(days=3660)  # ten years: beyond that a "previous period" means little
SALES_PIPELINE = "repurchase_upsell"  # the built-in pipeline the sales KPIs are read from

Number = int | float | Decimal | None


# --- pure parts -----------------------------------------------------------------------------------


def report_periods(
    since: dt.datetime | None, until: dt.datetime | None, now: dt.datetime
) -> tuple[tuple[dt.datetime, dt.datetime], tuple[dt.datetime, dt.datetime]]:
    """The period [since, until) (defaults: until now, since 30 days before until) and the period of the
    same length just before it. Raises ValueError naming what is wrong."""
    try:
        until = until or now
        since = since or until - DEFAULT_SPAN
        if since >= until:
            raise ValueError("`from` must be before `to`")
        span = until - since
        if span > MAX_SPAN:
            raise ValueError(f"the period may span at most {MAX_SPAN.days} days")
        return (since, until), (since - span, since)
    except OverflowError:
        raise ValueError("the previous period would start before the year 1") from None


def relative_change(value: Number, previous: Number) -> float | None:
    """(value - previous) / |previous|, to 4 decimals; None when either is missing or previous is 0."""
    if value is None or previous is None or previous == 0:
        return None
    return round(float((Decimal(str(value)) - Decimal(str(previous))) / abs(Decimal(str(previous)))), 4)


def shown(value: Number, unit: KpiUnit) -> int | float | str | None:
    """A KPI value as the API shows it: money as a decimal string of cents, ratios to 4 decimals, days to 2."""
    if value is None:
        return None
    if unit == "money":
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if unit == "ratio":
        return round(float(value), 4)
    if unit == "days":
        return round(float(value), 2)
    return int(value)


@dataclass(frozen=True)
class KpiSpec:
    name: str
    source: str
    unit: KpiUnit
    description: str
    pick: Callable[[Any], Number]  # the number from the service's answer
    snapshot: bool = False


KPIS: tuple[KpiSpec, ...] = (
    KpiSpec(
        "customers", "profile", "count", "live customers first seen before the period's end", lambda a: a.customers
    ),
    KpiSpec("new_customers", "profile", "count", "customers first seen in the period", lambda a: a.new_customers),
    KpiSpec(
        "purchasing_customers", "profile", "count", "customers with an order in the period",
        lambda a: a.purchasers_in_period,
    ),
    KpiSpec("orders", "profile", "count", "orders placed in the period", lambda a: a.orders_in_period),
    KpiSpec(
        "revenue", "profile", "money", "order amounts in the period, before refunds", lambda a: a.revenue_in_period
    ),
    KpiSpec(
        "repurchase_rate", "profile", "ratio",
        "customers with two or more orders among those with any, by the period's end", lambda a: a.repurchase_rate,
    ),
    KpiSpec("active_customers", "scoring", "count", "purchasers not dormant", lambda a: a.active, snapshot=True),
    KpiSpec("dormant_customers", "scoring", "count", "customers now dormant", lambda a: a.dormant, snapshot=True),
    KpiSpec(
        "average_ltv", "scoring", "money", "average historical LTV of purchasers (net of refunds)",
        lambda a: a.ltv.historical_avg, snapshot=True,
    ),
    KpiSpec(
        "average_predicted_ltv", "scoring", "money", "average predicted 12-month LTV of purchasers",
        lambda a: a.ltv.predicted_12m_avg, snapshot=True,
    ),
    KpiSpec(
        "referral_share", "referral", "ratio",
        "share of the period's new buyers (first purchase in the period) a referral brought",
        lambda a: a.referral_share,
    ),
    KpiSpec(
        "referred_new_customers", "referral", "count", "new buyers in the period a referral brought",
        lambda a: a.referred_new_customers,
    ),
    KpiSpec(
        "journey_enrolments", "journey", "count", "journey enrolments (holdouts left out) entered in the period",
        lambda a: a.entered,
    ),
    KpiSpec(
        "journey_conversions", "journey", "count", "how many of those enrolments have converted",
        lambda a: a.converted,
    ),
    KpiSpec(
        "journey_conversion_rate", "journey", "ratio", "journey conversions / journey enrolments",
        lambda a: a.conversion_rate,
    ),
    KpiSpec("deals_won", "sales", "count", "deals created in the period and won", lambda a: a.won),
    KpiSpec(
        "sales_win_rate", "sales", "ratio", "won / (won + lost) of deals created in the period",
        lambda a: a.win_rate,
    ),
    KpiSpec(
        "sales_cycle_days", "sales", "days", "average days from creation to won, deals created in the period",
        lambda a: a.cycle_days,
    ),
)  # fmt: skip


def build_kpis(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Kpi]:
    """Every KPI of the catalogue from the services' answers by service name (None: no answer)."""
    kpis: dict[str, Kpi] = {}
    for spec in KPIS:
        answer, before = current.get(spec.source), previous.get(spec.source)
        value = spec.pick(answer) if answer is not None else None
        prior = spec.pick(before) if before is not None and not spec.snapshot else None
        kpis[spec.name] = Kpi(
            value=shown(value, spec.unit),
            previous=shown(prior, spec.unit),
            change=relative_change(value, prior),
            unit=spec.unit,
            snapshot=spec.snapshot,
            source=spec.source,
        )
    return kpis


# --- the endpoint ---------------------------------------------------------------------------------

_PERIOD_SOURCES: dict[str, tuple[str, type[BaseModel]]] = {
    "profile": ("/report", CustomerReport),
    "journey": ("/report", JourneyReport),
    "referral": ("/report", ReferralReport),
    "sales": ("/analytics", SalesAnalytics),
}
_CATALOGUE = "\n".join(
    f"- `{s.name}` ({s.unit}, {s.source}{', snapshot' if s.snapshot else ''}): {s.description}" for s in KPIS
)


@reports_router.get(
    "/v1/reports/overview",
    **described("overview"),
    response_model=Overview,
    response_model_by_alias=True,
    responses={
        200: {"content": {"application/json": {"example": OVERVIEW_EXAMPLE}}},
        **problems(401, 403, 422),
    },
)
async def overview(
    request: Request,
    principal: Annotated[Principal, Depends(require(CUSTOMERS_READ))],
    since: Annotated[
        RequestTime | None,
        Query(alias="from", description=f"Start, inclusive (default: 30 days before `to`): {TIME_DESCRIPTION}",
              examples=["2026-05-01T00:00:00Z"]),
    ] = None,
    until: Annotated[
        RequestTime | None,
        Query(alias="to", description=f"End, exclusive (default: now): {TIME_DESCRIPTION}",
              examples=["2026-06-01T00:00:00Z"]),
    ] = None
) -> Overview:  # fmt: skip
    try:
        (start, end), (previous_start, previous_end) = report_periods(since, until, dt.datetime.now(dt.UTC))
    except ValueError as exc:
        raise ProblemError(422, str(exc), type_="validation", errors=[{"field": "from", "message": str(exc)}]) from None
    state = gateway_context(request)
    current, previous, degraded = await _gather(state, principal.workspace, (start, end), (previous_start, start))
    scoring = current.get("scoring")
    return Overview(
        period=Period(from_=start, to=end),
        previous_period=Period(from_=previous_start, to=previous_end),
        kpis=build_kpis(current, previous),
        distributions=Distributions(
            rfm_segments=scoring.rfm_segments if scoring else None,
            churn_risk=scoring.churn_risk if scoring else None,
            scored_at=scoring.as_of if scoring else None,
        ),
        degraded=degraded,
    )


async def _gather(
    state: GatewayContext,
    workspace: str,
    period: tuple[dt.datetime, dt.datetime],
    before: tuple[dt.datetime, dt.datetime],
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Every service's answers for both periods (and scoring's snapshot), concurrently: (current answers,
    previous answers, the degraded services). A missing answer (404) is None without degrading."""
    clients: dict[str, ServiceClient] = {
        "profile": state.profile,
        "journey": state.journey,
        "referral": state.referral,
        "sales": state.sales,
    }
    calls: list[tuple[str, int, ServiceClient, str, dict[str, Any] | None, type[BaseModel]]] = [
        ("scoring", 0, state.scoring, workspace_path(workspace, "/distribution"), None, ScoringDistribution)
    ]
    for name, (suffix, model) in _PERIOD_SOURCES.items():
        for index, (start, end) in enumerate((period, before)):
            params: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
            if name == "sales":
                params["pipeline_id"] = SALES_PIPELINE
            calls.append((name, index, clients[name], workspace_path(workspace, suffix), params, model))
    answers = await asyncio.gather(
        *(_fetch(client, path, params, model, state.budget_s) for _, _, client, path, params, model in calls)
    )
    found: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    degraded: list[str] = []
    for (name, index, *_), (answer, failed) in zip(calls, answers, strict=True):
        if failed and name not in degraded:
            degraded.append(name)
        found[index][name] = answer
    for name in degraded:  # half a service's numbers would make a misleading change
        found[0][name] = found[1][name] = None
    return found[0], found[1], sorted(degraded)


async def _fetch(
    client: ServiceClient, path: str, params: dict[str, Any] | None, model: type[BaseModel], budget_s: float
) -> tuple[BaseModel | None, bool]:
    """(the answer or None, whether the service failed), within the budget."""
    try:
        async with asyncio.timeout(budget_s):
            doc = await client.get_held(path, params=params)
    except ProblemError:
        return None, True
    except TimeoutError:
        return None, True
    try:
        return model.model_validate(doc), False
    except ValidationError:
        log.error("report answer breaks the contract", extra={"service": client.name, "model": model.__name__})
        return None, True
