"""Scoring's SQL for dynamic segments: definitions, evaluation of their conditions, and memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg

from runtime.db import Connection

Membership = tuple[str, str]  # (segment_id, customer_id)
SegmentStatus = Literal["active", "failing"]

COUNT_SEGMENTS = "SELECT count(*) FROM segments WHERE workspace = $1"  # what the segments quota counts


@dataclass(frozen=True)
class Segment:
    segment_id: str
    name: str
    description: str | None
    condition: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    status: SegmentStatus = "active"
    failure_reason: str | None = None  # why it is failing (None while active)
    failing_since: dt.datetime | None = None


class DuplicateName(ValueError):
    pass


class StatementTimeout(Exception):
    """An evaluation ran past the time it was given (PostgreSQL's statement_timeout); it was undone alone."""


def _segment(row: asyncpg.Record) -> Segment:
    return Segment(
        row["segment_id"],
        row["name"],
        row["description"],
        row["condition"],
        row["created_at"],
        row["updated_at"],
        row["status"],
        row["failure_reason"],
        row["failing_since"],
    )


async def load_segments(conn: Connection, workspace: str, *, active_only: bool = False) -> list[Segment]:
    """The workspace's segments in id order; with `active_only`, those evaluations keep current."""
    rows = await conn.fetch(
        "SELECT * FROM segments WHERE workspace = $1 AND (NOT $2 OR status = 'active') ORDER BY segment_id",
        workspace,
        active_only,
    )
    return [_segment(r) for r in rows]


async def other_conditions(conn: Connection, workspace: str, segment_id: str) -> list[dict[str, Any]]:
    """The conditions of the workspace's segments other than `segment_id`."""
    rows = await conn.fetch(
        "SELECT condition FROM segments WHERE workspace = $1 AND segment_id <> $2", workspace, segment_id
    )
    return [r["condition"] for r in rows]


async def count_segments(conn: Connection, workspace: str) -> int:
    count: int = await conn.fetchval(COUNT_SEGMENTS, workspace)
    return count


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
    """Create or replace a segment; saving makes a failing segment active again (evaluated once more)."""
    try:
        row = await conn.fetchrow(
            """INSERT INTO segments (workspace, segment_id, name, description, condition) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (workspace, segment_id) DO UPDATE
                  SET name = excluded.name, description = excluded.description, condition = excluded.condition,
                      updated_at = now(), status = 'active', failure_reason = NULL, failing_since = NULL
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


async def mark_failing(conn: Connection, workspace: str, segment_id: str, reason: str, now: dt.datetime) -> None:
    """Evaluations skip the segment from now on (until it is saved again); its members stay as they were."""
    await conn.execute(
        """UPDATE segments SET status = 'failing', failure_reason = $3, failing_since = $4
            WHERE workspace = $1 AND segment_id = $2""",
        workspace,
        segment_id,
        reason,
        now,
    )


async def failing_segments(conn: Connection) -> int:
    """Segments failing now, in every workspace (for the operator's gauge)."""
    count: int = await conn.fetchval("SELECT count(*) FROM segments WHERE status = 'failing'")
    return count


async def customer_page(conn: Connection, workspace: str, after: str | None, limit: int) -> list[str]:
    """The workspace's customer ids in order, `limit` of them after `after` (None: from the first)."""
    rows = await conn.fetch(
        """SELECT customer_id FROM customers WHERE workspace = $1 AND ($2::text IS NULL OR customer_id > $2)
            ORDER BY customer_id LIMIT $3""",
        workspace,
        after,
        limit,
    )
    return [r["customer_id"] for r in rows]


async def run_membership_query(
    conn: Connection,
    sql: str,
    values: Sequence[object],
    workspace: str,
    customer_ids: Sequence[str],
    now: dt.datetime,
    timeout_ms: int,
) -> set[Membership]:
    """Run a query of segment_sql.compile_membership_query in a savepoint with `statement_timeout` set to
    `timeout_ms`: past it, StatementTimeout is raised and only this query is undone (the caller's
    transaction goes on)."""
    try:
        async with conn.transaction():
            await conn.execute(f"SET LOCAL statement_timeout = {max(int(timeout_ms), 1)}")
            rows = await conn.fetch(sql, workspace, list(customer_ids), now, *values)
            # Released, a savepoint's SET LOCAL would hold for the rest of the caller's transaction.
            await conn.execute("SET LOCAL statement_timeout TO DEFAULT")
    except asyncpg.QueryCanceledError as exc:
        if "statement timeout" not in str(exc):
            raise  # cancelled by an operator (pg_cancel_backend): not the query's own cost
        raise StatementTimeout(str(exc)) from exc
    return {(segment_id, r["customer_id"]) for r in rows for segment_id in r["segment_ids"]}


async def memberships(
    conn: Connection, workspace: str, customer_ids: Sequence[str], segment_ids: Sequence[str]
) -> set[Membership]:
    """The current memberships of these customers in these segments."""
    rows = await conn.fetch(
        """SELECT segment_id, customer_id FROM segment_members
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND segment_id = ANY($3::text[])""",
        workspace,
        list(customer_ids),
        list(segment_ids),
    )
    return {(r["segment_id"], r["customer_id"]) for r in rows}


async def add_members(conn: Connection, workspace: str, entered: Sequence[Membership], now: dt.datetime) -> list[str]:
    """Add the memberships; returns the segment id of each one added (not those another transaction added)."""
    if not entered:
        return []
    rows = await conn.fetch(
        """INSERT INTO segment_members (workspace, segment_id, customer_id, entered_at)
           SELECT $1, s, c, $4 FROM unnest($2::text[], $3::text[]) AS m(s, c) ON CONFLICT DO NOTHING
           RETURNING segment_id""",
        workspace,
        [s for s, _ in entered],
        [c for _, c in entered],
        now,
    )
    return [r["segment_id"] for r in rows]


async def remove_members(conn: Connection, workspace: str, exited: Sequence[Membership]) -> list[str]:
    """End the memberships; returns the segment id of each one ended."""
    if not exited:
        return []
    rows = await conn.fetch(
        """DELETE FROM segment_members m USING unnest($2::text[], $3::text[]) AS x(s, c)
            WHERE m.workspace = $1 AND m.segment_id = x.s AND m.customer_id = x.c
        RETURNING m.segment_id""",
        workspace,
        [s for s, _ in exited],
        [c for _, c in exited],
    )
    return [r["segment_id"] for r in rows]


@dataclass(frozen=True)
class Member:
    customer_id: str
    entered_at: dt.datetime


async def members_page(
    conn: Connection, workspace: str, segment_id: str, limit: int, after: str | None
) -> list[Member]:
    """Up to `limit + 1` members after `after` in id order (one more than a page: whether there is a next)."""
    rows = await conn.fetch(
        """SELECT customer_id, entered_at FROM segment_members
            WHERE workspace = $1 AND segment_id = $2 AND ($3::text IS NULL OR customer_id > $3)
            ORDER BY customer_id LIMIT $4""",
        workspace,
        segment_id,
        after,
        limit + 1,
    )
    return [Member(**row) for row in rows]


async def record_size_changes(conn: Connection, workspace: str, deltas: Mapping[str, int], day: dt.date) -> None:
    """Add each segment's change of member count to its size on `day` (and on any later day already recorded: a
    transaction begun before midnight may commit after one begun after it); a day without a row starts from the
    latest earlier one (0 before the first); never below 0 (the sweep's recount_sizes puts any drift right).
    Rows are locked in segment order, so two batches cannot deadlock on them: call it last in a transaction,
    after every customer row it locks."""
    ids = sorted(deltas)
    if not ids:
        return
    changes = [deltas[segment_id] for segment_id in ids]
    await conn.execute(
        """SELECT 1 FROM segment_sizes WHERE workspace = $1 AND segment_id = ANY($2::text[]) AND day >= $3
            ORDER BY segment_id, day FOR UPDATE""",
        workspace,
        ids,
        day,
    )
    shifted = await conn.fetch(
        """UPDATE segment_sizes s SET members = greatest(s.members + d.delta, 0)
             FROM unnest($2::text[], $3::int[]) AS d(segment_id, delta)
            WHERE s.workspace = $1 AND s.segment_id = d.segment_id AND s.day >= $4
        RETURNING s.segment_id, s.day""",
        workspace,
        ids,
        changes,
        day,
    )
    dated = {r["segment_id"] for r in shifted if r["day"] == day}
    missing = [segment_id for segment_id in ids if segment_id not in dated]
    if not missing:
        return
    inserted = await conn.fetch(
        """INSERT INTO segment_sizes (workspace, segment_id, day, members)
           SELECT $1, d.segment_id, $4, greatest(coalesce(b.members, 0) + d.delta, 0)
             FROM unnest($2::text[], $3::int[]) AS d(segment_id, delta)
             JOIN segments g ON g.workspace = $1 AND g.segment_id = d.segment_id
             LEFT JOIN LATERAL (
                  SELECT members FROM segment_sizes s WHERE s.workspace = $1 AND s.segment_id = d.segment_id
                     AND s.day < $4 ORDER BY s.day DESC LIMIT 1 FOR UPDATE) b ON true
            ORDER BY d.segment_id
           ON CONFLICT DO NOTHING RETURNING segment_id""",
        workspace,
        missing,
        [deltas[segment_id] for segment_id in missing],
        day,
    )
    # Another transaction created the day's row since the update (later days were shifted above already).
    raced = [segment_id for segment_id in missing if segment_id not in {r["segment_id"] for r in inserted}]
    if raced:
        await conn.execute(
            """UPDATE segment_sizes s SET members = greatest(s.members + d.delta, 0)
                 FROM unnest($2::text[], $3::int[]) AS d(segment_id, delta)
                WHERE s.workspace = $1 AND s.segment_id = d.segment_id AND s.day = $4""",
            workspace,
            raced,
            [deltas[segment_id] for segment_id in raced],
            day,
        )


async def recount_sizes(conn: Connection, workspace: str, day: dt.date) -> None:
    """Every segment's member count now, as its size on `day` (the sweep's check: exact whatever happened)."""
    await conn.execute(
        """INSERT INTO segment_sizes (workspace, segment_id, day, members)
           SELECT s.workspace, s.segment_id, $2,
                  (SELECT count(*) FROM segment_members m
                    WHERE m.workspace = s.workspace AND m.segment_id = s.segment_id)
             FROM segments s WHERE s.workspace = $1
            ORDER BY s.segment_id
           ON CONFLICT (workspace, segment_id, day) DO UPDATE SET members = excluded.members""",
        workspace,
        day,
    )
