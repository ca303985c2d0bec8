"""SQL of what loyalty's jobs find due now (lots to expire, lots owing their expiry notice, holds to release,
tiers to review), claimed fairly: first the workspaces with due work, in turns (workspace order from a cursor,
at most `limit` of them), then at most `per` due things of each of those workspaces, each workspace's oldest
first, read through an index that starts with the workspace. A workspace with a million due lots takes its share
of a round and no more, so every other workspace with due work makes progress in every round.

Workspaces are those with a program (every lot, hold and tier is recorded under one; programs are never deleted).
The candidates are read without locks; each workspace's part then locks its members first
(store.existing_members) and re-checks (expiry_store), so replicas and the API never make a lock cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from runtime.db import Connection
from services.loyalty.expiry_store import Due, NoticeCandidate
from services.loyalty.redemption_store import _lot

DueKind = Literal["lots", "notices", "holds", "reviews"]

# A row if workspace `p.workspace` has something of the kind due at $1; for lots and reviews, after its cursor in
# this run (`a`; a lot's is its (expires_at, lot_id), so the find starts after the lots this run expired already and
# never walks their index entries, dead until vacuum). Read LATERAL with LIMIT 1: one index probe per workspace (as
# an EXISTS the planner may make it a semi join that reads every due row of the table).
_HAS_DUE: dict[DueKind, str] = {
    "lots": """SELECT 1 FROM lots WHERE workspace = p.workspace AND remaining > 0 AND expires_at IS NOT NULL
                 AND expires_at <= $1
                 AND (expires_at, lot_id) > (coalesce(a.at, '-infinity'::timestamptz), coalesce(a.lot_id, ''))""",
    "notices": """SELECT 1 FROM lots, current_programs c
                   WHERE c.workspace = p.workspace AND lots.workspace = p.workspace AND remaining > 0
                     AND notified_at IS NULL AND expires_at IS NOT NULL AND expires_at > $1
                     AND expires_at <= $1 + c.notice""",
    "holds": "SELECT 1 FROM redemptions WHERE workspace = p.workspace AND status = 'held' AND expires_at <= $1",
    "reviews": """SELECT 1 FROM members m
                   WHERE m.workspace = p.workspace AND m.tier IS NOT NULL AND m.tier_anniversary <= $1
                     AND (m.tier_grace_until IS NULL OR m.tier_grace_until <= $1)
                     AND m.customer_id > coalesce(a.after, '')""",
}

# Each workspace's current notice days plus a day of slack (the exact local moment is domain.expiry.notice_from's).
_CURRENT_NOTICE = """current_programs AS (
    SELECT DISTINCT ON (workspace) workspace,
           make_interval(days => coalesce((document->'expiry'->>'notice_days')::int, 30) + 1) AS notice
      FROM programs ORDER BY workspace, version DESC)"""


async def workspaces_due(
    conn: Connection,
    kind: DueKind,
    now: dt.datetime,
    skip: Sequence[str],
    after: str,
    limit: int,
    reviewed: Mapping[str, str] | None = None,
    expired: Mapping[str, tuple[dt.datetime, str]] | None = None,
) -> list[str]:
    """The workspaces (after `after`, not in `skip`) with something of `kind` due now, in workspace order, at most
    `limit`; for reviews, a member due after the workspace's cursor in `reviewed` (a run visits each member once);
    for lots, a lot due after the workspace's cursor in `expired` (the (expires_at, lot_id) of the last lot this
    run claimed)."""
    cte = f"WITH {_CURRENT_NOTICE}" if kind == "notices" else ""
    join = ""
    args: list[object] = [now, after, list(skip), limit]
    if kind == "reviews":
        cursors = sorted((reviewed or {}).items())
        join = "LEFT JOIN unnest($5::text[], $6::text[]) AS a(workspace, after) ON a.workspace = p.workspace"
        args += [[workspace for workspace, _ in cursors], [customer for _, customer in cursors]]
    elif kind == "lots":
        lots = sorted((expired or {}).items())
        join = """LEFT JOIN unnest($5::text[], $6::timestamptz[], $7::text[]) AS a(workspace, at, lot_id)
                         ON a.workspace = p.workspace"""
        args += [[w for w, _ in lots], [at for _, (at, _) in lots], [lot_id for _, (_, lot_id) in lots]]
    query = f"""{cte}
        SELECT p.workspace FROM (SELECT DISTINCT workspace FROM programs) p {join}
         CROSS JOIN LATERAL ({_HAS_DUE[kind]} LIMIT 1) due
         WHERE p.workspace > $2 AND p.workspace <> ALL($3::text[])
         ORDER BY p.workspace LIMIT $4"""  # noqa: S608 (constants)
    rows = await conn.fetch(query, *args)
    return [r["workspace"] for r in rows]


async def due_lots(
    conn: Connection,
    now: dt.datetime,
    workspaces: Sequence[str],
    per: int,
    expired: Mapping[str, tuple[dt.datetime, str]] | None = None,
) -> list[Due]:
    """Of each workspace, at most `per` lots with points left whose expiry has passed, those expiring first first,
    after the workspace's cursor in `expired` ((expires_at, lot_id) of the last lot this run claimed: the index
    scan starts there, past the lots already expired). Each Due's `at` is the lot's expires_at."""
    cursors = expired or {}
    rows = await conn.fetch(
        """SELECT d.workspace, d.lot_id, d.customer_id, d.expires_at
             FROM unnest($2::text[], $3::timestamptz[], $4::text[]) AS w(workspace, at, lot_id)
            CROSS JOIN LATERAL (
                SELECT workspace, lot_id, customer_id, expires_at FROM lots
                 WHERE workspace = w.workspace AND remaining > 0 AND expires_at IS NOT NULL AND expires_at <= $1
                   AND (expires_at, lot_id) > (coalesce(w.at, '-infinity'::timestamptz), coalesce(w.lot_id, ''))
                 ORDER BY expires_at, lot_id LIMIT $5) d""",
        now,
        list(workspaces),
        [cursors[w][0] if w in cursors else None for w in workspaces],
        [cursors[w][1] if w in cursors else None for w in workspaces],
        per,
    )
    return [Due(r["workspace"], r["lot_id"], r["customer_id"], r["expires_at"]) for r in rows]


async def lots_to_notice(
    conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int
) -> list[NoticeCandidate]:
    """Of each workspace, at most `per` lots with points left, not yet noticed and not yet expired, whose expiry is
    within the workspace's current notice days plus a day of slack, the soonest first (the `lots_notice` index)."""
    rows = await conn.fetch(
        f"""WITH {_CURRENT_NOTICE}
            SELECT l.workspace, l.lot_id, l.customer_id, l.earned, l.remaining, l.earned_at, l.expires_at
              FROM current_programs c
             CROSS JOIN LATERAL (
                 SELECT * FROM lots
                  WHERE workspace = c.workspace AND remaining > 0 AND notified_at IS NULL AND expires_at IS NOT NULL
                    AND expires_at > $1 AND expires_at <= $1 + c.notice
                  ORDER BY expires_at, lot_id LIMIT $3) l
             WHERE c.workspace = ANY($2::text[])""",  # noqa: S608 (constants)
        now,
        list(workspaces),
        per,
    )
    return [NoticeCandidate(r["workspace"], _lot(r)) for r in rows]


async def due_holds(conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int) -> list[Due]:
    """Of each workspace, at most `per` held redemptions past their time, the oldest first."""
    return await _due_of_each(
        conn,
        """SELECT workspace, redemption_id AS key, customer_id FROM redemptions
            WHERE workspace = w.workspace AND status = 'held' AND expires_at <= $1
            ORDER BY expires_at, redemption_id LIMIT $3""",
        now,
        workspaces,
        per,
    )


async def _due_of_each(
    conn: Connection, of_workspace: str, now: dt.datetime, workspaces: Sequence[str], per: int
) -> list[Due]:
    """`of_workspace` (workspace, key, customer_id of workspace `w.workspace` due at $1, at most $3) for each one."""
    rows = await conn.fetch(
        f"""SELECT d.workspace, d.key, d.customer_id FROM unnest($2::text[]) AS w(workspace)
            CROSS JOIN LATERAL ({of_workspace}) d""",  # noqa: S608 (constants)
        now,
        list(workspaces),
        per,
    )
    return [Due(r["workspace"], r["key"], r["customer_id"]) for r in rows]


async def due_reviews(
    conn: Connection, now: dt.datetime, workspaces: Sequence[str], per: int, reviewed: Mapping[str, str]
) -> list[Due]:
    """Of each workspace, at most `per` members holding a tier whose anniversary has passed and who are not inside
    a grace period that has not ended, after the workspace's cursor in `reviewed` (a customer id), in id order."""
    rows = await conn.fetch(
        """SELECT m.workspace, m.customer_id FROM unnest($2::text[], $3::text[]) AS w(workspace, after)
           CROSS JOIN LATERAL (
               SELECT workspace, customer_id FROM members
                WHERE workspace = w.workspace AND customer_id > w.after AND tier IS NOT NULL
                  AND tier_anniversary <= $1 AND (tier_grace_until IS NULL OR tier_grace_until <= $1)
                ORDER BY customer_id LIMIT $4) m""",
        now,
        list(workspaces),
        [reviewed.get(workspace, "") for workspace in workspaces],
        per,
    )
    return [Due(r["workspace"], r["customer_id"], r["customer_id"]) for r in rows]
