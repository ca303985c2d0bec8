"""The list of a workspace's quotes, with the deal each is for: SQL, one query a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from runtime.db import Connection
from services.sales.domain.quotes import QuoteStatus


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
