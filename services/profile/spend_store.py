"""Profile's SQL for marketing spend: rows per day, channel and campaign (a re-sent row replaces the one before),
a workspace's rows page by page, the spend per channel and campaign over a period (the acquisition report's), and
the quota `marketing_spend_rows` on how many rows a workspace holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from contracts.http.profile import SpendPage, SpendRow, SpendRowIn, SpendTotal, SpendTotals
from runtime import quotas
from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor

NO_CAMPAIGN = ""  # how a row without a campaign is keyed (the API never takes an empty campaign)


@dataclass(frozen=True)
class Stored:
    stored: int
    replaced: int


def _distinct(rows: Sequence[SpendRowIn]) -> list[SpendRowIn]:
    """The rows by key, the last of a request winning (as if sent one after the other)."""
    by_key = {(r.date, r.channel, r.campaign or NO_CAMPAIGN): r for r in rows}
    return list(by_key.values())


async def put_rows(conn: Connection, workspace: str, rows: Sequence[SpendRowIn], quota: int) -> Stored:
    """Store `rows` in one statement, replacing those sent before for the same key; new keys must fit the
    workspace's quota `marketing_spend_rows` (QuotaExceeded, a 409, and nothing stored when they do not)."""
    distinct = _distinct(rows)
    dates = [r.date for r in distinct]
    channels = [r.channel for r in distinct]
    campaigns = [r.campaign or NO_CAMPAIGN for r in distinct]
    async with conn.transaction():
        await quotas.MARKETING_SPEND_ROWS.lock(conn, workspace)
        existing: int = await conn.fetchval(
            """SELECT count(*) FROM marketing_spend s
                 JOIN unnest($2::date[], $3::text[], $4::text[]) AS k(spend_date, channel, campaign)
                   ON (s.spend_date, s.channel, s.campaign) = (k.spend_date, k.channel, k.campaign)
                WHERE s.workspace = $1""",
            workspace,
            dates,
            channels,
            campaigns,
        )
        adding = len(distinct) - existing
        if adding:
            usage = quotas.MARKETING_SPEND_ROWS.usage(quota, await count_rows(conn, workspace))
            quotas.check(usage, adding)
        await conn.execute(
            """INSERT INTO marketing_spend (workspace, spend_date, channel, campaign, amount, currency)
               SELECT $1, * FROM unnest($2::date[], $3::text[], $4::text[], $5::numeric[], $6::text[])
               ON CONFLICT (workspace, spend_date, channel, campaign) DO UPDATE
                  SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_at = now()
                WHERE (marketing_spend.amount, marketing_spend.currency)
                      IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.currency)""",
            workspace,
            dates,
            channels,
            campaigns,
            [r.amount for r in distinct],
            [r.currency for r in distinct],
        )
    return Stored(stored=len(distinct), replaced=existing)


async def count_rows(conn: Connection, workspace: str) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM marketing_spend WHERE workspace = $1", workspace)
    return count


async def page(
    conn: Connection, workspace: str, since: date | None, until: date | None, limit: int, cursor: str | None
) -> SpendPage:
    """The workspace's rows with dates in [since, until) (either open), by date, channel and campaign."""
    after: tuple[date, str, str] | None = None
    if cursor:
        day, channel, campaign = decode_cursor(cursor, 3)
        try:
            after = (date.fromisoformat(day), channel, campaign)
        except ValueError:
            raise BadCursor() from None
    rows = await conn.fetch(
        """SELECT spend_date, channel, campaign, amount, currency, updated_at FROM marketing_spend
            WHERE workspace = $1
              AND ($2::date IS NULL OR spend_date >= $2) AND ($3::date IS NULL OR spend_date < $3)
              AND ($4::date IS NULL OR (spend_date, channel, campaign) > ($4, $5, $6))
            ORDER BY spend_date, channel, campaign
            LIMIT $7""",
        workspace,
        since,
        until,
        after[0] if after else None,
        after[1] if after else None,
        after[2] if after else None,
        limit + 1,
    )
    items = [
        SpendRow(
            date=r["spend_date"],
            channel=r["channel"],
            campaign=r["campaign"] or None,
            amount=str(r["amount"]),
            currency=r["currency"],
            updated_at=r["updated_at"],
        )
        for r in rows[:limit]
    ]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(last["spend_date"].isoformat(), last["channel"], last["campaign"])
    return SpendPage(items=items, next_cursor=next_cursor)


async def totals(conn: Connection, workspace: str, since: date, until: date) -> SpendTotals:
    """Spend per channel, campaign and currency over the days [since, until), summed in SQL."""
    rows = await conn.fetch(
        """SELECT channel, campaign, currency, sum(amount) AS amount FROM marketing_spend
            WHERE workspace = $1 AND spend_date >= $2 AND spend_date < $3
            GROUP BY channel, campaign, currency
            ORDER BY channel, campaign, currency NULLS FIRST""",
        workspace,
        since,
        until,
    )
    items = [
        SpendTotal(
            channel=r["channel"], campaign=r["campaign"] or None, currency=r["currency"], amount=str(r["amount"])
        )
        for r in rows
    ]
    return SpendTotals(from_=since, to=until, items=items)
