"""SQL of loyalty's jobs: what is due now across workspaces (lots to expire, lots owing their expiry notice,
holds to release, tiers to review), each in LIMIT-ed batches oldest first, and the qualifying values tier
reviews read. The candidates are read without locks; each workspace's part then locks its members first
(redemption_store.lock_members) and re-checks, so replicas and the API never make a lock cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from runtime.db import Connection
from services.loyalty.redemption_store import OpenLot, _lot


@dataclass(frozen=True)
class Due:
    """One due thing of a workspace: a lot, a hold (its redemption id) or a member (for a review)."""

    workspace: str
    key: str
    customer_id: str


async def due_lots(conn: Connection, now: dt.datetime, skip: Sequence[str], limit: int) -> list[Due]:
    """Lots with points left whose expiry has passed, those expiring first first (`skip`: workspaces left out)."""
    rows = await conn.fetch(
        """SELECT workspace, lot_id, customer_id FROM lots
            WHERE remaining > 0 AND expires_at IS NOT NULL AND expires_at <= $1 AND workspace <> ALL($2::text[])
            ORDER BY expires_at, workspace, lot_id LIMIT $3""",
        now,
        list(skip),
        limit,
    )
    return [Due(r["workspace"], r["lot_id"], r["customer_id"]) for r in rows]


async def lock_due_lots(conn: Connection, workspace: str, lot_ids: Iterable[str], now: dt.datetime) -> list[OpenLot]:
    """Of these lots, those still due (points left, expiry passed), locked (their members are locked already)."""
    rows = await conn.fetch(
        """SELECT lot_id, customer_id, earned, remaining, earned_at, expires_at FROM lots
            WHERE workspace = $1 AND lot_id = ANY($2::text[]) AND remaining > 0 AND expires_at <= $3
            ORDER BY lot_id FOR UPDATE""",
        workspace,
        sorted(set(lot_ids)),
        now,
    )
    return [_lot(r) for r in rows]


async def empty_lots(conn: Connection, workspace: str, lot_ids: Sequence[str]) -> None:
    await conn.execute(
        "UPDATE lots SET remaining = 0 WHERE workspace = $1 AND lot_id = ANY($2::text[])", workspace, list(lot_ids)
    )


@dataclass(frozen=True)
class NoticeCandidate:
    workspace: str
    lot: OpenLot


async def lots_to_notice(conn: Connection, now: dt.datetime, skip: Sequence[str], limit: int) -> list[NoticeCandidate]:
    """Lots with points left, not yet noticed and not yet expired, whose expiry is within their workspace's
    current notice days plus a day of slack (the exact local moment is domain.expiry.notice_from's), the soonest
    notice first. Each workspace's lots are read through the `lots_notice` index, at most `limit` of them."""
    rows = await conn.fetch(
        """WITH current AS (
               SELECT DISTINCT ON (workspace) workspace,
                      make_interval(days => coalesce((document->'expiry'->>'notice_days')::int, 30) + 1) AS notice
                 FROM programs WHERE workspace <> ALL($2::text[]) ORDER BY workspace, version DESC)
           SELECT l.workspace, l.lot_id, l.customer_id, l.earned, l.remaining, l.earned_at, l.expires_at,
                  l.expires_at - c.notice AS notice_at
             FROM current c
             CROSS JOIN LATERAL (
                 SELECT * FROM lots
                  WHERE workspace = c.workspace AND remaining > 0 AND notified_at IS NULL AND expires_at IS NOT NULL
                    AND expires_at > $1 AND expires_at <= $1 + c.notice
                  ORDER BY expires_at LIMIT $3) l
            ORDER BY notice_at, l.workspace, l.lot_id LIMIT $3""",
        now,
        list(skip),
        limit,
    )
    return [NoticeCandidate(r["workspace"], _lot(r)) for r in rows]


async def mark_noticed(conn: Connection, workspace: str, lot_ids: Sequence[str], now: dt.datetime) -> list[OpenLot]:
    """Records the notice of these lots; those not noticed before (and still open) are returned, so a lot is
    noticed once however many rounds try."""
    rows = await conn.fetch(
        """UPDATE lots SET notified_at = $3
            WHERE workspace = $1 AND lot_id = ANY($2::text[]) AND notified_at IS NULL AND remaining > 0
        RETURNING lot_id, customer_id, earned, remaining, earned_at, expires_at""",
        workspace,
        list(lot_ids),
        now,
    )
    return [_lot(r) for r in rows]


async def due_holds(conn: Connection, now: dt.datetime, skip: Sequence[str], limit: int) -> list[Due]:
    """Held redemptions past their time, the oldest first."""
    rows = await conn.fetch(
        """SELECT workspace, redemption_id, customer_id FROM redemptions
            WHERE status = 'held' AND expires_at <= $1 AND workspace <> ALL($2::text[])
            ORDER BY expires_at, workspace, redemption_id LIMIT $3""",
        now,
        list(skip),
        limit,
    )
    return [Due(r["workspace"], r["redemption_id"], r["customer_id"]) for r in rows]


async def due_reviews(
    conn: Connection, now: dt.datetime, after: tuple[str, str] | None, skip: Sequence[str], limit: int
) -> list[Due]:
    """Members holding a tier whose anniversary has passed and who are not inside a grace period that has not
    ended, after `after` (workspace, customer) in key order: a run visits each member once."""
    start = after or ("", "")
    rows = await conn.fetch(
        """SELECT workspace, customer_id FROM members
            WHERE tier IS NOT NULL AND tier_anniversary <= $1
              AND (tier_grace_until IS NULL OR tier_grace_until <= $1)
              AND (workspace, customer_id) > ($2, $3) AND workspace <> ALL($4::text[])
            ORDER BY workspace, customer_id LIMIT $5""",
        now,
        start[0],
        start[1],
        list(skip),
        limit,
    )
    return [Due(r["workspace"], r["customer_id"], r["customer_id"]) for r in rows]


async def set_tiers(
    conn: Connection,
    workspace: str,
    states: Sequence[tuple[str, str | None, dt.datetime | None, dt.datetime | None, dt.datetime | None]],
    now: dt.datetime,
) -> None:
    """Writes members' tier states: (customer, tier, since, anniversary, grace_until) each (one statement)."""
    if not states:
        return
    await conn.execute(
        """UPDATE members m SET tier = u.tier, tier_since = u.since, tier_anniversary = u.anniversary,
                                tier_grace_until = u.grace_until, updated_at = $7
             FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
                  AS u(customer_id, tier, since, anniversary, grace_until)
            WHERE m.workspace = $1 AND m.customer_id = u.customer_id""",
        workspace,
        [s[0] for s in states],
        [s[1] for s in states],
        [s[2] for s in states],
        [s[3] for s in states],
        [s[4] for s in states],
        now,
    )
