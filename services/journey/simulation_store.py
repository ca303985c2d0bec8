"""Journey's SQL for dry runs (read only: a simulation writes nothing) and for the measured lift of a journey.

Lift: each customer counts once per journey, by their first enrolment (any version); `held_out` is the engine's
holdout assignment (domain/assignment.py) recorded on it. Revenue per customer is the sum of the customer's
purchases (journey_purchases, from resolved `purchase` events) at or after entry and before entry + the window;
the groups' sizes, conversions, revenue sums and sums of squares are computed in SQL, never by loading rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from runtime.db import Connection
from services.journey.domain.caps import Counted
from services.journey.domain.lift import GroupSums


async def recent_messages(
    conn: Connection, workspace: str, customer_ids: Iterable[str], since: dt.datetime, until: dt.datetime
) -> dict[str, list[Counted]]:
    """The messages really sent to these customers in (since, until], oldest first, as caps count them (no lock,
    unlike cap_store.lock_and_count: a simulation sends nothing)."""
    rows = await conn.fetch(
        """SELECT customer_id, sent_at, channel, journey_id FROM messages_sent
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND sent_at > $3 AND sent_at <= $4
            ORDER BY customer_id, sent_at""",
        workspace,
        sorted(set(customer_ids)),
        since,
        until,
    )
    sent: dict[str, list[Counted]] = {}
    for r in rows:
        sent.setdefault(r["customer_id"], []).append(Counted(r["sent_at"], r["channel"], r["journey_id"]))
    return sent


# --- purchases and lift ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JourneyPurchase:
    event_id: str
    customer_id: str
    amount: Decimal
    occurred_at: dt.datetime


async def record_purchases(conn: Connection, workspace: str, purchases: Sequence[JourneyPurchase]) -> None:
    """Keep each purchase once (by event id)."""
    if purchases:
        await conn.execute(
            """INSERT INTO journey_purchases (workspace, event_id, customer_id, amount, occurred_at)
               SELECT $1, e, c, a, t FROM unnest($2::text[], $3::text[], $4::numeric[], $5::timestamptz[])
                      AS x(e, c, a, t)
               ON CONFLICT DO NOTHING""",
            workspace,
            [p.event_id for p in purchases],
            [p.customer_id for p in purchases],
            [p.amount for p in purchases],
            [p.occurred_at for p in purchases],
        )


async def merge_purchases(conn: Connection, workspace: str, survivor_id: str, merged_id: str) -> None:
    """The merged customer's purchases become the survivor's (each noting whose it was, for an undo)."""
    await conn.execute(
        """UPDATE journey_purchases SET customer_id = $2, merged_from = coalesce(merged_from, $3)
            WHERE workspace = $1 AND customer_id = $3""",
        workspace,
        survivor_id,
        merged_id,
    )


async def unmerge_purchases(
    conn: Connection, workspace: str, survivor_id: str, restored_id: str, restored_event_ids: Sequence[str]
) -> None:
    """An undone merge (profile.unmerged): the purchases the merge took from the restored customer, and those since
    that profile says were theirs (`restored_event_ids`), go back to them."""
    await conn.execute(
        """UPDATE journey_purchases SET customer_id = $3, merged_from = NULL
            WHERE workspace = $1 AND customer_id = $2 AND (merged_from = $3 OR event_id = ANY($4::text[]))""",
        workspace,
        survivor_id,
        restored_id,
        list(restored_event_ids),
    )


async def erase_purchases(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    await conn.execute(
        "DELETE FROM journey_purchases WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        list(customer_ids),
    )


async def lift_sums(
    conn: Connection, workspace: str, journey_id: str, window: dt.timedelta, as_of: dt.datetime
) -> dict[bool, GroupSums]:
    """By held out (True) or enrolled (False): customers (by their first enrolment in the journey), conversions,
    and the sum and sum of squares of each one's purchases in [entry, entry + window) up to `as_of`. One query."""
    rows = await conn.fetch(
        """WITH firsts AS (
               SELECT DISTINCT ON (customer_id) customer_id, holdout, entered_at, status
                 FROM enrolments WHERE workspace = $1 AND journey_id = $2
                ORDER BY customer_id, entered_at, enrolment_id),
           per AS (
               SELECT f.holdout, f.status = 'converted' AS converted,
                      coalesce((SELECT sum(p.amount) FROM journey_purchases p
                                 WHERE p.workspace = $1 AND p.customer_id = f.customer_id
                                   AND p.occurred_at >= f.entered_at AND p.occurred_at < f.entered_at + $3::interval
                                   AND p.occurred_at <= $4), 0) AS revenue
                 FROM firsts f)
           SELECT holdout, count(*) AS n, count(*) FILTER (WHERE converted) AS converted,
                  sum(revenue) AS revenue, sum(revenue * revenue) AS squares
             FROM per GROUP BY holdout""",
        workspace,
        journey_id,
        window,
        as_of,
    )
    sums = {held: GroupSums(0, 0, Decimal(0), Decimal(0)) for held in (False, True)}
    for r in rows:
        sums[r["holdout"]] = GroupSums(r["n"], r["converted"], r["revenue"], r["squares"])
    return sums
