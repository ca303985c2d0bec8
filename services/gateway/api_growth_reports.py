"""The growth reports: GET /v1/reports/acquisition, /retention, /nps and /segments/{segment_id}.

Each combines the services' internal report answers, asked concurrently within the gateway's per-call budget (as
the overview does, services/gateway/api_reports.py, whose period rule it shares: `report_periods`). A service that
is down, slow or out of contract leaves the figures it gives null and is named in `degraded`; the answer is still
200 -- except the segment report, which is all scoring's: it answers 503 without scoring, 404 for a segment the
workspace does not have. The workspace asked about is always the API key's.

Money is computed from the services' exact decimal sums and only then rounded to the cent (half up); ratios are
rounded to 4 decimals (half up). Every report is also CSV with `Accept: text/csv` (services/gateway/report_csv.py).

Marketing spend is kept per day: the acquisition report counts the days that start in [from, to) (a day
2026-05-01 counts for from=2026-05-01T00:00Z but not for from=2026-05-01T08:00Z).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ValidationError

from contracts.http.profile import NewCustomersReport, NpsFigures, SpendTotals
from contracts.http.referral import ReferralReport
from contracts.http.scoring import PredictedClvReport, RetentionReport, SegmentReport
from contracts.http.types import TIME_DESCRIPTION, RequestTime
from runtime.problems import ProblemError
from services.gateway import target_store
from services.gateway.api_reports import report_periods
from services.gateway.deps import GatewayContext, gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, Principal
from services.gateway.passthrough import described
from services.gateway.report_csv import Cell, csv_response, wants_csv
from services.gateway.schemas import problems
from services.gateway.schemas_growth_reports import (
    AcquisitionReport,
    AcquisitionRow,
    NpsReport,
    RetentionCohortRow,
    RetentionReportOut,
    SegmentReportOut,
    SpendAmount,
)
from services.gateway.schemas_reports import Period
from services.gateway.service_client import ServiceClient, segment, workspace_path

growth_reports_router = APIRouter(tags=["reports"])
log = logging.getLogger(__name__)

RATIO = Decimal("0.0001")
REFERRAL = "referral"
TOTAL = "all"
SEGMENT_ID_PATTERN = r"^[A-Za-z0-9_.-]+$"
M = TypeVar("M", bound=BaseModel)


# --- pure parts -----------------------------------------------------------------------------------


Exact = Fraction | Decimal | int


def rounded(value: Exact, places: int) -> Decimal:
    """`value` rounded half up (away from zero) to `places` decimals, from its exact value (a quotient is kept as a
    fraction until here: 100.005 / (100 / 3) is 3.00015, which a 28-digit decimal division could put either side
    of the half)."""
    scaled = Fraction(value) * 10**places
    units = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-units if scaled < 0 else units).scaleb(-places)


def money(value: Exact | None) -> str | None:
    """An exact amount as the reports show it: a decimal string to the cent, rounded half up."""
    return None if value is None else str(rounded(value, 2))


def ratio(numerator: Exact | None, denominator: Exact | None) -> float | None:
    """numerator / denominator to 4 decimals (half up), exactly; None when either is None or the denominator
    is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(rounded(Fraction(numerator) / Fraction(denominator), 4))


def shown_ratio(value: float | None) -> float | None:
    return None if value is None else float(Decimal(repr(value)).quantize(RATIO, rounding=ROUND_HALF_UP))


def spend_days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The UTC days [first, last) that start in [start, end); None when no day does."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    midnight = dt.time(0, tzinfo=dt.UTC)
    first = start.date() if start.timetz() == midnight else start.date() + dt.timedelta(days=1)
    last = end.date() if end.timetz() == midnight else end.date() + dt.timedelta(days=1)
    return (first, last) if first < last else None


Key = tuple[str, str | None]


@dataclass
class _Sums:
    """What one acquisition row is computed from, exactly (None: its service could not say)."""

    new_customers: int = 0
    first_order_total: Decimal = Decimal(0)
    repurchasers_90d: int = 0
    spend: Decimal | None = Decimal(0)
    predicted: int = 0
    predicted_clv_total: Decimal = Decimal(0)

    def add(self, other: _Sums) -> None:
        self.new_customers += other.new_customers
        self.first_order_total += other.first_order_total
        self.repurchasers_90d += other.repurchasers_90d
        self.spend = None if self.spend is None or other.spend is None else self.spend + other.spend
        self.predicted += other.predicted
        self.predicted_clv_total += other.predicted_clv_total


@dataclass(frozen=True)
class AcquisitionFigures:
    items: list[AcquisitionRow]
    channels: list[AcquisitionRow]
    total: AcquisitionRow
    unconverted_spend: list[SpendAmount]


def _row(channel: str, campaign: str | None, sums: _Sums, known: set[str]) -> AcquisitionRow:
    new = sums.new_customers if "profile" in known else None
    spend = sums.spend if "spend" in known else None
    cac = Fraction(spend) / new if spend is not None and new else None
    avg_clv = Fraction(sums.predicted_clv_total) / sums.predicted if "scoring" in known and sums.predicted else None
    return AcquisitionRow(
        channel=channel,
        campaign=campaign,
        new_customers=new,
        spend=money(spend),
        cac=money(cac),
        avg_first_order=money(Fraction(sums.first_order_total) / new) if new else None,
        avg_predicted_clv=money(avg_clv),
        ltv_to_cac=ratio(avg_clv, cac),
        repurchase_rate_90d=ratio(sums.repurchasers_90d, new),
    )


def _order(key: Key) -> tuple[str, bool, str]:
    return key[0], key[1] is not None, key[1] or ""


def acquisition_figures(
    new: NewCustomersReport | None,
    spend: SpendTotals | None,
    clv: PredictedClvReport | None,
    reward_cost: Decimal | None,
    currency: str | None,
) -> AcquisitionFigures:
    """The acquisition rows from profile's new customers and spend, scoring's predicted CLV and referral's reward
    cost (each None when its service could not answer: the figures it gives are null). Spend in a currency other
    than `currency` (when set) goes to `unconverted_spend`; referral's reward cost is the spend of (referral, no
    campaign)."""
    sums: dict[Key, _Sums] = {}

    def at(key: Key) -> _Sums:
        return sums.setdefault(key, _Sums())

    known = {name for name, answer in (("profile", new), ("scoring", clv)) if answer is not None}
    if spend is not None:
        known.add("spend")
    for item in new.items if new else ():
        row = at((item.source, item.campaign))
        row.new_customers += item.new_customers
        row.first_order_total += item.first_order_total
        row.repurchasers_90d += item.repurchasers_90d
    for predicted in clv.items if clv else ():
        row = at((predicted.source, predicted.campaign))
        row.predicted += predicted.predicted
        row.predicted_clv_total += predicted.predicted_clv_total
    unconverted: dict[str, Decimal] = {}
    for total in spend.items if spend else ():
        amount = Decimal(total.amount)
        if currency is not None and total.currency is not None and total.currency != currency:
            unconverted[total.currency] = unconverted.get(total.currency, Decimal(0)) + amount
            continue
        row = at((total.channel, total.campaign))
        row.spend = (row.spend or Decimal(0)) + amount
    if reward_cost is None:
        at((REFERRAL, None)).spend = None  # unknown: the channel's and the total's spend with it
    elif reward_cost:
        row = at((REFERRAL, None))
        row.spend = None if row.spend is None else row.spend + reward_cost
    keys = sorted(sums, key=_order)
    channels: dict[str, _Sums] = {}
    everything = _Sums()
    for key in keys:
        channels.setdefault(key[0], _Sums()).add(sums[key])
        everything.add(sums[key])
    return AcquisitionFigures(
        items=[_row(channel, campaign, sums[(channel, campaign)], known) for channel, campaign in keys],
        channels=[_row(channel, None, channel_sums, known) for channel, channel_sums in channels.items()],
        total=_row(TOTAL, None, everything, known),
        unconverted_spend=[
            SpendAmount(currency=c, amount=money(unconverted[c]) or "0.00") for c in sorted(unconverted)
        ],
    )


def retention_rows(report: RetentionReport) -> list[RetentionCohortRow]:
    return [
        RetentionCohortRow(
            cohort=cohort.cohort,
            start=cohort.start,
            size=cohort.size,
            retained=[shown_ratio(value) for value in cohort.retained],
            revenue_per_member=[money(value) for value in cohort.revenue_per_member],
            repurchase_rate=[shown_ratio(value) for value in cohort.repurchase_rate],
        )
        for cohort in report.cohorts
    ]


def segment_out(report: SegmentReport, period: Period, currency: str | None) -> SegmentReportOut:
    return SegmentReportOut(
        period=period,
        currency=currency,
        segment_id=report.segment_id,
        name=report.name,
        members=report.members,
        sizes=report.sizes,
        revenue=money(report.revenue) or "0.00",
        orders=report.orders,
        average_order_value=money(Fraction(report.revenue) / report.orders) if report.orders else None,
        avg_predicted_clv=money(report.avg_predicted_clv),
        churn_mix=report.churn_mix,
        purchasers=report.purchasers,
        repeat_purchasers=report.repeat_purchasers,
        repurchase_rate=ratio(report.repeat_purchasers, report.purchasers),
        nps=report.nps,
        nps_by_month=report.nps_by_month,
    )


# --- CSV rows (cells a workspace wrote are quoted out by report_csv) --------------------------------

ACQUISITION_COLUMNS = (
    "level", "channel", "campaign", "new_customers", "spend", "cac", "avg_first_order", "avg_predicted_clv",
    "ltv_to_cac", "repurchase_rate_90d", "currency",
)  # fmt: skip
RETENTION_COLUMNS = ("cohort", "start", "size", "k", "retained", "revenue_per_member", "repurchase_rate")
NPS_COLUMNS = ("level", "key", "segment_id", "score", "promoters", "passives", "detractors", "responses")
SEGMENT_COLUMNS = (
    "level", "day", "members", "revenue", "orders", "average_order_value", "avg_predicted_clv", "churn_low",
    "churn_medium", "churn_high", "purchasers", "repeat_purchasers", "repurchase_rate", "nps_score",
    "nps_promoters", "nps_passives", "nps_detractors", "nps_responses", "currency",
)  # fmt: skip


def acquisition_csv_rows(report: AcquisitionReport) -> Iterable[dict[str, Cell]]:
    """One row per item (`item`), then per channel (`channel`), then the total (`total`), then one per currency of
    unconverted spend (`unconverted`, its amount under `spend`)."""
    levels = (("item", report.items), ("channel", report.channels), ("total", [report.total]))
    for level, rows in levels:
        for row in rows:
            yield {"level": level, **row.model_dump(), "currency": report.currency}
    for amount in report.unconverted_spend:
        yield {"level": "unconverted", "spend": amount.amount, "currency": amount.currency}


def retention_csv_rows(report: RetentionReportOut) -> Iterable[dict[str, Cell]]:
    for cohort in report.cohorts or ():
        for k, retained in enumerate(cohort.retained):
            yield {
                "cohort": cohort.cohort, "start": cohort.start, "size": cohort.size, "k": k, "retained": retained,
                "revenue_per_member": _nth(cohort.revenue_per_member, k),
                "repurchase_rate": _nth(cohort.repurchase_rate, k),
            }  # fmt: skip


def _nth(values: list[Any], k: int) -> Any:
    return values[k] if k < len(values) else None


def nps_csv_rows(report: NpsReport) -> Iterable[dict[str, Cell]]:
    """The period (`period`), then each month (`month`, key YYYY-MM), then each channel (`channel`)."""
    counts = ("score", "promoters", "passives", "detractors", "responses")
    yield {"level": "period", "segment_id": report.segment_id, **{name: getattr(report, name) for name in counts}}
    for month in report.by_month or ():
        yield {
            "level": "month",
            "key": month.month,
            "segment_id": report.segment_id,
            **month.model_dump(include=set(counts)),
        }
    for group in report.by_channel or ():
        yield {
            "level": "channel",
            "key": group.key,
            "segment_id": report.segment_id,
            **group.model_dump(include=set(counts)),
        }


def segment_csv_rows(report: SegmentReportOut) -> Iterable[dict[str, Cell]]:
    """One row per day of sizes (`day`), then the figures on one `summary` row."""
    for size in report.sizes:
        yield {"level": "day", "day": size.day, "members": size.members}
    yield {
        "level": "summary", "members": report.members, "revenue": report.revenue, "orders": report.orders,
        "average_order_value": report.average_order_value, "avg_predicted_clv": report.avg_predicted_clv,
        **{f"churn_{band}": report.churn_mix.get(band) for band in ("low", "medium", "high")},
        "purchasers": report.purchasers, "repeat_purchasers": report.repeat_purchasers,
        "repurchase_rate": report.repurchase_rate, "nps_score": report.nps.score,
        "nps_promoters": report.nps.promoters, "nps_passives": report.nps.passives,
        "nps_detractors": report.nps.detractors, "nps_responses": report.nps.responses, "currency": report.currency,
    }  # fmt: skip


# --- asking the services ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A service's answer (None when it failed or held nothing), whether it failed, and whether it answered 404."""

    value: Any
    failed: bool = False
    missing: bool = False


async def _ask(
    client: ServiceClient, path: str, params: dict[str, Any] | None, model: type[BaseModel], budget_s: float
) -> Answer:
    try:
        async with asyncio.timeout(budget_s):
            doc = await client.get_held(path, params=params)
    except (ProblemError, TimeoutError):
        return Answer(None, failed=True)
    if doc is None:
        return Answer(None, missing=True)
    try:
        return Answer(model.model_validate(doc))
    except ValidationError:
        log.error("report answer breaks the contract", extra={"service": client.name, "model": model.__name__})
        return Answer(None, failed=True)


def _period_or_422(since: dt.datetime | None, until: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    try:
        (start, end), _ = report_periods(since, until, dt.datetime.now(dt.UTC))
    except ValueError as exc:
        raise ProblemError(422, str(exc), type_="validation", errors=[{"field": "from", "message": str(exc)}]) from None
    return start, end


def _span(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    return {"from": start.isoformat(), "to": end.isoformat()}


def _value(answer: Answer, model: type[M]) -> M | None:
    """The answer when it is one (a 404 where a report was expected counts as a failure: see `_failed`)."""
    return answer.value if isinstance(answer.value, model) else None


def _failed(answers: dict[str, Answer]) -> list[str]:
    """The services that failed or held no report (an older service without the endpoint)."""
    return sorted({name.split(":")[0] for name, answer in answers.items() if answer.failed or answer.missing})


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

Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Since = Annotated[
    RequestTime | None,
    Query(alias="from", description=f"Start, inclusive (default: 30 days before `to`): {TIME_DESCRIPTION}",
          examples=["2026-05-01T00:00:00Z"]),
]  # fmt: skip
Until = Annotated[
    RequestTime | None,
    Query(alias="to", description=f"End, exclusive (default: now): {TIME_DESCRIPTION}",
          examples=["2026-06-01T00:00:00Z"]),
]  # fmt: skip
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


async def _currency(state: GatewayContext, workspace: str) -> str | None:
    return await target_store.report_currency(state.runtime.pool, workspace)


@growth_reports_router.get(
    "/v1/reports/acquisition",
    **described("acquisition_report"),
    response_model=AcquisitionReport,
    response_model_by_alias=True,
    responses=_json_or_csv(401, 403, 422),
)
async def acquisition_report(request: Request, principal: Reader, since: Since = None, until: Until = None) -> Any:
    start, end = _period_or_422(since, until)
    state, ws = gateway_context(request), principal.workspace
    calls: dict[str, tuple[ServiceClient, str, dict[str, Any], type[BaseModel]]] = {
        "profile": (state.profile, "/acquisition-report", _span(start, end), NewCustomersReport),
        "scoring": (state.scoring, "/predicted-clv", _span(start, end), PredictedClvReport),
        "referral": (state.referral, "/report", _span(start, end), ReferralReport),
    }
    days = spend_days(start, end)
    if days is not None:
        dates = {"from": days[0].isoformat(), "to": days[1].isoformat()}
        calls["profile:spend"] = (state.profile, "/marketing-spend/totals", dates, SpendTotals)
    names = list(calls)
    found, currency = await asyncio.gather(
        asyncio.gather(
            *(_ask(client, workspace_path(ws, suffix), params, model, state.budget_s)
              for client, suffix, params, model in calls.values())
        ),
        _currency(state, ws),
    )  # fmt: skip
    answers = dict(zip(names, found, strict=True))
    spend = _value(answers["profile:spend"], SpendTotals) if days is not None else SpendTotals(
        from_=start.date(), to=start.date(), items=[]
    )  # fmt: skip
    referral = _value(answers["referral"], ReferralReport)
    figures = acquisition_figures(
        _value(answers["profile"], NewCustomersReport),
        spend,
        _value(answers["scoring"], PredictedClvReport),
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
        degraded=_failed(answers),
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
    start, end = _period_or_422(since, until)
    state, ws = gateway_context(request), principal.workspace
    params = {**_span(start, end), "period": granularity}
    answer, currency = await asyncio.gather(
        _ask(state.scoring, workspace_path(ws, "/retention"), params, RetentionReport, state.budget_s),
        _currency(state, ws),
    )
    scoring = _value(answer, RetentionReport)
    report = RetentionReportOut(
        period=Period(from_=start, to=end),
        granularity=granularity,
        currency=currency,
        cohorts=retention_rows(scoring) if scoring is not None else None,
        degraded=_failed({"scoring": answer}),
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
    start, end = _period_or_422(since, until)
    if by is not None and segment_id is not None:
        detail = "`by=channel` cannot be combined with `segment_id`"
        raise ProblemError(422, detail, type_="validation", errors=[{"field": "by", "message": detail}])
    state, ws = gateway_context(request), principal.workspace
    params = _span(start, end)
    if segment_id is None:
        name, client, path = "profile", state.profile, workspace_path(ws, "/nps")
        if by is not None:
            params["by"] = by
    else:
        name, client, path = "scoring", state.scoring, workspace_path(ws, f"/segments/{segment(segment_id)}/nps")
    answer, currency = await asyncio.gather(
        _ask(client, path, params, NpsFigures, state.budget_s), _currency(state, ws)
    )
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
        degraded=_failed({name: answer}),
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
    start, end = _period_or_422(since, until)
    state, ws = gateway_context(request), principal.workspace
    path = workspace_path(ws, f"/segments/{segment(segment_id)}/report")
    answer, currency = await asyncio.gather(
        _ask(state.scoring, path, _span(start, end), SegmentReport, state.budget_s), _currency(state, ws)
    )
    if answer.missing:
        raise _unknown_segment(segment_id)
    scoring = _value(answer, SegmentReport)
    if scoring is None:
        raise _scoring_unavailable()
    report = segment_out(scoring, Period(from_=start, to=end), currency)
    return _csv_or(request, f"segment-{segment_id}", SEGMENT_COLUMNS, segment_csv_rows(report), report)
