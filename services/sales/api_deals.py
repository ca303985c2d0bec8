"""Sales' internal HTTP API, part one: pipelines and deals (create, change, move, win, lose)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, status
from pydantic import ConfigDict, Field, JsonValue

from contracts.http.sales import deals as http
from contracts.json_document import JsonDocument
from runtime.budgets import bounded_json
from runtime.pagination import decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from runtime.quotas import PIPELINES, QuotaUsage
from services.sales import deal_store, service, task_store
from services.sales.api_common import (
    CONFLICT,
    Cursor,
    IdempotencyKey,
    IdPath,
    Limit,
    WorkspacePath,
    context_of,
    new_id,
    not_found,
    now_of,
    pool_of,
    transaction,
)
from services.sales.domain.moves import blockers
from services.sales.domain.pipeline import BUILT_IN, InvalidPipeline, Pipeline, parse_pipeline

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["sales"], responses=PROBLEM_RESPONSES)

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2, examples=["1200.00"])]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Products = list[Annotated[str, Field(min_length=1, max_length=128)]]
# A deal's custom fields: at most MAX_DEAL_FIELDS, each value at most 4 KB of JSON nested 8 levels deep.
MAX_DEAL_FIELDS = 50
FieldName = Annotated[str, Field(min_length=1, max_length=64)]
FieldValue = Annotated[JsonValue, bounded_json(max_bytes=4096, max_depth=8)]


class _In(JsonDocument):
    model_config = ConfigDict(extra="forbid")


# --- pipelines --------------------------------------------------------------------------------------


async def pipeline_or_404(conn: Any, workspace: str, pipeline_id: str) -> Pipeline:
    pipeline = await deal_store.get_pipeline(conn, workspace, pipeline_id)
    if pipeline is None:
        raise not_found("pipeline", pipeline_id)
    return pipeline


@router.get("/pipelines", response_model=http.PipelineList, summary="The workspace's pipelines (built-ins included)")
async def list_pipelines(request: Request, workspace: WorkspacePath) -> http.PipelineList:
    async with pool_of(request).acquire() as conn:
        found = await deal_store.list_pipelines(conn, workspace)
    return http.PipelineList(
        items=[http.Pipeline(pipeline_id=i, built_in=b, document=p.model_dump()) for i, p, b in found]
    )


@router.get("/pipelines/{pipeline_id}", response_model=http.Pipeline, summary="One pipeline")
async def get_pipeline(request: Request, workspace: WorkspacePath, pipeline_id: IdPath) -> http.Pipeline:
    async with pool_of(request).acquire() as conn:
        pipeline = await pipeline_or_404(conn, workspace, pipeline_id)
        stored = await deal_store.pipeline_is_stored(conn, workspace, pipeline_id)
    return http.Pipeline(pipeline_id=pipeline_id, built_in=not stored, document=pipeline.model_dump())


def _pipelines_quota(request: Request) -> int:
    return PIPELINES.limit_in(context_of(request).settings)


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    async with pool_of(request).acquire() as conn:
        used = await deal_store.count_pipelines(conn, workspace)
    return [PIPELINES.usage(_pipelines_quota(request), used)]


@router.put(
    "/pipelines/{pipeline_id}",
    response_model=http.Pipeline,
    responses=CONFLICT,
    summary="Create or replace a pipeline (under a built-in's id it replaces the built-in in this workspace; a new "
    "one beyond the quota `pipelines`, which counts the built-ins, is a 409)",
)
async def put_pipeline(
    request: Request,
    workspace: WorkspacePath,
    pipeline_id: Annotated[http.Identifier, IdPath],
    document: Annotated[dict[str, JsonValue], Body(examples=[BUILT_IN["reactivation"].model_dump(mode="json")])],
) -> http.Pipeline:
    try:
        pipeline = parse_pipeline(document)
    except InvalidPipeline as exc:
        raise ProblemError(422, f"invalid pipeline: {len(exc.errors)} problem(s)", errors=exc.errors) from None
    async with pool_of(request).acquire() as conn:
        await deal_store.put_pipeline(conn, workspace, pipeline_id, pipeline, _pipelines_quota(request))
    return http.Pipeline(pipeline_id=pipeline_id, built_in=False, document=pipeline.model_dump())


# --- deals ------------------------------------------------------------------------------------------


class DealIn(http.DealIn):
    """The public body (contracts/http/sales/deals.py) and what only the service checks: each custom field's value
    within its JSON budget."""

    fields: dict[FieldName, FieldValue] = Field(
        default_factory=dict,
        max_length=MAX_DEAL_FIELDS,
        description="Custom fields stages may require (at most 50; each value at most 4 KB of JSON).",
    )


class DealPatch(http.DealPatch):
    """The public body (contracts/http/sales/deals.py) and what only the service checks: each custom field's value
    within its JSON budget."""

    fields: dict[FieldName, FieldValue] | None = Field(
        None,
        max_length=MAX_DEAL_FIELDS,
        description="Merged into the deal's fields; null removes one (the deal keeps at most 50).",
    )


def summary(deal: deal_store.Deal) -> http.DealSummary:
    return http.DealSummary(
        deal_id=deal.deal_id,
        pipeline_id=deal.pipeline_id,
        title=deal.title,
        stage=deal.stage,
        status=deal.status,
        amount=f"{deal.amount:.2f}",
        currency=deal.currency,
        owner=deal.owner,
        customer_id=deal.customer_id,
        created_at=deal.created_at,
        updated_at=deal.updated_at,
    )


async def deal_out(conn: Any, workspace: str, deal_id: str) -> http.Deal:
    deal = await deal_store.get_deal(conn, workspace, deal_id)
    if deal is None:
        raise not_found("deal", deal_id)
    history = await deal_store.stage_history(conn, workspace, deal_id)
    pipeline = await deal_store.get_pipeline(conn, workspace, deal.pipeline_id)
    open_required = await task_store.open_required_items(conn, workspace, deal_id, deal.stage_seq)
    held = blockers(pipeline, deal.stage, open_required, deal.fields) if pipeline and deal.status == "open" else []
    return http.Deal(
        **summary(deal).model_dump(),
        products=list(deal.products),
        fields=deal.fields,
        close_reason=deal.close_reason,
        closed_at=deal.closed_at,
        blockers=held,
        stage_history=[http.StageEntry.model_validate(entry, from_attributes=True) for entry in history],
    )


def deal_page(rows: list[deal_store.Deal], limit: int) -> http.DealPage:
    items = [summary(r) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    cursor = encode_cursor(last.created_at.isoformat(), last.deal_id) if last else None
    return http.DealPage(items=items, next_cursor=cursor)


def deal_after(cursor: str | None) -> tuple[dt.datetime, str] | None:
    if not cursor:
        return None
    created, deal_id = decode_cursor(cursor, 2)
    try:
        return dt.datetime.fromisoformat(created), deal_id
    except ValueError:
        raise ProblemError(422, "cursor is not one this API returned") from None


@router.post("/deals", response_model=http.Deal, status_code=status.HTTP_201_CREATED, summary="Create a deal")
async def create_deal(
    request: Request, workspace: WorkspacePath, body: DealIn, idempotency_key: IdempotencyKey = None
) -> http.Deal:
    deal_id = new_id("d", workspace, idempotency_key)
    async with transaction(request) as work:
        conn = work.conn
        pipeline = await pipeline_or_404(conn, workspace, body.pipeline_id)
        stage = body.stage or pipeline.first_stage.id
        if pipeline.position(stage) is None:
            raise ProblemError(422, f"stage {stage!r} is not in pipeline {body.pipeline_id!r}")
        owner = body.owner or (await task_store.owners_of(conn, workspace, [body.customer_id])).get(body.customer_id)
        deal = {**body.model_dump(), "deal_id": deal_id, "stage": stage, "owner": owner}
        await service.create_deal(work, workspace, pipeline, deal, now_of(request))
        return await deal_out(conn, workspace, deal_id)


@router.get("/deals", response_model=http.DealPage, summary="Deals, oldest first, filtered")
async def list_deals(
    request: Request,
    workspace: WorkspacePath,
    limit: Limit = 50,
    cursor: Cursor = None,
    pipeline_id: Annotated[str | None, Query(max_length=64)] = None,
    owner: Annotated[str | None, Query(max_length=100)] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    status_: Annotated[Literal["open", "won", "lost"] | None, Query(alias="status")] = None,
) -> http.DealPage:
    async with pool_of(request).acquire() as conn:
        rows = await deal_store.list_deals(
            conn,
            workspace,
            limit,
            deal_after(cursor),
            customer_id=customer_id,
            pipeline_id=pipeline_id,
            owner=owner,
            status=status_,
        )
    return deal_page(rows, limit)


@router.get("/customers/{customer_id}/deals", response_model=http.DealPage, summary="A customer's deals, oldest first")
async def customer_deals(
    request: Request, workspace: WorkspacePath, customer_id: IdPath, limit: Limit = 50, cursor: Cursor = None
) -> http.DealPage:
    async with pool_of(request).acquire() as conn:
        rows = await deal_store.list_deals(conn, workspace, limit, deal_after(cursor), customer_id=customer_id)
    return deal_page(rows, limit)


@router.get("/deals/{deal_id}", response_model=http.Deal, summary="A deal with its stage history")
async def get_deal(request: Request, workspace: WorkspacePath, deal_id: IdPath) -> http.Deal:
    async with pool_of(request).acquire() as conn:
        return await deal_out(conn, workspace, deal_id)


@router.patch("/deals/{deal_id}", response_model=http.Deal, summary="Change a deal's owner, amount, products, fields")
async def patch_deal(request: Request, workspace: WorkspacePath, deal_id: IdPath, body: DealPatch) -> http.Deal:
    async with transaction(request) as work:
        conn = work.conn
        deal = await service.locked_deal(conn, workspace, deal_id)
        if body.fields:
            merged = {**deal.fields, **body.fields}
            if sum(value is not None for value in merged.values()) > MAX_DEAL_FIELDS:
                message = f"the deal would hold more than {MAX_DEAL_FIELDS} fields; remove some (null) first"
                raise ProblemError(422, message, errors=[{"field": "body.fields", "message": message}])
        await deal_store.update_deal(conn, workspace, deal_id, body.model_dump(exclude_unset=True), now_of(request))
        return await deal_out(conn, workspace, deal_id)


@router.post(
    "/deals/{deal_id}/move",
    response_model=http.Deal,
    responses=CONFLICT,
    summary="Move a deal to a stage (409 with the blockers when the current stage is not done)",
)
async def move_deal(request: Request, workspace: WorkspacePath, deal_id: IdPath, body: http.MoveIn) -> http.Deal:
    async with transaction(request) as work:
        conn = work.conn
        row = await service.locked_deal(conn, workspace, deal_id)
        pipeline = await pipeline_or_404(conn, workspace, row.pipeline_id)
        await service.move_deal(work, workspace, pipeline, deal_id, body.stage, body.override_reason, now_of(request))
        return await deal_out(conn, workspace, deal_id)


@router.post("/deals/{deal_id}/won", response_model=http.Deal, responses=CONFLICT, summary="Mark a deal won")
async def win_deal(request: Request, workspace: WorkspacePath, deal_id: IdPath, body: http.CloseIn) -> http.Deal:
    async with transaction(request) as work:
        conn = work.conn
        await service.close_deal(work, workspace, deal_id, "won", body.reason, now_of(request))
        return await deal_out(conn, workspace, deal_id)


@router.post("/deals/{deal_id}/lost", response_model=http.Deal, responses=CONFLICT, summary="Mark a deal lost")
async def lose_deal(request: Request, workspace: WorkspacePath, deal_id: IdPath, body: http.CloseIn) -> http.Deal:
    if not (body.reason or "").strip():
        raise ProblemError(422, "a lost deal needs a reason", errors=[{"field": "reason", "message": "required"}])
    async with transaction(request) as work:
        conn = work.conn
        await service.close_deal(work, workspace, deal_id, "lost", body.reason, now_of(request))
        return await deal_out(conn, workspace, deal_id)
