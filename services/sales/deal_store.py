"""Pipelines, deals with their stage history and workspace settings: SQL (quotes: quote_store)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import asyncpg

from runtime import quotas
from runtime.db import Connection
from services.sales.domain.pipeline import BUILT_IN, Pipeline, parse_pipeline
from services.sales.domain.workspace import SalesSettings

DEAL_COLUMNS = (
    "deal_id, pipeline_id, title, customer_id, amount, currency, products, owner, fields, stage, stage_seq, "
    "status, close_reason, created_at, updated_at, closed_at"
)


@dataclass(frozen=True)
class Deal:
    deal_id: str
    pipeline_id: str
    title: str
    customer_id: str | None  # None once the customer was erased
    amount: Decimal
    currency: str
    products: list[str]
    owner: str | None
    fields: dict[str, Any]
    stage: str
    stage_seq: int  # the current stage entry (StageEntry.seq)
    status: Literal["open", "won", "lost"]
    close_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class StageEntry:
    """A deal's stay in a stage, and the override (if any) that let it leave."""

    seq: int
    stage: str
    entered_at: dt.datetime
    left_at: dt.datetime | None
    override_reason: str | None
    overridden: list[str] | None


def _deal(row: asyncpg.Record | None) -> Deal | None:
    return Deal(**row) if row else None


# --- pipelines and settings -------------------------------------------------------------------------


async def get_pipeline(conn: Connection, workspace: str, pipeline_id: str) -> Pipeline | None:
    """The workspace's document under that id, else the built-in of that id, else None."""
    document = await conn.fetchval(
        "SELECT document FROM pipelines WHERE workspace = $1 AND pipeline_id = $2", workspace, pipeline_id
    )
    if document is not None:
        return parse_pipeline(document)
    return BUILT_IN.get(pipeline_id)


async def list_pipelines(conn: Connection, workspace: str) -> list[tuple[str, Pipeline, bool]]:
    """(id, pipeline, built_in) for the built-ins and the workspace's own, by id."""
    rows = await conn.fetch("SELECT pipeline_id, document FROM pipelines WHERE workspace = $1", workspace)
    stored = {r["pipeline_id"]: parse_pipeline(r["document"]) for r in rows}
    found = {pid: (pipeline, True) for pid, pipeline in BUILT_IN.items()}
    found |= {pid: (pipeline, False) for pid, pipeline in stored.items()}
    return [(pid, pipeline, built_in) for pid, (pipeline, built_in) in sorted(found.items())]


# The workspace's pipelines: those it stored and the built-ins (a built-in it replaced counts once).
_COUNT_PIPELINES = """SELECT count(*) FROM (SELECT pipeline_id FROM pipelines WHERE workspace = $1
                                           UNION SELECT unnest($2::text[])) AS held"""


async def count_pipelines(conn: Connection, workspace: str) -> int:
    count: int = await conn.fetchval(_COUNT_PIPELINES, workspace, list(BUILT_IN))
    return count


async def put_pipeline(conn: Connection, workspace: str, pipeline_id: str, pipeline: Pipeline, quota: int) -> None:
    """Create or replace a pipeline. A new id (neither stored nor built-in) must fit the workspace's quota
    `pipelines` (QuotaExceeded, a 409, when it does not); replacing one never counts again."""
    async with conn.transaction():
        await quotas.PIPELINES.lock(conn, workspace)
        stored = await conn.fetchval(
            "SELECT true FROM pipelines WHERE workspace = $1 AND pipeline_id = $2", workspace, pipeline_id
        )
        if not stored and pipeline_id not in BUILT_IN:
            await quotas.PIPELINES.enforce(conn, workspace, quota, _COUNT_PIPELINES, list(BUILT_IN))
        await _upsert_pipeline(conn, workspace, pipeline_id, pipeline)


async def _upsert_pipeline(conn: Connection, workspace: str, pipeline_id: str, pipeline: Pipeline) -> None:
    await conn.execute(
        """INSERT INTO pipelines (workspace, pipeline_id, name, document) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace, pipeline_id) DO UPDATE SET name = excluded.name, document = excluded.document,
               updated_at = now()""",
        workspace,
        pipeline_id,
        pipeline.name,
        pipeline.model_dump(mode="json"),
    )


async def get_settings(conn: Connection, workspace: str) -> SalesSettings:
    stored = await conn.fetchval("SELECT settings FROM sales_settings WHERE workspace = $1", workspace)
    return SalesSettings.model_validate(stored) if stored is not None else SalesSettings()


async def put_settings(conn: Connection, workspace: str, settings: SalesSettings) -> None:
    await conn.execute(
        """INSERT INTO sales_settings (workspace, settings) VALUES ($1, $2)
           ON CONFLICT (workspace) DO UPDATE SET settings = excluded.settings""",
        workspace,
        settings.model_dump(mode="json"),
    )


# --- deals ------------------------------------------------------------------------------------------


async def insert_deal(conn: Connection, workspace: str, deal: dict[str, Any], now: dt.datetime) -> bool:
    """Insert a deal and its first stage entry; False when a deal of that id exists (a repeated create)."""
    inserted = await conn.fetchval(
        """INSERT INTO deals (workspace, deal_id, pipeline_id, title, customer_id, amount, currency, products, owner,
                              fields, stage, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
           ON CONFLICT (workspace, deal_id) DO NOTHING RETURNING true""",
        workspace,
        deal["deal_id"],
        deal["pipeline_id"],
        deal["title"],
        deal["customer_id"],
        deal["amount"],
        deal["currency"],
        deal["products"],
        deal["owner"],
        deal["fields"],
        deal["stage"],
        now,
    )
    if not inserted:
        return False
    await conn.execute(
        "INSERT INTO deal_stage_history (workspace, deal_id, seq, stage, entered_at) VALUES ($1, $2, 0, $3, $4)",
        workspace,
        deal["deal_id"],
        deal["stage"],
        now,
    )
    return True


async def get_deal(conn: Connection, workspace: str, deal_id: str, lock: bool = False) -> Deal | None:
    row = await conn.fetchrow(
        f"SELECT {DEAL_COLUMNS} FROM deals WHERE workspace = $1 AND deal_id = $2" + (" FOR UPDATE" if lock else ""),  # noqa: S608
        workspace,
        deal_id,
    )
    return _deal(row)


async def stage_history(conn: Connection, workspace: str, deal_id: str) -> list[StageEntry]:
    rows = await conn.fetch(
        """SELECT seq, stage, entered_at, left_at, override_reason, overridden FROM deal_stage_history
            WHERE workspace = $1 AND deal_id = $2 ORDER BY seq""",
        workspace,
        deal_id,
    )
    return [StageEntry(**row) for row in rows]


async def pipeline_is_stored(conn: Connection, workspace: str, pipeline_id: str) -> bool:
    """Whether the workspace stored this pipeline (False: a built-in one)."""
    stored = await conn.fetchval(
        "SELECT true FROM pipelines WHERE workspace = $1 AND pipeline_id = $2", workspace, pipeline_id
    )
    return bool(stored)


async def list_deals(
    conn: Connection,
    workspace: str,
    limit: int,
    after: tuple[dt.datetime, str] | None,
    *,
    customer_id: str | None = None,
    pipeline_id: str | None = None,
    owner: str | None = None,
    status: str | None = None,
) -> list[Deal]:
    rows = await conn.fetch(
        f"""SELECT {DEAL_COLUMNS} FROM deals
             WHERE workspace = $1
               AND ($2::text IS NULL OR customer_id = $2) AND ($3::text IS NULL OR pipeline_id = $3)
               AND ($4::text IS NULL OR owner = $4) AND ($5::text IS NULL OR status = $5)
               AND ($6::timestamptz IS NULL OR (created_at, deal_id) > ($6, $7::text))
             ORDER BY created_at, deal_id LIMIT $8""",  # noqa: S608 (constants)
        workspace,
        customer_id,
        pipeline_id,
        owner,
        status,
        after[0] if after else None,
        after[1] if after else None,
        limit + 1,
    )
    return [Deal(**row) for row in rows]


async def update_deal(
    conn: Connection, workspace: str, deal_id: str, changes: dict[str, Any], now: dt.datetime
) -> None:
    """Set some of owner, title, amount, currency, products and fields (fields are merged, null removes)."""
    await conn.execute(
        """UPDATE deals SET owner = CASE WHEN $3 THEN $4 ELSE owner END,
                            title = coalesce($5, title), amount = coalesce($6, amount),
                            currency = coalesce($7, currency), products = coalesce($8, products),
                            fields = jsonb_strip_nulls(fields || coalesce($9::jsonb, '{}')), updated_at = $10
            WHERE workspace = $1 AND deal_id = $2""",
        workspace,
        deal_id,
        "owner" in changes,
        changes.get("owner"),
        changes.get("title"),
        changes.get("amount"),
        changes.get("currency"),
        changes.get("products"),
        changes.get("fields"),
        now,
    )


async def enter_stage(
    conn: Connection,
    workspace: str,
    deal_id: str,
    stage: str,
    seq: int,
    now: dt.datetime,
    override_reason: str | None,
    overridden: Sequence[str],
) -> None:
    """Close the current stage entry (recording any override that let the deal out) and open the next."""
    await conn.execute(
        """UPDATE deal_stage_history SET left_at = $4, override_reason = $5, overridden = $6
            WHERE workspace = $1 AND deal_id = $2 AND seq = $3""",
        workspace,
        deal_id,
        seq - 1,
        now,
        override_reason,
        list(overridden),
    )
    await conn.execute(
        "INSERT INTO deal_stage_history (workspace, deal_id, seq, stage, entered_at) VALUES ($1, $2, $3, $4, $5)",
        workspace,
        deal_id,
        seq,
        stage,
        now,
    )
    await conn.execute(
        "UPDATE deals SET stage = $3, stage_seq = $4, updated_at = $5 WHERE workspace = $1 AND deal_id = $2",
        workspace,
        deal_id,
        stage,
        seq,
        now,
    )


async def close_deal(
    conn: Connection, workspace: str, deal_id: str, outcome: str, reason: str | None, now: dt.datetime
) -> Deal:
    await conn.execute(
        """UPDATE deal_stage_history SET left_at = $3
            WHERE workspace = $1 AND deal_id = $2 AND left_at IS NULL""",
        workspace,
        deal_id,
        now,
    )
    row = await conn.fetchrow(
        f"""UPDATE deals SET status = $3, close_reason = $4, closed_at = $5, updated_at = $5
             WHERE workspace = $1 AND deal_id = $2 RETURNING {DEAL_COLUMNS}""",  # noqa: S608 (constants)
        workspace,
        deal_id,
        outcome,
        reason,
        now,
    )
    assert row is not None
    return Deal(**row)
