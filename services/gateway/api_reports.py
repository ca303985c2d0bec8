"""GET /v1/reports/overview: the headline KPIs over a period beside the previous period of the same length.

The numbers are gathered concurrently from the services' internal report endpoints, each call within the
gateway's per-call budget (services/gateway/report_sources.py). A service that is down, slow, answers out of
contract or holds no report leaves its KPIs null and is named in `degraded` (as in the 360 view); the report itself
still answers 200. Figures are shown as every report shows them (services/gateway/report_figures.py): money to the
cent, ratios to 4 decimals, days to 2, half up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from contracts.http.journey import JourneyReport
from contracts.http.loyalty import LoyaltyReport
from contracts.http.profile import CustomerReport
from contracts.http.referral import ReferralReport
from contracts.http.sales.signals import SalesAnalytics
from contracts.http.scoring import ScoringDistribution
from services.gateway.deps import GatewayContext, gateway_context
from services.gateway.passthrough import described
from services.gateway.report_figures import Number, relative_change, shown
from services.gateway.report_sources import Call, Reader, Since, Until, ask_periods, period_params, periods_or_422
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

SALES_PIPELINE = "repurchase_upsell"  # the built-in pipeline the sales KPIs are read from


# --- pure parts -----------------------------------------------------------------------------------


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
    KpiSpec(
        "loyalty_members", "loyalty", "count", "customers with a points ledger", lambda a: a.members, snapshot=True,
    ),
    KpiSpec(
        "points_outstanding", "loyalty", "count", "points liability: every member's positive balance, summed",
        lambda a: a.outstanding_points, snapshot=True,
    ),
    KpiSpec(
        "points_liability", "loyalty", "money",
        "what the outstanding points are worth, in the loyalty program's currency",
        lambda a: _decimal(a.liability_value), snapshot=True,
    ),
    KpiSpec(
        "points_earned", "loyalty", "count", "points earned in the period (erased members' included)",
        lambda a: a.points_earned,
    ),
    KpiSpec("points_redeemed", "loyalty", "count", "points redeemed in the period", lambda a: a.points_redeemed),
    KpiSpec("points_expired", "loyalty", "count", "points expired in the period", lambda a: a.points_expired),
    KpiSpec(
        "points_redemption_rate", "loyalty", "ratio", "points redeemed / points earned in the period",
        lambda a: a.redemption_rate,
    ),
)  # fmt: skip


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


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
    "loyalty": ("/report", LoyaltyReport),
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
    principal: Reader,
    since: Since = None,
    until: Until = None,
) -> Overview:
    (start, end), (previous_start, previous_end) = periods_or_422(since, until)
    state = gateway_context(request)
    current, previous, degraded = await _gather(state, principal.workspace, (start, end), (previous_start, start))
    scoring, loyalty = current.get("scoring"), current.get("loyalty")
    return Overview(
        period=Period(from_=start, to=end),
        previous_period=Period(from_=previous_start, to=previous_end),
        kpis=build_kpis(current, previous),
        distributions=Distributions(
            rfm_segments=scoring.rfm_segments if scoring else None,
            churn_risk=scoring.churn_risk if scoring else None,
            scored_at=scoring.as_of if scoring else None,
            loyalty_tiers={t.tier: t.members for t in loyalty.members_by_tier} if loyalty else None,
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
    previous answers, the degraded services)."""
    clients: dict[str, ServiceClient] = {
        "profile": state.profile,
        "journey": state.journey,
        "referral": state.referral,
        "sales": state.sales,
        "loyalty": state.loyalty,
    }
    calls = [Call("scoring", "scoring", 0, state.scoring, workspace_path(workspace, "/distribution"), None,
                  ScoringDistribution)]  # fmt: skip
    for name, (suffix, model) in _PERIOD_SOURCES.items():
        for index, (start, end) in enumerate((period, before)):
            params = period_params(start, end)
            if name == "sales":
                params["pipeline_id"] = SALES_PIPELINE
            calls.append(Call(name, name, index, clients[name], workspace_path(workspace, suffix), params, model))
    return await ask_periods(calls, state.budget_s)
