"""SQL of loyalty's jobs once a workspace's part of a round runs: the due lots locked and emptied, the notices
recorded, the tiers written. What is due is found by due_store, without locks; each workspace's part then locks
its members first (store.existing_members) and re-checks here, so replicas and the API never make a lock
cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from runtime.db import Connection
from services.loyalty.redemption_store import _lot
from services.loyalty.store import LotRow


@dataclass(frozen=True)
class Due:
    """One due thing of a workspace: a lot, a hold (its redemption id) or a member (for a review)."""

    workspace: str
    key: str
    customer_id: str
    at: dt.datetime | None = None  # a lot's expires_at (where the run's cursor moves to)


async def expire_due_lots(
    conn: Connection, workspace: str, lot_ids: Iterable[str], program_version: int, now: dt.datetime
) -> list[LotRow]:
    """Of these lots, those still due (points left, expiry passed) expire, in one statement (their members are
    locked already): each locked and re-checked, its `expire:<lot_id>` entry added (once: a lot whose entry exists
    is left as it is), emptied, its points off its member's balance (a shortfall going to the debt, as
    redemption_store.change_members does) and added to the daily totals (by the UTC day of its expiry). Returns
    the lots that expired, as they were before, in lot id order."""
    rows = await conn.fetch(
        """WITH due AS (
                SELECT lot_id, customer_id, earned, remaining, earned_at, expires_at FROM lots
                 WHERE workspace = $1 AND lot_id = ANY($2::text[]) AND remaining > 0 AND expires_at <= $4
                 ORDER BY lot_id FOR UPDATE),
            added AS (
                INSERT INTO entries (workspace, entry_id, customer_id, kind, points, reason, rule, order_id,
                                     program_version, at, recorded_at)
                SELECT $1, 'expire:' || lot_id, customer_id, 'expire', -remaining, 'expiry', NULL, NULL, $3,
                       expires_at, $4
                  FROM due ORDER BY lot_id
                ON CONFLICT DO NOTHING RETURNING entry_id),
            expired AS (
                SELECT due.* FROM due JOIN added ON added.entry_id = 'expire:' || due.lot_id),
            emptied AS (
                UPDATE lots SET remaining = 0
                 WHERE workspace = $1 AND lot_id = ANY(ARRAY(SELECT lot_id FROM expired)) RETURNING lot_id),
            changed AS (
                UPDATE members m SET balance = greatest(m.balance - c.points, 0),
                                     debt = m.debt + greatest(c.points - m.balance, 0), updated_at = $4
                  FROM (SELECT customer_id, sum(remaining) AS points FROM expired GROUP BY customer_id) c
                 WHERE m.workspace = $1 AND m.customer_id = c.customer_id RETURNING m.customer_id),
            totals AS (
                INSERT INTO daily_totals AS d (workspace, day, earned, redeemed, expired, reversed, erased)
                SELECT $1, (expires_at AT TIME ZONE 'UTC')::date, 0, 0, sum(remaining), 0, 0
                  FROM expired GROUP BY 2 ORDER BY 2
                ON CONFLICT (workspace, day) DO UPDATE SET expired = d.expired + excluded.expired RETURNING day)
            SELECT lot_id, customer_id, earned, remaining, earned_at, expires_at FROM expired ORDER BY lot_id""",
        workspace,
        sorted(set(lot_ids)),
        program_version,
        now,
    )
    return [_lot(r) for r in rows]


@dataclass(frozen=True)
class NoticeCandidate:
    workspace: str
    lot: LotRow


async def mark_noticed(conn: Connection, workspace: str, lot_ids: Sequence[str], now: dt.datetime) -> list[LotRow]:
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
