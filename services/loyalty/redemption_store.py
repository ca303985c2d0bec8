"""SQL of redemptions and of what they touch: the member row (locked FOR UPDATE, so racing redemptions of one
member take turns and never overspend), open lots (taken oldest first when a redemption is confirmed); the redeem
and expire entries and the daily totals are written through store.py. Every batch is one statement per kind of
row.

Lock order, everywhere in loyalty's redemptions and jobs: the member rows first (sorted by customer), then their
redemptions and lots, so two transactions never wait on each other in a cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg

from runtime.db import Connection
from services.loyalty.domain.ledger import Take
from services.loyalty.store import _MEMBER_COLUMNS, LotRow, LoyaltyMember, _member

MAX_LISTED = 200  # lots and holds a points view lists at most (the oldest)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ProgramRow:
    """A workspace's current program as stored: its version and its document (validated by the caller, so a bad
    document fails only the workspace it belongs to)."""

    workspace: str
    version: int
    document: dict[str, Any]


@dataclass(frozen=True)
class StoredRedemption:
    redemption_id: str
    customer_id: str
    order_id: str
    points: int
    value: Decimal
    currency: str
    status: str
    created_at: dt.datetime
    expires_at: dt.datetime
    settled_at: dt.datetime | None


@dataclass(frozen=True)
class MemberChange:
    """Signed changes of a member row's counters."""

    customer_id: str
    balance: int = 0
    debt: int = 0
    held: int = 0


_REDEMPTION = (
    "redemption_id, customer_id, order_id, points, value, currency, status, created_at, expires_at, settled_at"
)


def _redemption(row: asyncpg.Record) -> StoredRedemption:
    return StoredRedemption(**{name: row[name] for name in StoredRedemption.__dataclass_fields__})


def _lot(row: asyncpg.Record) -> LotRow:
    return LotRow(**{name: row[name] for name in LotRow.__dataclass_fields__})


# --- programs --------------------------------------------------------------------------------------------


async def current_programs(conn: Connection, workspaces: Iterable[str]) -> dict[str, ProgramRow]:
    """The current (highest) version of each workspace's program; a workspace without one is missing."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (workspace) workspace, version, document FROM programs
            WHERE workspace = ANY($1::text[]) ORDER BY workspace, version DESC""",
        sorted(set(workspaces)),
    )
    return {r["workspace"]: ProgramRow(r["workspace"], r["version"], dict(r["document"])) for r in rows}


# --- members ---------------------------------------------------------------------------------------------


async def get_member(conn: Connection, workspace: str, customer_id: str) -> LoyaltyMember | None:
    row = await conn.fetchrow(
        f"SELECT {_MEMBER_COLUMNS} FROM members WHERE workspace = $1 AND customer_id = $2",  # noqa: S608 (constants)
        workspace,
        customer_id,
    )
    return _member(row) if row else None


async def members(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, LoyaltyMember]:
    """The members' rows (not locked)."""
    rows = await conn.fetch(
        f"SELECT {_MEMBER_COLUMNS} FROM members WHERE workspace = $1 AND customer_id = ANY($2::text[])",  # noqa: S608
        workspace,
        sorted(set(customer_ids)),
    )
    return {r["customer_id"]: _member(r) for r in rows}


async def change_members(
    conn: Connection, workspace: str, changes: Sequence[MemberChange], now: dt.datetime
) -> dict[str, LoyaltyMember]:
    """Adds each change to its member's balance, debt and held (one statement); the rows after it. A balance or
    held that would go below zero stops at zero, the balance's shortfall going to the debt."""
    if not changes:
        return {}
    rows = await conn.fetch(
        f"""WITH c AS (
                SELECT customer_id, sum(balance) AS balance, sum(debt) AS debt, sum(held) AS held
                  FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
                       AS u(customer_id, balance, debt, held)
                 GROUP BY customer_id)
            UPDATE members m
               SET balance = greatest(m.balance + c.balance, 0),
                   debt = m.debt + c.debt + greatest(-(m.balance + c.balance), 0),
                   held = greatest(m.held + c.held, 0),
                   updated_at = $6
              FROM c
             WHERE m.workspace = $1 AND m.customer_id = c.customer_id
         RETURNING {", ".join("m." + c.strip() for c in _MEMBER_COLUMNS.split(","))}""",  # noqa: S608 (constants)
        workspace,
        [c.customer_id for c in changes],
        [c.balance for c in changes],
        [c.debt for c in changes],
        [c.held for c in changes],
        now,
    )
    return {r["customer_id"]: _member(r) for r in rows}


# --- redemptions -----------------------------------------------------------------------------------------


async def redemption_of_order(conn: Connection, workspace: str, order_id: str) -> StoredRedemption | None:
    row = await conn.fetchrow(
        f"SELECT {_REDEMPTION} FROM redemptions WHERE workspace = $1 AND order_id = $2",  # noqa: S608
        workspace,
        order_id,
    )
    return _redemption(row) if row else None


async def open_holds(conn: Connection, workspace: str, customer_id: str, limit: int) -> list[StoredRedemption]:
    """The member's held redemptions, oldest first."""
    rows = await conn.fetch(
        f"""SELECT {_REDEMPTION} FROM redemptions
             WHERE workspace = $1 AND customer_id = $2 AND status = 'held'
             ORDER BY created_at, redemption_id LIMIT $3""",  # noqa: S608 (constants)
        workspace,
        customer_id,
        limit,
    )
    return [_redemption(r) for r in rows]


async def count_open_holds(conn: Connection, workspace: str, customer_id: str) -> int:
    count = await conn.fetchval(
        "SELECT count(*) FROM redemptions WHERE workspace = $1 AND customer_id = $2 AND status = 'held'",
        workspace,
        customer_id,
    )
    return int(count or 0)


async def most_open_holds(conn: Connection, workspace: str) -> int:
    """The most open holds any one member of the workspace has (the `loyalty_holds` quota's use)."""
    count = await conn.fetchval(
        """SELECT coalesce(max(n), 0) FROM (
               SELECT count(*) AS n FROM redemptions WHERE workspace = $1 AND status = 'held'
                GROUP BY customer_id) h""",
        workspace,
    )
    return int(count or 0)


async def insert_hold(conn: Connection, workspace: str, redemption: StoredRedemption) -> bool:
    """Stores a held redemption; False when its order already has one (this or another member's)."""
    inserted = await conn.fetchval(
        """INSERT INTO redemptions (workspace, redemption_id, customer_id, order_id, points, value, currency, status,
                                    created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', $8, $9)
           ON CONFLICT DO NOTHING RETURNING true""",
        workspace,
        redemption.redemption_id,
        redemption.customer_id,
        redemption.order_id,
        redemption.points,
        redemption.value,
        redemption.currency,
        redemption.created_at,
        redemption.expires_at,
    )
    return bool(inserted)


async def held_for_orders(conn: Connection, workspace: str, order_ids: Iterable[str]) -> list[StoredRedemption]:
    """Held redemptions of these orders (not locked: the caller locks their members, then settles them)."""
    rows = await conn.fetch(
        f"""SELECT {_REDEMPTION} FROM redemptions
             WHERE workspace = $1 AND order_id = ANY($2::text[]) AND status = 'held'""",  # noqa: S608
        workspace,
        sorted(set(order_ids)),
    )
    return [_redemption(r) for r in rows]


async def settle(
    conn: Connection, workspace: str, redemption_ids: Iterable[str], status: str, now: dt.datetime
) -> list[StoredRedemption]:
    """Held redemptions become `redeemed` or `released`; those still held until now are returned (as they were
    before, with the new status), so a redemption settles once however many transactions try."""
    rows = await conn.fetch(
        f"""UPDATE redemptions SET status = $3, settled_at = $4
             WHERE workspace = $1 AND redemption_id = ANY($2::text[]) AND status = 'held'
         RETURNING {_REDEMPTION}""",  # noqa: S608 (constants)
        workspace,
        sorted(set(redemption_ids)),
        status,
        now,
    )
    return [_redemption(r) for r in rows]


async def due_holds_of(conn: Connection, workspace: str, customer_ids: Iterable[str], now: dt.datetime) -> list[str]:
    """The members' holds past their time (ids), to release."""
    rows = await conn.fetch(
        """SELECT redemption_id FROM redemptions
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND status = 'held' AND expires_at <= $3""",
        workspace,
        sorted(set(customer_ids)),
        now,
    )
    return [r["redemption_id"] for r in rows]


# --- lots -----------------------------------------------------------------------------------------------


async def open_lots(
    conn: Connection, workspace: str, customer_ids: Iterable[str], *, limit: int | None = None, lock: bool = False
) -> dict[str, list[LotRow]]:
    """The members' lots with points left, in the order they are spent: expiring first (never-expiring last),
    then the oldest. `limit` caps each member's list; `lock` locks them (the members must be locked first)."""
    ids = sorted(set(customer_ids))
    if limit is not None:
        rows = await conn.fetch(
            """SELECT l.lot_id, l.customer_id, l.earned, l.remaining, l.earned_at, l.expires_at
                 FROM unnest($2::text[]) AS m(customer_id)
                 CROSS JOIN LATERAL (
                     SELECT * FROM lots
                      WHERE workspace = $1 AND customer_id = m.customer_id AND remaining > 0
                      ORDER BY expires_at NULLS LAST, earned_at, lot_id LIMIT $3) l""",
            workspace,
            ids,
            limit,
        )
    else:
        rows = await conn.fetch(
            f"""SELECT lot_id, customer_id, earned, remaining, earned_at, expires_at FROM lots
                 WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND remaining > 0
                 ORDER BY customer_id, expires_at NULLS LAST, earned_at, lot_id
                 {"FOR UPDATE" if lock else ""}""",  # noqa: S608 (constants)
            workspace,
            ids,
        )
    found: dict[str, list[LotRow]] = {}
    for row in rows:
        found.setdefault(row["customer_id"], []).append(_lot(row))
    return found


async def take_from_lots(conn: Connection, workspace: str, takes: Sequence[Take]) -> None:
    """Takes points from lots (one statement)."""
    if not takes:
        return
    await conn.execute(
        """UPDATE lots l SET remaining = l.remaining - t.points
             FROM (SELECT lot_id, sum(points) AS points FROM unnest($2::text[], $3::bigint[]) AS u(lot_id, points)
                    GROUP BY lot_id) t
            WHERE l.workspace = $1 AND l.lot_id = t.lot_id""",
        workspace,
        [t.lot_id for t in takes],
        [t.points for t in takes],
    )
