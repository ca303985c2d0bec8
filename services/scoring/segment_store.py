"""Scoring's SQL for dynamic segments: definitions, evaluation of their conditions, and memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from runtime.db import Connection
from services.scoring.domain.segment_sql import compile_membership_query
from services.scoring.domain.segments import parse_condition

Membership = tuple[str, str]  # (segment_id, customer_id)


@dataclass(frozen=True)
class Segment:
    segment_id: str
    name: str
    description: str | None
    condition: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class DuplicateName(ValueError):
    pass


def _segment(row: asyncpg.Record) -> Segment:
    return Segment(
        row["segment_id"], row["name"], row["description"], row["condition"], row["created_at"], row["updated_at"]
    )


async def load_segments(conn: Connection, workspace: str) -> list[Segment]:
    rows = await conn.fetch("SELECT * FROM segments WHERE workspace = $1 ORDER BY segment_id", workspace)
    return [_segment(r) for r in rows]


async def get_segment(conn: Connection, workspace: str, segment_id: str) -> Segment | None:
    row = await conn.fetchrow("SELECT * FROM segments WHERE workspace = $1 AND segment_id = $2", workspace, segment_id)
    return _segment(row) if row else None


async def segments_page(conn: Connection, workspace: str, limit: int, after: str | None) -> list[tuple[Segment, int]]:
    """Segments in id order with their member counts; one more than `limit` when there is a next page."""
    rows = await conn.fetch(
        """SELECT s.*, (SELECT count(*) FROM segment_members m
                         WHERE m.workspace = s.workspace AND m.segment_id = s.segment_id) AS members
             FROM segments s WHERE s.workspace = $1 AND ($2::text IS NULL OR s.segment_id > $2)
            ORDER BY s.segment_id LIMIT $3""",
        workspace,
        after,
        limit + 1,
    )
    return [(_segment(r), r["members"]) for r in rows]


async def member_count(conn: Connection, workspace: str, segment_id: str) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM segment_members WHERE workspace = $1 AND segment_id = $2", workspace, segment_id
    )
    return count


async def save_segment(
    conn: Connection, workspace: str, segment_id: str, name: str, description: str | None, condition: dict[str, Any]
) -> Segment:
    try:
        row = await conn.fetchrow(
            """INSERT INTO segments (workspace, segment_id, name, description, condition) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (workspace, segment_id) DO UPDATE
                  SET name = excluded.name, description = excluded.description, condition = excluded.condition,
                      updated_at = now()
               RETURNING *""",
            workspace,
            segment_id,
            name,
            description,
            condition,
        )
    except asyncpg.UniqueViolationError:
        raise DuplicateName(f"a segment named {name!r} exists already in this workspace") from None
    assert row is not None
    return _segment(row)


async def delete_segment(conn: Connection, workspace: str, segment_id: str) -> list[str] | None:
    """Delete a segment; returns its members (whose membership ends), None when there was no such segment."""
    members = await conn.fetch(
        "SELECT customer_id FROM segment_members WHERE workspace = $1 AND segment_id = $2 ORDER BY customer_id",
        workspace,
        segment_id,
    )
    deleted = await conn.fetchval(
        "DELETE FROM segments WHERE workspace = $1 AND segment_id = $2 RETURNING segment_id", workspace, segment_id
    )
    return [r["customer_id"] for r in members] if deleted else None


async def evaluate(
    conn: Connection,
    workspace: str,
    segments: Sequence[Segment],
    customer_ids: Sequence[str] | None,
    now: dt.datetime,
) -> set[Membership]:
    """Which of these customers (None: all) meet which segment's condition: one query for all segments."""
    sql, extra = compile_membership_query([(s.segment_id, parse_condition(s.condition)) for s in segments])
    rows = await conn.fetch(sql, workspace, None if customer_ids is None else list(customer_ids), now, *extra)
    return {(segment_id, r["customer_id"]) for r in rows for segment_id in r["segment_ids"]}


async def memberships(conn: Connection, workspace: str, customer_ids: Sequence[str] | None) -> set[Membership]:
    rows = await conn.fetch(
        """SELECT segment_id, customer_id FROM segment_members
            WHERE workspace = $1 AND ($2::text[] IS NULL OR customer_id = ANY($2::text[]))""",
        workspace,
        None if customer_ids is None else list(customer_ids),
    )
    return {(r["segment_id"], r["customer_id"]) for r in rows}


async def add_members(conn: Connection, workspace: str, entered: Sequence[Membership], now: dt.datetime) -> None:
    if entered:
        await conn.execute(
            """INSERT INTO segment_members (workspace, segment_id, customer_id, entered_at)
               SELECT $1, s, c, $4 FROM unnest($2::text[], $3::text[]) AS m(s, c) ON CONFLICT DO NOTHING""",
            workspace,
            [s for s, _ in entered],
            [c for _, c in entered],
            now,
        )


async def remove_members(conn: Connection, workspace: str, exited: Sequence[Membership]) -> None:
    if exited:
        await conn.execute(
            """DELETE FROM segment_members m USING unnest($2::text[], $3::text[]) AS x(s, c)
                WHERE m.workspace = $1 AND m.segment_id = x.s AND m.customer_id = x.c""",
            workspace,
            [s for s, _ in exited],
            [c for _, c in exited],
        )


async def members_page(
    conn: Connection, workspace: str, segment_id: str, limit: int, after: str | None
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT customer_id, entered_at FROM segment_members
            WHERE workspace = $1 AND segment_id = $2 AND ($3::text IS NULL OR customer_id > $3)
            ORDER BY customer_id LIMIT $4""",
        workspace,
        segment_id,
        after,
        limit + 1,
    )
