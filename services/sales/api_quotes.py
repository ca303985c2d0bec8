"""Sales' internal HTTP API: quotes with manager approval, and the workspace's sales settings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import field_validator

from contracts.http.sales import quotes as http
from contracts.http.sales.common import SalesView
from runtime.pagination import BadCursor, decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, problem_responses
from services.sales import deal_store, quote_store, service
from services.sales.api_common import (
    CONFLICT,
    Cursor,
    IdempotencyKey,
    IdPath,
    Limit,
    WorkspacePath,
    new_id,
    not_found,
    now_of,
    pool_of,
    transaction,
)
from services.sales.domain.quotes import QuoteLine, subtotal_problem
from services.sales.domain.workspace import SalesSettings

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["sales"], responses=PROBLEM_RESPONSES)


class QuoteIn(http.QuoteByKey):
    """The gateway's body (contracts/http/sales/quotes.py: the public one and who asks) and what only the service
    checks: the lines add up to what a quote can hold."""

    @field_validator("lines")
    @classmethod
    def _storable_total(cls, lines: list[http.QuoteLineIn]) -> list[http.QuoteLineIn]:
        problem = subtotal_problem(quote_lines(lines))
        if problem:
            raise ValueError(problem)
        return lines


def quote_lines(lines: list[http.QuoteLineIn]) -> list[QuoteLine]:
    return [QuoteLine(sku=line.sku, quantity=line.quantity, unit_price=line.unit_price) for line in lines]


def _as_text(quote: quote_store.Quote | quote_store.QuoteSummary, view: type[SalesView]) -> dict[str, Any]:
    """The view's fields of a stored quote, amounts as cents and percentages as their shortest decimal text."""
    values = {k: getattr(quote, k) for k in view.model_fields}
    for money in ("subtotal", "total"):
        values[money] = f"{values[money]:.2f}"
    for percent in ("discount_percent", "threshold_percent"):
        values[percent] = f"{values[percent].normalize():f}"
    return values


async def quote_out(conn: Any, workspace: str, quote_id: str) -> http.Quote:
    quote = await quote_store.get_quote(conn, workspace, quote_id)
    if quote is None:
        raise not_found("quote", quote_id)
    return http.Quote(**_as_text(quote, http.Quote))


@router.post(
    "/deals/{deal_id}/quotes",
    response_model=http.Quote,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Quote an open deal (a discount above the workspace threshold waits for a manager's approval)",
)
async def create_quote(
    request: Request, workspace: WorkspacePath, deal_id: IdPath, body: QuoteIn, idempotency_key: IdempotencyKey = None
) -> http.Quote:
    quote_id = new_id("q", workspace, idempotency_key)
    async with transaction(request) as work:
        now = now_of(request)
        await service.create_quote(
            work, workspace, quote_id, deal_id, quote_lines(body.lines), body.discount_percent, now,
            body.requested_by, body.requested_key_id,
        )  # fmt: skip
        return await quote_out(work.conn, workspace, quote_id)


def quote_page(rows: list[quote_store.QuoteSummary], limit: int) -> http.QuotePage:
    items = [http.QuoteSummary(**_as_text(r, http.QuoteSummary)) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    cursor = encode_cursor(last.created_at.isoformat(), last.quote_id) if last else None
    return http.QuotePage(items=items, next_cursor=cursor)


def quote_after(cursor: str | None) -> tuple[dt.datetime, str] | None:
    if not cursor:
        return None
    created, quote_id = decode_cursor(cursor, 2)
    try:
        return dt.datetime.fromisoformat(created), quote_id
    except ValueError:
        raise BadCursor() from None


@router.get("/quotes", response_model=http.QuotePage, summary="Quotes, oldest first, of one status or deal")
async def list_quotes(
    request: Request,
    workspace: WorkspacePath,
    limit: Limit = 50,
    cursor: Cursor = None,
    status_: Annotated[http.QuoteStatus | None, Query(alias="status")] = None,
    deal_id: Annotated[str | None, Query(max_length=64)] = None,
) -> http.QuotePage:
    after = quote_after(cursor)
    async with pool_of(request).acquire() as conn:
        rows = await quote_store.list_quotes(conn, workspace, limit, after, status=status_, deal_id=deal_id)
    return quote_page(rows, limit)


@router.get("/quotes/{quote_id}", response_model=http.Quote, summary="One quote")
async def get_quote(request: Request, workspace: WorkspacePath, quote_id: IdPath) -> http.Quote:
    async with pool_of(request).acquire() as conn:
        return await quote_out(conn, workspace, quote_id)


async def _decide(
    request: Request, workspace: str, quote_id: str, decision: Literal["approved", "rejected"], body: http.DecisionByKey
) -> http.Quote:
    async with transaction(request) as work:
        await service.decide_quote(
            work, workspace, quote_id, decision, body.approver, body.approver_key_id, body.comment, now_of(request)
        )
        return await quote_out(work.conn, workspace, quote_id)


DECISION_RESPONSES = problem_responses(403, 409)


@router.post("/quotes/{quote_id}/approve", response_model=http.Quote, responses=DECISION_RESPONSES, summary="Approve")
async def approve_quote(
    request: Request, workspace: WorkspacePath, quote_id: IdPath, body: http.DecisionByKey
) -> http.Quote:
    return await _decide(request, workspace, quote_id, "approved", body)


@router.post("/quotes/{quote_id}/reject", response_model=http.Quote, responses=DECISION_RESPONSES, summary="Reject")
async def reject_quote(
    request: Request, workspace: WorkspacePath, quote_id: IdPath, body: http.DecisionByKey
) -> http.Quote:
    return await _decide(request, workspace, quote_id, "rejected", body)


@router.post(
    "/quotes/{quote_id}/accept",
    response_model=http.Quote,
    responses=CONFLICT,
    summary="The customer accepts the quote: wins the deal (409 while it waits for approval or was rejected)",
)
async def accept_quote(request: Request, workspace: WorkspacePath, quote_id: IdPath) -> http.Quote:
    async with transaction(request) as work:
        await service.accept_quote(work, workspace, quote_id, now_of(request))
        return await quote_out(work.conn, workspace, quote_id)


# --- settings ---------------------------------------------------------------------------------------


def settings_out(settings: SalesSettings) -> http.SalesSettings:
    """The public answer for the settings the service holds (amounts as their decimal text)."""
    return http.SalesSettings.model_validate(settings.model_dump(mode="json"))


@router.get("/sales-settings", response_model=http.SalesSettings, summary="The workspace's sales settings")
async def get_settings(request: Request, workspace: WorkspacePath) -> http.SalesSettings:
    async with pool_of(request).acquire() as conn:
        return settings_out(await deal_store.get_settings(conn, workspace))


@router.put("/sales-settings", response_model=http.SalesSettings, summary="Replace the workspace's sales settings")
async def put_settings(request: Request, workspace: WorkspacePath, body: http.SalesSettingsIn) -> http.SalesSettings:
    settings = SalesSettings.model_validate(body.model_dump())  # what the public body allows, the domain holds
    async with pool_of(request).acquire() as conn:
        await deal_store.put_settings(conn, workspace, settings)
    return settings_out(settings)
