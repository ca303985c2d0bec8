"""What the services' unmerge tests share: profile's merge and undo events, and a service's rows of one
workspace, field by field (every column of every table a fold touches, as PostgreSQL gives them), to compare
the state before a merge with the state after the merge and its undo."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg
import orjson

from runtime.merge_undo import FoldedTable


def merged(ws: str, survivor: str, merged_id: str, merge_id: str, time: dt.datetime) -> dict[str, Any]:
    data = {"survivor_id": survivor, "merged_id": merged_id, "reason": "same phone", "merge_id": merge_id}
    return profile_event(ws, "profile.merged", data, time)


def unmerged(
    ws: str, survivor: str, restored: str, merge_id: str, time: dt.datetime, event_ids: Iterable[str] = ()
) -> dict[str, Any]:
    data = {
        "merge_id": merge_id,
        "survivor_id": survivor,
        "restored_id": restored,
        "restored_event_ids": list(event_ids),
        "reason": "a shared tablet joined them",
    }
    return profile_event(ws, "profile.unmerged", data, time)


def profile_event(ws: str, event_type: str, data: dict[str, Any], time: dt.datetime) -> dict[str, Any]:
    """A merge, an undo or an erasure as profile publishes it on `flywheel.profile.lifecycle`."""
    return {
        "specversion": "1.0",
        "id": f"{event_type}-{uuid.uuid4()}",
        "source": "flywheel.profile",
        "type": event_type,
        "time": time.isoformat(),
        "workspace": ws,
        "data": data,
    }


MARKER = ("zed", "yan")  # a merge the tests send behind what they check: once applied, what came before was too


def marker(ws: str, time: dt.datetime) -> dict[str, Any]:
    return merged(ws, *MARKER, "m_probe", time)


async def rows_of(dsn: str, ws: str, tables: Sequence[FoldedTable], ignore: Iterable[str] = ()) -> dict[str, Any]:
    """Every row of the workspace in these tables (and its merge redirects), as JSON, in a stable order, but
    the marker merge's; `ignore`: columns left out (`table.column`)."""
    left_out = set(ignore)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):  # one snapshot of every table
            return await _rows(conn, ws, tables, left_out)
    finally:
        await conn.close()


async def _rows(conn: asyncpg.Connection, ws: str, tables: Sequence[FoldedTable], left_out: set[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for table in (*tables, FoldedTable("flywheel_merged_customers", ("merged_id", "survivor_id"))):
        texts = await conn.fetch(
            f"SELECT to_jsonb(t)::text AS row FROM {table.name} AS t WHERE t.workspace = $1",  # noqa: S608 (test)
            ws,
        )
        rows = [orjson.loads(r["row"]) for r in texts]
        rows = [r for r in rows if not any(r.get(c) in MARKER for c in table.customer_columns)]
        for row in rows:
            for column in [c for c in row if f"{table.name}.{c}" in left_out]:
                del row[column]
        found[table.name] = sorted(rows, key=lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS))
    return found


async def has_snapshot(dsn: str, ws: str, merge_id: str) -> bool:
    """Whether the service took the snapshot of this merge (the marker's: it applied what was sent before)."""
    conn = await asyncpg.connect(dsn)
    try:
        found = await conn.fetchval(
            "SELECT 1 FROM flywheel_merge_snapshots WHERE workspace = $1 AND merge_id = $2", ws, merge_id
        )
    finally:
        await conn.close()
    return bool(found == 1)
