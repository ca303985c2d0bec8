"""Each service's part of the data-subject export: what it holds on one customer, as named sections read in key
order, a page at a time (keyset cursors), by one internal route every service mounts the same way:

    GET /internal/v1/workspaces/{workspace}/customers/{customer_id}/export/{section}?limit=&cursor=
    -> {"items": [...rows...], "next_cursor": "..." | null}

The gateway assembles the document from these (services/gateway/customer_export.py; the sections each service
answers are listed in contracts/export.py). A customer a service holds nothing on has empty sections, not a 404:
whether the customer exists is profile's to say. No page holds more than `limit` rows in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field, JsonValue

from contracts.envelope import WORKSPACE_PATTERN
from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, ProblemError

MAX_PAGE = 500


@dataclass(frozen=True)
class Section:
    """One kind of row held on a customer: what is selected, from where, the condition naming the customer
    ($1 the workspace, $2 the customer id), and the key it is read in order of (each part an output column of
    `columns`, with its SQL type; an index should serve `where` and that order)."""

    columns: str
    source: str
    key: tuple[str, ...]
    key_types: tuple[str, ...]
    where: str = "workspace = $1 AND customer_id = $2"
    key_expressions: tuple[str, ...] = ()  # the key as the query names it, when it differs from its output name

    def select(self, after: bool) -> str:
        """Rows of customer $2 of workspace $1 in key order; with `after`, those past the key in $3, $4..."""
        order = ", ".join(self.key_expressions or self.key)
        condition = ""
        if after:
            values = ", ".join(f"${i + 3}::{t}" for i, t in enumerate(self.key_types))
            condition = f"AND ({order}) > ({values})"
        return f"SELECT {self.columns} FROM {self.source} WHERE {self.where} {condition} ORDER BY {order}"  # noqa: S608


def _key_values(section: Section, cursor: str) -> list[Any]:
    values = decode_cursor(cursor, len(section.key))
    parse: dict[str, Callable[[str], Any]] = {
        "timestamptz": dt.datetime.fromisoformat,
        "date": dt.date.fromisoformat,
        "integer": int,
    }
    try:
        return [parse.get(t, str)(v) for v, t in zip(values, section.key_types, strict=True)]
    except ValueError:
        raise BadCursor() from None


def _cursor_of(section: Section, row: Mapping[str, Any]) -> str:
    return encode_cursor(*(v.isoformat() if isinstance(v, dt.date) else str(v) for v in (row[k] for k in section.key)))


async def page(
    conn: Connection, section: Section, workspace: str, customer_id: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a section: its rows and the cursor of the next page (None on the last)."""
    after = _key_values(section, cursor) if cursor else []
    rows = await conn.fetch(f"{section.select(bool(after))} LIMIT {int(limit) + 1}", workspace, customer_id, *after)
    items = [dict(r) for r in rows[:limit]]
    return items, _cursor_of(section, items[-1]) if len(rows) > limit else None


async def every_row(
    conn: Connection, section: Section, workspace: str, customer_id: str, prefetch: int = MAX_PAGE
) -> AsyncIterator[dict[str, Any]]:
    """Every row of a section, fetched `prefetch` at a time (call inside a transaction)."""
    async for row in conn.cursor(section.select(False), workspace, customer_id, prefetch=prefetch):
        yield dict(row)


class ExportPage(BaseModel):
    items: list[dict[str, JsonValue]] = Field(description="The section's rows, in key order.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


def export_router(service: str, sections: Mapping[str, Section]) -> APIRouter:
    """The service's export route over `sections` (the app's runtime pool must be `app.state.runtime.pool`)."""
    router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=[service], responses=PROBLEM_RESPONSES)
    names = ", ".join(sections)

    @router.get(
        "/customers/{customer_id}/export/{section}",
        response_model=ExportPage,
        summary=f"One section of what {service} holds on the customer ({names}), a page at a time in key order",
    )
    async def export_section(
        request: Request,
        workspace: Annotated[str, Path(pattern=WORKSPACE_PATTERN)],
        customer_id: Annotated[str, Path(min_length=1, max_length=64)],
        section: Annotated[str, Path(max_length=64)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> dict[str, Any]:
        if section not in sections:
            raise ProblemError(404, f"{service} has no export section {section[:64]!r} (it has: {names})")
        pool: asyncpg.Pool = request.app.state.runtime.pool
        async with pool.acquire() as conn:
            items, next_cursor = await page(conn, sections[section], workspace, customer_id, limit, cursor)
        return {"items": jsonable_encoder(items), "next_cursor": next_cursor}

    return router
