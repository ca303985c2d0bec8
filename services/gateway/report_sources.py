"""Where the reports' numbers come from: the services' internal report answers, asked concurrently within the
gateway's per-call budget, the workspace's report currency, and the period every report is asked about.

A service that is down, slow, answers out of contract or holds no report (404: an older service without the
endpoint) gives no answer: the figures computed from it are null and it is named in the report's `degraded`; the
report itself still answers 200 (except where a report is all one service's: see the segment report).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, ValidationError

from contracts.http.profile import SpendTotals
from contracts.http.types import TIME_DESCRIPTION, RequestTime
from runtime.problems import ProblemError
from services.gateway import target_store
from services.gateway.deps import GatewayContext, require
from services.gateway.domain import CUSTOMERS_READ, Principal
from services.gateway.report_figures import report_periods, spend_days
from services.gateway.service_client import ServiceClient

log = logging.getLogger(__name__)

Span = tuple[dt.datetime, dt.datetime]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]  # who may read the reports


# --- the period -------------------------------------------------------------------------------------


def since_query(example: str = "2026-05-01T00:00:00Z") -> Any:
    """Every report's `from` parameter (`Since`; a report may show another example)."""
    return Query(
        alias="from",
        description=f"Start, inclusive (default: 30 days before `to`): {TIME_DESCRIPTION}",
        examples=[example],
    )


def until_query(example: str = "2026-06-01T00:00:00Z") -> Any:
    """Every report's `to` parameter (`Until`; a report may show another example)."""
    return Query(alias="to", description=f"End, exclusive (default: now): {TIME_DESCRIPTION}", examples=[example])


Since = Annotated[RequestTime | None, since_query()]
Until = Annotated[RequestTime | None, until_query()]


def invalid_query(message: str, field: str = "from") -> ProblemError:
    """The 422 for a report query that cannot be answered (a period that cannot be reported on, by default)."""
    return ProblemError(422, message, type_="validation", errors=[{"field": field, "message": message}])


def periods_or_422(
    since: dt.datetime | None, until: dt.datetime | None, now: dt.datetime | None = None
) -> tuple[Span, Span]:
    """`report_periods` (the period and the one of the same length before it; `now` by default the wall clock's),
    a bad period answered 422."""
    try:
        return report_periods(since, until, now or dt.datetime.now(dt.UTC))
    except ValueError as exc:
        raise invalid_query(str(exc)) from None


def period_params(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """A service's report query for [start, end)."""
    return {"from": start.isoformat(), "to": end.isoformat()}


def spend_params(start: dt.datetime, end: dt.datetime) -> dict[str, Any] | None:
    """profile's marketing spend query for the days the period counts (`spend_days`); None when it counts none."""
    days = spend_days(start, end)
    return None if days is None else {"from": days[0].isoformat(), "to": days[1].isoformat()}


def no_spend(start: dt.datetime) -> SpendTotals:
    """The spend of a period that counts no whole day: none (not asked for)."""
    day = start.astimezone(dt.UTC).date()
    return SpendTotals(from_=day, to=day, items=[])


# --- asking -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A service's answer (None when it failed or held nothing), whether it failed, and whether it answered 404."""

    value: Any
    failed: bool = False
    missing: bool = False

    @property
    def degrades(self) -> bool:
        """Whether the report names the service in `degraded`: it failed or held no report."""
        return self.failed or self.missing


async def ask(
    client: ServiceClient, path: str, params: dict[str, Any] | None, model: type[BaseModel], budget_s: float
) -> Answer:
    """The service's answer at `path` as `model`, within the budget."""
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


def degraded(answers: Mapping[str, Answer]) -> list[str]:
    """The services (the answers' names) whose answer degrades the report."""
    return sorted(name for name, answer in answers.items() if answer.degrades)


@dataclass(frozen=True)
class Call:
    """One answer a report asks for: its name, the service answering (named in `degraded`), the period it is for
    (0: the report's, 1: the previous one), and where."""

    name: str
    service: str
    period: int
    client: ServiceClient
    path: str
    params: dict[str, Any] | None
    model: type[BaseModel]


async def ask_periods(calls: Sequence[Call], budget_s: float) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Every call, concurrently: (the answers of the report's period by name, those of the previous period, the
    degraded services). An answer that failed in either period is None in both (half a comparison would
    mislead)."""
    answers = await asyncio.gather(*(ask(c.client, c.path, c.params, c.model, budget_s) for c in calls))
    found: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    failed: dict[str, str] = {}
    for call, answer in zip(calls, answers, strict=True):
        if answer.degrades:
            failed[call.name] = call.service
        found[call.period][call.name] = answer.value
    for name in failed:
        found[0][name] = found[1][name] = None
    return found[0], found[1], sorted(set(failed.values()))


async def report_currency(state: GatewayContext, workspace: str) -> str | None:
    """The workspace's report currency (PUT /v1/report-settings), None when it has not set one."""
    return await target_store.report_currency(state.runtime.pool, workspace)
