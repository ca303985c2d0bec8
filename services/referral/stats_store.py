"""The counts behind a program's numbers for a period [from, to): set-based SQL over touches,
attributions, rewards and purchases (pseudonymised rows of erased customers still count)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from runtime.db import Connection
from services.referral.domain.numbers import Counts


async def program_counts(
    conn: Connection, workspace: str, program_id: str, since: dt.datetime, until: dt.datetime
) -> Counts:
    args = (workspace, since, until)
    funnel = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE action = 'invite_sent') AS invites,
                  count(DISTINCT customer_id) FILTER (WHERE action = 'invite_sent') AS referrers,
                  count(DISTINCT customer_id) FILTER (WHERE action = 'link_clicked') AS clicks,
                  count(DISTINCT customer_id) FILTER (WHERE action = 'signed_up') AS signups
             FROM touches WHERE workspace = $1 AND at >= $2 AND at < $3 AND program_id = $4""",
        *args,
        program_id,
    )
    cost = await conn.fetchval(
        """SELECT coalesce(sum(value), 0) FROM rewards
            WHERE workspace = $1 AND created_at >= $2 AND created_at < $3 AND program_id = $4
              AND kind = 'amount' AND status = 'granted'""",
        *args,
        program_id,
    )
    rows = await conn.fetch(
        """WITH firsts AS (
               SELECT customer_id, min(purchased_at) AS first_at, sum(amount - refunded) AS revenue
                 FROM purchases WHERE workspace = $1 GROUP BY customer_id)
           SELECT f.revenue, a.program_id
             FROM firsts f
             LEFT JOIN attributions a ON a.workspace = $1 AND a.friend_id = f.customer_id AND a.status <> 'rejected'
            WHERE f.first_at >= $2 AND f.first_at < $3""",
        *args,
    )
    referred: list[Decimal] = [r["revenue"] for r in rows if r["program_id"] == program_id]
    others: list[Decimal] = [r["revenue"] for r in rows if r["program_id"] is None]
    assert funnel is not None
    return Counts(
        new_customers=len(rows),
        referred_new_customers=len(referred),
        invites=funnel["invites"],
        referrers=funnel["referrers"],
        clicks=funnel["clicks"],
        signups=funnel["signups"],
        reward_cost=Decimal(cost),
        referred_revenues=referred,
        other_revenues=others,
    )


@dataclass(frozen=True)
class NewCustomers:
    """Customers whose first purchase fell in a period, and how many of them a referral brought."""

    new_customers: int
    referred_new_customers: int
    reward_cost: Decimal = Decimal(0)


async def workspace_counts(conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime) -> NewCustomers:
    """New customers (first purchase in [since, until)) and how many of them a referral brought, across
    every program (an attribution not rejected counts; a friend is attributed to one program at most), and the
    reward cost: money (amount rewards) granted in the period and not reversed, summed over every program (as
    each program's stats count it)."""
    row = await conn.fetchrow(
        """WITH firsts AS (
               SELECT customer_id FROM purchases WHERE workspace = $1
                GROUP BY customer_id HAVING min(purchased_at) >= $2 AND min(purchased_at) < $3)
           SELECT count(*) AS new_customers,
                  count(*) FILTER (WHERE EXISTS (
                      SELECT 1 FROM attributions a
                       WHERE a.workspace = $1 AND a.friend_id = f.customer_id AND a.status <> 'rejected'))
                      AS referred_new_customers,
                  (SELECT coalesce(sum(r.value), 0) FROM rewards r
                    WHERE r.workspace = $1 AND r.created_at >= $2 AND r.created_at < $3
                      AND r.kind = 'amount' AND r.status = 'granted') AS reward_cost
             FROM firsts f""",
        workspace,
        since,
        until,
    )
    assert row is not None
    return NewCustomers(row["new_customers"], row["referred_new_customers"], Decimal(row["reward_cost"]))
