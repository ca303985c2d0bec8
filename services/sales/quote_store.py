"""Quotes: SQL for one quote (made, read, decided, accepted) and the list of a workspace's quotes with the deal
each is for, one query a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from runtime.db import Connection
from services.sales.domain.quotes import QuoteStatus

QUOTE_COLUMNS = (
    "quote_id, deal_id, lines, discount_percent, threshold_percent, subtotal, total, currency, status, approver, "
    "approver_key_id, decision_comment, decided_at, accepted_at, created_at, requested_by, requested_key_id"
)


@dataclass(frozen=True)
class Quote:
    quote_id: str
    deal_id: str
    lines: list[dict[str, Any]]
    discount_percent: Decimal
    threshold_percent: Decimal  # the workspace threshold when the quote was made
    subtotal: Decimal
    total: Decimal
    currency: str
    status: QuoteStatus
    approver: str | None
    approver_key_id: str | None
    decision_comment: str | None
    decided_at: dt.datetime | None
    accepted_at: dt.datetime | None
    created_at: dt.datetime
    requested_by: str | None = None  # the creating key's owner (None for quotes made before it was kept)
    requested_key_id: str | None = None


@dataclass(frozen=True)
class QuoteSummary:
    quote_id: str
    deal_id: str
    deal_title: str
    deal_owner: str | None
    customer_id: str | None  # None once the customer was erased
    discount_percent: Decimal
    threshold_percent: Decimal
    subtotal: Decimal
    total: Decimal
    currency: str
    status: QuoteStatus
    requested_by: str | None  # the creating key's owner; None for quotes made before it was kept
    approver: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime


async def list_quotes(
    conn: Connection,
    workspace: str,
    limit: int,
    after: tuple[dt.datetime, str] | None,
    *,
    status: str | None = None,
    deal_id: str | None = None,
) -> list[QuoteSummary]:
    """Oldest first by (created_at, quote_id), after the key `after`; one row more than `limit` when there is
    another page. The deal's title, owner and customer come in the same query (a join, not a read per quote)."""
    rows = await conn.fetch(
        """SELECT q.quote_id, q.deal_id, d.title AS deal_title, d.owner AS deal_owner, d.customer_id,
                  q.discount_percent, q.threshold_percent, q.subtotal, q.total, q.currency, q.status,
                  q.requested_by, q.approver, q.decided_at, q.created_at
             FROM quotes q JOIN deals d ON d.workspace = q.workspace AND d.deal_id = q.deal_id
            WHERE q.workspace = $1
              AND ($2::text IS NULL OR q.status = $2) AND ($3::text IS NULL OR q.deal_id = $3)
              AND ($4::timestamptz IS NULL OR (q.created_at, q.quote_id) > ($4, $5::text))
            ORDER BY q.created_at, q.quote_id LIMIT $6""",
        workspace,
        status,
        deal_id,
        after[0] if after else None,
        after[1] if after else None,
        limit + 1,
    )
    return [QuoteSummary(**row) for row in rows]


async def insert_quote(conn: Connection, workspace: str, quote: dict[str, Any], now: dt.datetime) -> bool:
    inserted = await conn.fetchval(
        """INSERT INTO quotes (workspace, quote_id, deal_id, lines, discount_percent, threshold_percent, subtotal,
                               total, currency, status, created_at, requested_by, requested_key_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (workspace, quote_id) DO NOTHING RETURNING true""",
        workspace,
        quote["quote_id"],
        quote["deal_id"],
        quote["lines"],
        quote["discount_percent"],
        quote["threshold_percent"],
        quote["subtotal"],
        quote["total"],
        quote["currency"],
        quote["status"],
        now,
        quote.get("requested_by"),
        quote.get("requested_key_id"),
    )
    return bool(inserted)


async def get_quote(conn: Connection, workspace: str, quote_id: str, lock: bool = False) -> Quote | None:
    row = await conn.fetchrow(
        f"SELECT {QUOTE_COLUMNS} FROM quotes WHERE workspace = $1 AND quote_id = $2" + (" FOR UPDATE" if lock else ""),  # noqa: S608
        workspace,
        quote_id,
    )
    return Quote(**row) if row else None


async def decide_quote(
    conn: Connection,
    workspace: str,
    quote_id: str,
    decision: str,
    approver: str,
    approver_key_id: str | None,
    comment: str,
    now: dt.datetime,
) -> None:
    await conn.execute(
        """UPDATE quotes SET status = $3, approver = $4, approver_key_id = $5, decision_comment = $6, decided_at = $7
            WHERE workspace = $1 AND quote_id = $2""",
        workspace,
        quote_id,
        decision,
        approver,
        approver_key_id,
        comment,
        now,
    )


async def accept_quote(conn: Connection, workspace: str, quote_id: str, total: Decimal, now: dt.datetime) -> None:
    await conn.execute(
        "UPDATE quotes SET status = 'accepted', accepted_at = $3 WHERE workspace = $1 AND quote_id = $2",
        workspace,
        quote_id,
        now,
    )
    await conn.execute(
        """UPDATE deals SET amount = $3 FROM quotes q
            WHERE deals.workspace = $1 AND q.workspace = $1 AND q.quote_id = $2 AND deals.deal_id = q.deal_id""",
        workspace,
        quote_id,
        total,
    )
