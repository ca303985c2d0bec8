"""Profile's data-subject export (internal HTTP API): the whole document streamed, or one section in pages.

Neither holds a customer's whole timeline in memory: the document is written as its rows arrive from a
server-side cursor (in one repeatable-read transaction, so its parts agree), and a section's pages are read
by keyset in the order of its index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import orjson
from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import StreamingResponse

from contracts.http.profile import CustomerView
from runtime.export_sections import ExportPage
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from services.profile import export_store, store, view_store
from services.profile.api_common import Cursor, CustomerPath, Limit, WorkspacePath, context_of
from services.profile.export_store import SECTIONS, SectionName

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["profile"], responses=PROBLEM_RESPONSES)

CHUNK_BYTES = 64 * 1024  # what the streamed document gathers before sending it on


def _pool(request: Request) -> asyncpg.Pool:
    return context_of(request).pool


def _not_found(customer_id: str) -> ProblemError:
    return ProblemError(404, f"no customer {customer_id!r} in this workspace")


def _json(value: Any) -> bytes:
    # jsonable_encoder: the same encoding (times, decimals) FastAPI gives the rest of the API.
    return orjson.dumps(jsonable_encoder(value))


@router.get(
    "/customers/{customer_id}/export",
    summary="Everything held on the customer (data-subject access), streamed",
    response_description="`customer` (the profile view), `timeline`, `orders`, `refunds`, `tickets`, "
    "`survey_answers` (each in key order) and `exported_at`",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def export_customer(request: Request, workspace: WorkspacePath, customer_id: CustomerPath) -> StreamingResponse:
    pool = _pool(request)
    async with pool.acquire() as conn:
        view = await view_store.customer_view(conn, workspace, customer_id)
    if view is None:
        raise _not_found(customer_id)
    return StreamingResponse(_document(pool, workspace, view), media_type="application/json")


async def _document(pool: asyncpg.Pool, workspace: str, view: CustomerView) -> AsyncIterator[bytes]:
    buffer = bytearray(b'{"customer":' + _json(view))
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        for name in SECTIONS:
            buffer += b',"' + name.encode() + b'":['
            separator = b""
            async for row in export_store.every_row(conn, workspace, view.customer_id, name):
                buffer += separator + _json(row)
                separator = b","
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
            buffer += b"]"
    buffer += b',"exported_at":' + _json(dt.datetime.now(dt.UTC)) + b"}"
    yield bytes(buffer)


@router.get(
    "/customers/{customer_id}/export/{section}",
    response_model=ExportPage,
    summary="One section of the customer's export (timeline, orders, refunds, tickets, survey answers), a page at a "
    "time in key order",
)
async def export_section(
    request: Request,
    workspace: WorkspacePath,
    customer_id: CustomerPath,
    section: SectionName,
    limit: Limit = 500,
    cursor: Cursor = None,
) -> dict[str, Any]:
    async with _pool(request).acquire() as conn:
        live = await store.resolve_id(conn, workspace, customer_id)
        if live is None:
            raise _not_found(customer_id)
        items, next_cursor = await export_store.page(conn, workspace, live, section, limit, cursor)
    return {"items": jsonable_encoder(items), "next_cursor": next_cursor}
