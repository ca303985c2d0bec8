"""GET /v1/reports/kpi-tree: the growth KPIs in three levels (scale, behaviour, financial), each over a period beside
the previous one and measured against the workspace's target for that period.

The period is either a target period (`period=2026-Q4`: its days, cut at now while it runs; the previous period is
the quarter before, as far into it) or [from, to) as the overview takes it (the period before of the same length;
the targets that apply are those of the year, quarter or month spanning exactly [from, to), if any). The numbers
are the services' internal answers, asked concurrently within the gateway's per-call budget; an answer that fails
leaves the metrics computed from it null (status `unknown`) and names its service in `degraded`, and the report
still answers 200 (services/gateway/report_sources.py). Money is computed from exact decimals and shown to the cent,
numbers to 4 decimals, half up (services/gateway/report_figures.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from contracts.http.profile import CustomerReport, NpsFigures, SpendTotals
from contracts.http.referral import ReferralReport
from contracts.http.scoring import ScoringDistribution, ScoringKpis
from contracts.http.types import RequestTime
from services.gateway import target_store
from services.gateway.deps import GatewayContext, gateway_context
from services.gateway.domain import (
    KPI_TREE,
    PERIOD_PATTERN,
    KpiMetricSpec,
    midnight,
    parse_period,
    period_spanning,
    previous_period,
)
from services.gateway.passthrough import described
from services.gateway.report_csv import CSV_MEDIA_TYPE, Cell, csv_response, wants_csv
from services.gateway.report_figures import Number, four, in_currency, relative_change, report_periods, shown
from services.gateway.report_sources import (
    Call,
    Reader,
    ask_periods,
    invalid_query,
    no_spend,
    period_params,
    report_currency,
    since_query,
    spend_params,
    until_query,
)
from services.gateway.schemas import problems
from services.gateway.schemas_kpi_tree import (
    KPI_TREE_CSV_EXAMPLE,
    KPI_TREE_EXAMPLE,
    KpiNode,
    KpiStatus,
    KpiTree,
    TreeSource,
)
from services.gateway.schemas_reports import Period
from services.gateway.service_client import ServiceClient, workspace_path
from services.gateway.store import Executor

kpi_tree_router = APIRouter(tags=["reports"])

CSV_COLUMNS = ("level", "metric", "unit", "value", "previous", "change", "target", "progress", "status")


# --- pure parts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreePeriods:
    """The report's period [start, end), the previous one, the target period whose targets apply (or None), and
    the span a flow's target is spread over ([start, end) before cutting at now)."""

    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime
    previous_end: dt.datetime
    target_period: str | None
    span: tuple[dt.datetime, dt.datetime]


def tree_periods(
    period: str | None, since: dt.datetime | None, until: dt.datetime | None, now: dt.datetime
) -> TreePeriods:
    """The periods of a KPI tree asked with `period` or with `from`/`to` (not both). ValueError naming what is
    wrong."""
    if period is not None:
        if since is not None or until is not None:
            raise ValueError("give `period` or `from`/`to`, not both")
        target = parse_period(period)
        start, full_end = midnight(target.start), midnight(target.end)
        if start >= now:
            raise ValueError(f"the period {period} has not started yet")
        end = min(full_end, now)
        try:
            before = previous_period(target)
        except ValueError:
            raise ValueError(f"the period {period} has no previous period the services hold") from None
        previous_start, previous_end = midnight(before.start), midnight(before.end)
        if end < full_end:  # running: as far into the previous period as this one is
            previous_end = min(previous_end, previous_start + (end - start))
        return TreePeriods(start, end, previous_start, previous_end, period, (start, full_end))
    (start, end), (previous_start, previous_end) = report_periods(since, until, now)
    return TreePeriods(start, end, previous_start, previous_end, period_spanning(start, end), (start, end))


def elapsed_share(span: tuple[dt.datetime, dt.datetime], now: dt.datetime) -> Decimal:
    """How much of the span has passed by `now`, from 0 to 1 (exact)."""
    start, end = span
    if now >= end:
        return Decimal(1)
    if now <= start:
        return Decimal(0)
    micro = dt.timedelta(microseconds=1)
    return Decimal((now - start) // micro) / Decimal((end - start) // micro)


def judge(
    spec: KpiMetricSpec, value: Number, target: float | None, share: Decimal
) -> tuple[Decimal | None, Decimal | None, KpiStatus]:
    """(bar, progress, status) of a metric's value against its target: the bar is the target, or for a flow the
    target times the elapsed share of its period; progress is value / bar (bar / value where lower is better)."""
    if target is None:
        return None, None, "no_target"
    bar = Decimal(str(target)) * (share if spec.additive else 1)
    if value is None:
        return bar, None, "unknown"
    exact = Decimal(str(value))
    numerator, divisor = (bar, exact) if spec.lower_is_better else (exact, bar)
    progress = numerator / divisor if divisor != 0 else None
    on_track = exact <= bar if spec.lower_is_better else exact >= bar
    return bar, progress, "on_track" if on_track else "behind"


@dataclass(frozen=True)
class Figures:
    """The services' answers for one period (None: not answered); scoring's distribution is a snapshot, so only
    the current period has it."""

    report: CustomerReport | None = None
    nps: NpsFigures | None = None
    spend: SpendTotals | None = None
    referral: ReferralReport | None = None
    kpis: ScoringKpis | None = None
    distribution: ScoringDistribution | None = None
    currency: str | None = None  # the workspace's report currency: spend in another one is left out of CAC


def new_customers(f: Figures) -> int | None:
    """First purchase in the period: profile counts them with its other customer numbers (its acquisition report
    gives the same count by source, at the cost of each one's first order and repurchases)."""
    return f.report.first_purchasers if f.report else None


def spend_total(f: Figures) -> Decimal | None:
    """Marketing spend of the period in the workspace currency (`in_currency`)."""
    if f.spend is None:
        return None
    return sum(
        (Decimal(i.amount) for i in f.spend.items if in_currency(i.currency, f.currency)),
        Decimal(0),
    )


def average_order_value(f: Figures) -> Decimal | None:
    if f.report is None or f.report.orders_in_period == 0:
        return None
    return f.report.revenue_in_period / f.report.orders_in_period


def cac(f: Figures) -> Decimal | None:
    spend, new = spend_total(f), new_customers(f)
    if spend is None or new is None or new == 0 or f.referral is None:
        return None
    return (spend + f.referral.reward_cost) / new


def ltv_to_cac(f: Figures) -> Decimal | None:
    cost = cac(f)
    if f.kpis is None or f.kpis.new_customers_predicted == 0 or cost is None or cost == 0:
        return None
    return f.kpis.new_customers_predicted_clv_total / f.kpis.new_customers_predicted / cost


@dataclass(frozen=True)
class Source:
    """A metric's computation: the answers (Figures fields) it reads and how."""

    reads: tuple[str, ...]
    pick: Callable[[Figures], Number]


def _of(name: str, pick: Callable[[Any], Number]) -> Source:
    return Source((name,), lambda f: None if getattr(f, name) is None else pick(getattr(f, name)))


SOURCES: Mapping[str, Source] = {
    "customers": _of("report", lambda a: a.customers),
    "new_customers": Source(("report",), new_customers),
    "active": _of("distribution", lambda a: a.active),
    "dormant": _of("distribution", lambda a: a.dormant),
    "reactivated": _of("kpis", lambda a: a.reactivated),
    "repurchase_rate": _of("report", lambda a: a.repurchase_rate),
    "retention_90d": _of("kpis", lambda a: a.retention_90d),
    "visit_frequency": _of("kpis", lambda a: a.visit_frequency),
    "nps": _of("nps", lambda a: a.score),
    "revenue": _of("report", lambda a: a.revenue_in_period),
    "average_order_value": Source(("report",), average_order_value),
    "ltv": _of("distribution", lambda a: a.ltv.historical_avg),
    "cac": Source(("spend", "report", "referral"), cac),
    "ltv_to_cac": Source(("kpis", "spend", "report", "referral"), ltv_to_cac),
    "referral_share": _of("referral", lambda a: a.referral_share),
    "reward_cost": _of("referral", lambda a: a.reward_cost),
}
# Which service answers each Figures field, and where.
ANSWERS: Mapping[str, tuple[str, str, type[BaseModel]]] = {
    "report": ("profile", "/report", CustomerReport),
    "nps": ("profile", "/nps", NpsFigures),
    "spend": ("profile", "/marketing-spend/totals", SpendTotals),
    "referral": ("referral", "/report", ReferralReport),
    "kpis": ("scoring", "/kpis", ScoringKpis),
}
SNAPSHOT_ANSWERS: Mapping[str, tuple[str, str, type[BaseModel]]] = {
    "distribution": ("scoring", "/distribution", ScoringDistribution),
}


def sources_of(metric: str) -> list[TreeSource]:
    """The services a metric is computed from, in the order of its reads."""
    answers = {**ANSWERS, **SNAPSHOT_ANSWERS}
    return list(dict.fromkeys(cast(TreeSource, answers[name][0]) for name in SOURCES[metric].reads))


def build_tree(
    current: Figures, previous: Figures, targets: Mapping[str, float], share: Decimal
) -> dict[str, dict[str, KpiNode]]:
    """Every metric of the tree by level and name, from the answers of both periods and the targets that apply."""
    levels: dict[str, dict[str, KpiNode]] = {"scale": {}, "behaviour": {}, "financial": {}}
    for spec in KPI_TREE:
        source = SOURCES[spec.metric]
        value = source.pick(current)
        prior = None if spec.snapshot else source.pick(previous)
        # The change and status of what is shown (money to the cent), so they agree with the numbers beside them.
        value_shown, prior_shown = shown(value, spec.unit), shown(prior, spec.unit)
        bar, progress, status = judge(spec, _number(value_shown), targets.get(spec.metric), share)
        levels[spec.level][spec.metric] = KpiNode(
            value=value_shown,
            previous=prior_shown,
            change=relative_change(_number(value_shown), _number(prior_shown)),
            unit=spec.unit,
            snapshot=spec.snapshot,
            lower_is_better=spec.lower_is_better,
            sources=sources_of(spec.metric),
            target=targets.get(spec.metric),
            bar=four(bar),
            progress=four(progress),
            status=status,
        )
    return levels


def _number(shown_value: int | float | str | None) -> Number:
    return Decimal(shown_value) if isinstance(shown_value, str) else shown_value


def csv_rows(tree: KpiTree) -> list[dict[str, Cell]]:
    """One row per metric, level by level: money cells as exact decimals."""
    rows: list[dict[str, Cell]] = []
    for level in ("scale", "behaviour", "financial"):
        nodes: dict[str, KpiNode] = getattr(tree, level)
        for metric, node in nodes.items():
            rows.append(
                {
                    "level": level,
                    "metric": metric,
                    "unit": node.unit,
                    "value": _number(node.value),
                    "previous": _number(node.previous),
                    "change": node.change,
                    "target": node.target,
                    "progress": node.progress,
                    "status": node.status,
                }
            )
    return rows


# --- the endpoint ---------------------------------------------------------------------------------


@kpi_tree_router.get(
    "/v1/reports/kpi-tree",
    **described("kpi_tree"),
    response_model=KpiTree,
    response_model_by_alias=True,
    responses={
        200: {
            "content": {
                "application/json": {"example": KPI_TREE_EXAMPLE},
                CSV_MEDIA_TYPE: {
                    "schema": {"type": "string", "description": f"Columns: {', '.join(CSV_COLUMNS)}."},
                    "example": KPI_TREE_CSV_EXAMPLE,
                },
            }
        },
        **problems(401, 403, 422),
    },
)
async def kpi_tree(
    request: Request,
    principal: Reader,
    period: Annotated[
        str | None,
        Query(pattern=PERIOD_PATTERN, description="A year (`2026`), quarter (`2026-Q4`) or month (`2026-12`), "
              "instead of `from`/`to`: its targets apply.", examples=["2026-Q4"]),
    ] = None,
    since: Annotated[RequestTime | None, since_query("2026-10-01T00:00:00Z")] = None,
    until: Annotated[RequestTime | None, until_query("2027-01-01T00:00:00Z")] = None,
) -> KpiTree | Response:  # fmt: skip
    state = gateway_context(request)
    now = state.clock()
    try:
        periods = tree_periods(period, since, until, now)
    except ValueError as exc:
        raise invalid_query(str(exc), "period" if period is not None else "from") from None
    current, previous, targets, degraded = await _gather(state, principal.workspace, periods)
    tree = KpiTree(
        period=Period(from_=periods.start, to=periods.end),
        previous_period=Period(from_=periods.previous_start, to=periods.previous_end),
        target_period=periods.target_period,
        currency=current.currency,
        **build_tree(current, previous, targets, elapsed_share(periods.span, now)),
        degraded=degraded,
    )
    if wants_csv(request):
        return csv_response("kpi-tree", CSV_COLUMNS, csv_rows(tree))
    return tree


async def _gather(
    state: GatewayContext, workspace: str, periods: TreePeriods
) -> tuple[Figures, Figures, dict[str, float], list[str]]:
    """Both periods' answers (and scoring's snapshot), the targets that apply and the currency, concurrently:
    (current figures, previous figures, targets by metric, degraded services). An answer that failed in either
    period is dropped from both (half a comparison would mislead)."""
    clients: dict[str, ServiceClient] = {"profile": state.profile, "scoring": state.scoring, "referral": state.referral}
    calls: list[Call] = []
    for name, (service, suffix, model) in SNAPSHOT_ANSWERS.items():
        calls.append(Call(name, service, 0, clients[service], workspace_path(workspace, suffix), None, model))
    spans = ((periods.start, periods.end), (periods.previous_start, periods.previous_end))
    for name, (service, suffix, model) in ANSWERS.items():
        for index, (start, end) in enumerate(spans):
            params = spend_params(start, end) if name == "spend" else period_params(start, end)
            if params is not None:  # None: no whole day, no spend to ask for
                calls.append(Call(name, service, index, clients[service], workspace_path(workspace, suffix), params,
                                  model))  # fmt: skip
    (current, previous, degraded), targets, currency = await asyncio.gather(
        ask_periods(calls, state.budget_s),
        _targets(state.runtime.pool, workspace, periods.target_period),
        report_currency(state, workspace),
    )
    for found, (start, _) in zip((current, previous), spans, strict=True):
        found.setdefault("spend", no_spend(start))  # not asked for (an answer that failed is there, None)
    return Figures(**current, currency=currency), Figures(**previous, currency=currency), targets, degraded


async def _targets(pool: Executor, workspace: str, period: str | None) -> dict[str, float]:
    if period is None:
        return {}
    return await target_store.targets_of_period(pool, workspace, period)
