"""SQL of loyalty's numbers for the KPI overview: the liability now (members' balances) and, for a period, the
anonymous daily totals (kept after erasure), and members by tier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from runtime.db import Connection


@dataclass(frozen=True)
class LoyaltyCounts:
    members: int
    outstanding_points: int  # every member's positive balance (less debt), summed
    points_earned: int
    points_redeemed: int
    points_expired: int
    members_by_tier: list[tuple[str, int]]


async def counts(conn: Connection, workspace: str, since: dt.date, until: dt.date) -> LoyaltyCounts:
    """Members and outstanding points now; points earned, redeemed and expired on the UTC days [since, until)."""
    now = await conn.fetchrow(
        """SELECT count(*) AS members, coalesce(sum(greatest(balance - debt, 0)), 0) AS outstanding
             FROM members WHERE workspace = $1""",
        workspace,
    )
    period = await conn.fetchrow(
        """SELECT coalesce(sum(earned), 0) AS earned, coalesce(sum(redeemed), 0) AS redeemed,
                  coalesce(sum(expired), 0) AS expired
             FROM daily_totals WHERE workspace = $1 AND day >= $2 AND day < $3""",
        workspace,
        since,
        until,
    )
    tiers = await conn.fetch(
        """SELECT tier, count(*) AS members FROM members WHERE workspace = $1 AND tier IS NOT NULL
            GROUP BY tier ORDER BY tier""",
        workspace,
    )
    assert now is not None and period is not None
    return LoyaltyCounts(
        members=now["members"],
        outstanding_points=int(now["outstanding"]),
        points_earned=int(period["earned"]),
        points_redeemed=int(period["redeemed"]),
        points_expired=int(period["expired"]),
        members_by_tier=[(r["tier"], r["members"]) for r in tiers],
    )
