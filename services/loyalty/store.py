"""SQL of the ledger: members (balance, debt, holds, tier, what the bonus rules need), entries (each once, its id
derived from its cause), lots (earn entries and what is left of them), orders (the base of proportional refunds
and of the qualifying spend) and the anonymous daily totals. One query per kind of row per batch: the use cases
load what a batch needs, decide in memory and write back what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import asyncpg

from runtime import merge_undo
from runtime.db import Connection
from services.loyalty.domain.ledger import Lot

EntryKind = Literal["earn", "redeem", "expire", "adjust", "reverse"]


@dataclass
class LoyaltyMember:
    """A member's row, changed in memory by a use case and written back (save_members)."""

    customer_id: str
    balance: int = 0
    debt: int = 0
    held: int = 0
    tier: str | None = None
    tier_since: dt.datetime | None = None
    tier_anniversary: dt.datetime | None = None
    tier_grace_until: dt.datetime | None = None
    birthday_month: int | None = None
    birthday_bonus_year: int | None = None
    first_order_id: str | None = None


@dataclass(frozen=True)
class Entry:
    entry_id: str
    customer_id: str
    kind: EntryKind
    points: int
    reason: str
    rule: str | None
    order_id: str | None
    program_version: int | None
    at: dt.datetime


@dataclass
class LotRow:
    """A lot (an earn entry's points) with what is left of it; a use case takes from `remaining` in memory and
    writes it back."""

    lot_id: str
    customer_id: str
    earned: int
    remaining: int
    earned_at: dt.datetime
    expires_at: dt.datetime | None

    @property
    def lot(self) -> Lot:
        """As the spending rules (domain.ledger) take it."""
        return Lot(self.lot_id, self.remaining, self.earned_at, self.expires_at)


@dataclass
class Order:
    order_id: str
    customer_id: str
    amount: Decimal
    currency: str | None
    points: int
    refunded: Decimal
    reversed: int
    at: dt.datetime


@dataclass(frozen=True)
class PendingRefund:
    """A refund that came before its order's purchase."""

    entry_id: str
    order_id: str
    customer_id: str
    amount: Decimal
    at: dt.datetime


@dataclass(frozen=True)
class DailyTotal:
    day: dt.date
    earned: int = 0
    redeemed: int = 0
    expired: int = 0
    reversed: int = 0
    erased: int = 0


_MEMBER_COLUMNS = (
    "customer_id, balance, debt, held, tier, tier_since, tier_anniversary, tier_grace_until, birthday_month, "
    "birthday_bonus_year, first_order_id"
)


def _member(row: asyncpg.Record) -> LoyaltyMember:
    return LoyaltyMember(**{name: row[name] for name in LoyaltyMember.__dataclass_fields__})


async def lock_members(
    conn: Connection, workspace: str, customer_ids: Iterable[str], now: dt.datetime
) -> dict[str, LoyaltyMember]:
    """The members' rows, made when missing and locked (FOR UPDATE, in id order: every writer of a member takes
    its row first, so redemptions, jobs and consumer loops never interleave on one member's ledger)."""
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    await conn.execute(
        """INSERT INTO members (workspace, customer_id, created_at, updated_at)
           SELECT $1, c, $3, $3 FROM unnest($2::text[]) AS c ORDER BY c ON CONFLICT DO NOTHING""",
        workspace,
        ids,
        now,
    )
    rows = await conn.fetch(
        f"""SELECT {_MEMBER_COLUMNS} FROM members WHERE workspace = $1 AND customer_id = ANY($2::text[])
             ORDER BY customer_id FOR UPDATE""",  # noqa: S608 (column names)
        workspace,
        ids,
    )
    return {row["customer_id"]: _member(row) for row in rows}


async def save_members(conn: Connection, workspace: str, members: Sequence[LoyaltyMember], now: dt.datetime) -> None:
    if not members:
        return
    await conn.execute(
        """UPDATE members m SET balance = u.balance, debt = u.debt, held = u.held, tier = u.tier,
                  tier_since = u.tier_since, tier_anniversary = u.tier_anniversary,
                  tier_grace_until = u.tier_grace_until, birthday_month = u.birthday_month,
                  birthday_bonus_year = u.birthday_bonus_year, first_order_id = u.first_order_id, updated_at = $13
             FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::timestamptz[],
                         $8::timestamptz[], $9::timestamptz[], $10::smallint[], $11::integer[], $12::text[])
                  AS u(customer_id, balance, debt, held, tier, tier_since, tier_anniversary, tier_grace_until,
                       birthday_month, birthday_bonus_year, first_order_id)
            WHERE m.workspace = $1 AND m.customer_id = u.customer_id""",
        workspace,
        [m.customer_id for m in members],
        [m.balance for m in members],
        [m.debt for m in members],
        [m.held for m in members],
        [m.tier for m in members],
        [m.tier_since for m in members],
        [m.tier_anniversary for m in members],
        [m.tier_grace_until for m in members],
        [m.birthday_month for m in members],
        [m.birthday_bonus_year for m in members],
        [m.first_order_id for m in members],
        now,
    )


async def insert_lots(conn: Connection, workspace: str, lots: Sequence[LotRow]) -> None:
    if not lots:
        return
    await conn.execute(
        """INSERT INTO lots (workspace, lot_id, customer_id, earned, remaining, earned_at, expires_at)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::timestamptz[],
                                    $7::timestamptz[])
           ON CONFLICT DO NOTHING""",
        workspace,
        [lot.lot_id for lot in lots],
        [lot.customer_id for lot in lots],
        [lot.earned for lot in lots],
        [lot.remaining for lot in lots],
        [lot.earned_at for lot in lots],
        [lot.expires_at for lot in lots],
    )


async def update_lots(conn: Connection, workspace: str, lots: Sequence[LotRow]) -> None:
    """Write back what is left of lots that were there before the batch."""
    if not lots:
        return
    await conn.execute(
        """UPDATE lots l SET remaining = u.remaining
             FROM unnest($2::text[], $3::bigint[]) AS u(lot_id, remaining)
            WHERE l.workspace = $1 AND l.lot_id = u.lot_id""",
        workspace,
        [lot.lot_id for lot in lots],
        [lot.remaining for lot in lots],
    )


async def orders(conn: Connection, workspace: str, order_ids: Iterable[str]) -> dict[str, Order]:
    rows = await conn.fetch(
        """SELECT order_id, customer_id, amount, currency, points, refunded, reversed, at FROM orders
            WHERE workspace = $1 AND order_id = ANY($2::text[])""",
        workspace,
        sorted(set(order_ids)),
    )
    return {row["order_id"]: Order(**dict(row)) for row in rows}


async def insert_orders(conn: Connection, workspace: str, new: Sequence[Order]) -> None:
    if not new:
        return
    await conn.execute(
        """INSERT INTO orders (workspace, order_id, customer_id, amount, currency, points, refunded, reversed, at)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[], $6::bigint[],
                                    $7::numeric[], $8::bigint[], $9::timestamptz[])
           ON CONFLICT DO NOTHING""",
        workspace,
        [o.order_id for o in new],
        [o.customer_id for o in new],
        [o.amount for o in new],
        [o.currency for o in new],
        [o.points for o in new],
        [o.refunded for o in new],
        [o.reversed for o in new],
        [o.at for o in new],
    )


async def update_orders(conn: Connection, workspace: str, changed: Sequence[Order]) -> None:
    """Write back the refunded money and reversed points of orders that were there before the batch."""
    if not changed:
        return
    await conn.execute(
        """UPDATE orders o SET refunded = u.refunded, reversed = u.reversed
             FROM unnest($2::text[], $3::numeric[], $4::bigint[]) AS u(order_id, refunded, reversed)
            WHERE o.workspace = $1 AND o.order_id = u.order_id""",
        workspace,
        [o.order_id for o in changed],
        [o.refunded for o in changed],
        [o.reversed for o in changed],
    )


async def pending_refunds(conn: Connection, workspace: str, order_ids: Iterable[str]) -> list[PendingRefund]:
    """Refunds waiting for these orders' purchases, oldest first."""
    rows = await conn.fetch(
        """SELECT entry_id, order_id, customer_id, amount, at FROM pending_refunds
            WHERE workspace = $1 AND order_id = ANY($2::text[]) ORDER BY at, entry_id""",
        workspace,
        sorted(set(order_ids)),
    )
    return [PendingRefund(**dict(row)) for row in rows]


async def save_pending_refunds(
    conn: Connection, workspace: str, new: Sequence[PendingRefund], applied: Iterable[str]
) -> None:
    """Keep refunds that wait for their purchase (once each); forget those now applied."""
    if new:
        await conn.execute(
            """INSERT INTO pending_refunds (workspace, entry_id, order_id, customer_id, amount, at)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::timestamptz[])
               ON CONFLICT DO NOTHING""",
            workspace,
            [p.entry_id for p in new],
            [p.order_id for p in new],
            [p.customer_id for p in new],
            [p.amount for p in new],
            [p.at for p in new],
        )
    done = sorted(set(applied))
    if done:
        await conn.execute(
            "DELETE FROM pending_refunds WHERE workspace = $1 AND entry_id = ANY($2::text[])", workspace, done
        )


async def entries(conn: Connection, workspace: str, entry_ids: Iterable[str]) -> dict[str, Entry]:
    """Those of these entries that are in the ledger."""
    wanted = sorted(set(entry_ids))
    if not wanted:
        return {}
    rows = await conn.fetch(
        """SELECT entry_id, customer_id, kind, points, reason, rule, order_id, program_version, at FROM entries
            WHERE workspace = $1 AND entry_id = ANY($2::text[])""",
        workspace,
        wanted,
    )
    return {row["entry_id"]: Entry(**dict(row)) for row in rows}


async def insert_entries(conn: Connection, workspace: str, new: Sequence[Entry], now: dt.datetime) -> set[str]:
    """Add entries once each (ON CONFLICT DO NOTHING): the ids actually added."""
    if not new:
        return set()
    rows = await conn.fetch(
        """INSERT INTO entries (workspace, entry_id, customer_id, kind, points, reason, rule, order_id,
                                program_version, at, recorded_at)
           SELECT $1, *, $11 FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                                         $8::text[], $9::integer[], $10::timestamptz[])
           ON CONFLICT DO NOTHING RETURNING entry_id""",
        workspace,
        [e.entry_id for e in new],
        [e.customer_id for e in new],
        [e.kind for e in new],
        [e.points for e in new],
        [e.reason for e in new],
        [e.rule for e in new],
        [e.order_id for e in new],
        [e.program_version for e in new],
        [e.at for e in new],
        now,
    )
    return {row["entry_id"] for row in rows}


async def earned_since(
    conn: Connection, workspace: str, customer_ids: Iterable[str], since: dt.datetime
) -> list[tuple[str, dt.datetime, int]]:
    """Points the program's earn rules gave these members (purchases and bonuses) since `since`: the base of the
    daily cap."""
    rows = await conn.fetch(
        """SELECT customer_id, at, points FROM entries
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND kind = 'earn'
              AND reason IN ('purchase', 'bonus') AND at >= $3""",
        workspace,
        sorted(set(customer_ids)),
        since,
    )
    return [(row["customer_id"], row["at"], row["points"]) for row in rows]


async def qualifying_values(
    conn: Connection,
    workspace: str,
    customer_ids: Iterable[str],
    basis: Literal["spend", "points"],
    currency: str,
    window_months: int,
    at: dt.datetime,
) -> dict[str, Decimal]:
    """Each member's rolling qualifying value at `at`: net purchases in the program's currency (refunds subtract;
    an order without a currency is in the program's), or points earned, over the `window_months` before `at`."""
    ids = sorted(set(customer_ids))
    if basis == "spend":
        sql = """SELECT customer_id, sum(greatest(amount - refunded, 0)) AS value FROM orders
                  WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND coalesce(currency, $3) = $3
                    AND at > $5::timestamptz - make_interval(months => $4::integer)
                  GROUP BY customer_id"""
    else:
        sql = """SELECT customer_id, sum(points)::numeric AS value FROM entries
                  WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND kind = 'earn' AND points > 0
                    AND $3::text IS NOT NULL AND at > $5::timestamptz - make_interval(months => $4::integer)
                  GROUP BY customer_id"""
    rows = await conn.fetch(sql, workspace, ids, currency, window_months, at)
    values = {customer_id: Decimal(0) for customer_id in ids}
    values.update({row["customer_id"]: Decimal(row["value"] or 0) for row in rows})
    return values


async def add_daily_totals(conn: Connection, workspace: str, totals: Sequence[DailyTotal]) -> None:
    """Add to the anonymous daily totals (one row per day, summed in place)."""
    if not totals:
        return
    await conn.execute(
        """INSERT INTO daily_totals AS d (workspace, day, earned, redeemed, expired, reversed, erased)
           SELECT $1, day, sum(earned), sum(redeemed), sum(expired), sum(reversed), sum(erased)
             FROM unnest($2::date[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
                  AS u(day, earned, redeemed, expired, reversed, erased)
            GROUP BY day ORDER BY day
           ON CONFLICT (workspace, day) DO UPDATE SET earned = d.earned + excluded.earned,
                  redeemed = d.redeemed + excluded.redeemed, expired = d.expired + excluded.expired,
                  reversed = d.reversed + excluded.reversed, erased = d.erased + excluded.erased""",
        workspace,
        [t.day for t in totals],
        [t.earned for t in totals],
        [t.redeemed for t in totals],
        [t.expired for t in totals],
        [t.reversed for t in totals],
        [t.erased for t in totals],
    )


# -- merges and erasures ------------------------------------------------------------------------------------

LEDGER_TABLES = ("entries", "lots", "orders", "redemptions", "pending_refunds")
# What a fold changes, kept per merge for an undo (runtime.merge_undo): members as they were; ledger rows go
# back to their customer with what happened to them since (a lot spent, a redemption settled).
FOLDED = (
    merge_undo.FoldedTable("members"),
    *(merge_undo.FoldedTable(table, links_only=True) for table in LEDGER_TABLES),
)


async def keep_for_undo(conn: Connection, workspace: str, merge_id: str, survivor_id: str, merged_id: str) -> None:
    await merge_undo.capture(conn, workspace, merge_id, survivor_id, merged_id, FOLDED)


async def restore_merged(
    conn: Connection, workspace: str, merge_id: str, survivor_id: str, restored_id: str, merge_entry_id: str
) -> merge_undo.Restore:
    """Both members and their ledger rows as before the merge; the merge's own entry goes (so merging the two
    again is applied again)."""
    outcome = await merge_undo.restore(conn, workspace, merge_id, survivor_id, restored_id, FOLDED)
    if outcome is merge_undo.Restore.RESTORED:
        await conn.execute(
            "DELETE FROM entries WHERE workspace = $1 AND entry_id = $2 AND customer_id = $3",
            workspace,
            merge_entry_id,
            survivor_id,
        )
    return outcome


async def move_ledger(conn: Connection, workspace: str, merged_id: str, survivor_id: str) -> None:
    """The merged member's entries, lots, orders and redemptions now belong to the survivor."""
    for table in LEDGER_TABLES:
        await conn.execute(
            f"UPDATE {table} SET customer_id = $3 WHERE workspace = $1 AND customer_id = $2",  # noqa: S608 (table names)
            workspace,
            merged_id,
            survivor_id,
        )


async def delete_member(conn: Connection, workspace: str, customer_id: str) -> None:
    await conn.execute("DELETE FROM members WHERE workspace = $1 AND customer_id = $2", workspace, customer_id)


async def existing_members(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, LoyaltyMember]:
    """The members' rows that exist, locked (FOR UPDATE, in id order: no lock cycles) until the transaction ends;
    none is made (lock_members makes them)."""
    rows = await conn.fetch(
        f"""SELECT {_MEMBER_COLUMNS} FROM members WHERE workspace = $1 AND customer_id = ANY($2::text[])
             ORDER BY customer_id FOR UPDATE""",  # noqa: S608 (column names)
        workspace,
        sorted(set(customer_ids)),
    )
    return {row["customer_id"]: _member(row) for row in rows}


async def erase(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    """Every row the ledger holds on these customers, gone."""
    ids = list(customer_ids)
    for table in (*LEDGER_TABLES, "members"):
        await conn.execute(
            f"DELETE FROM {table} WHERE workspace = $1 AND customer_id = ANY($2::text[])",  # noqa: S608 (table names)
            workspace,
            ids,
        )
