"""Profile's SQL for ingestion: every statement works on a whole batch (arrays in, set-based SQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson

from contracts.traits import merge_traits
from runtime import erasures
from runtime.db import Connection
from services.profile import merge_store
from services.profile.domain import (
    Acquisition,
    Identifier,
    Merge,
    StatsDelta,
    acquisition_of,
)
from services.profile.view_store import touches_of

CustomerKey = tuple[str, str]  # (workspace, customer_id)


class ConcurrentChange(Exception):
    """Another transaction changed an identity this batch relies on; the batch is retried and then
    sees that change."""


async def load_links(
    conn: Connection, workspace: str, identifiers: Iterable[Identifier]
) -> list[tuple[Identifier, str, dt.datetime]]:
    """The stored links of these identifiers, their profiles locked until commit (in id order, so two
    batches never deadlock on them): no merge or erasure can change those profiles under this batch."""
    return (await load_identities(conn, workspace, identifiers)).links


@dataclass(frozen=True)
class Identities:
    links: list[tuple[Identifier, str, dt.datetime]]
    apart: list[tuple[str, str]]  # pairs of the linked profiles an undone merge split (never merged again)
    # Other identifiers the linked profiles hold, of the kinds asked for, at most two per profile and kind (what the
    # weak-identifier rule of services/profile/guard.py needs to tell one value from two).
    held: list[tuple[Identifier, str, dt.datetime]] = field(default_factory=list)


_LINKS_SQL = """SELECT i.kind, i.value, i.customer_id, c.first_seen_at,
                       c.merged_into IS NULL AND c.erased_at IS NULL AS live, c.split_at IS NOT NULL AS split
                  FROM unnest($2::text[], $3::text[]) AS q(kind, value)
                  JOIN identifiers i ON i.workspace = $1 AND i.kind = q.kind AND i.value = q.value
                  JOIN customers c ON c.workspace = i.workspace AND c.customer_id = i.customer_id
                 ORDER BY c.customer_id
                   FOR UPDATE OF c"""


_HELD_SQL = """SELECT kind, value, customer_id FROM (
                      SELECT kind, value, customer_id,
                             row_number() OVER (PARTITION BY customer_id, kind ORDER BY value) AS n
                        FROM identifiers
                       WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND kind = ANY($3::text[])) h
                 WHERE n <= 2"""


async def load_identities(
    conn: Connection, workspace: str, identifiers: Iterable[Identifier], held_kinds: Sequence[str] = ()
) -> Identities:
    """load_links, with the pairs of those profiles kept apart, and (with `held_kinds`) up to two identifiers of
    each of those kinds every linked profile holds (one more statement for the batch, on profiles already locked).
    A profile an undone merge split is read again once locked: the undo may have moved identifiers away while this
    batch waited for the lock (the first read joined the links as they were before), and the second statement sees
    them as they are."""
    wanted = list(set(identifiers))
    args = (workspace, [kind for kind, _ in wanted], [value for _, value in wanted])
    rows = await conn.fetch(_LINKS_SQL, *args)
    apart: list[tuple[str, str]] = []
    if any(r["split"] for r in rows):
        rows = await conn.fetch(_LINKS_SQL, *args)
        split = list({r["customer_id"] for r in rows if r["split"]})
        apart = [
            (r["customer_id"], r["other_id"])
            for r in await conn.fetch(
                "SELECT customer_id, other_id FROM kept_apart WHERE workspace = $1 AND customer_id = ANY($2::text[])",
                workspace,
                split,
            )
        ]
    if not all(r["live"] for r in rows):
        raise ConcurrentChange("a profile was merged or erased while this batch resolved identities")
    links = [((r["kind"], r["value"]), r["customer_id"], r["first_seen_at"]) for r in rows]
    held: list[tuple[Identifier, str, dt.datetime]] = []
    if held_kinds and links:
        first_seen = {customer_id: at for _, customer_id, at in links}
        known = {identifier for identifier, _, _ in links}
        held = [
            ((r["kind"], r["value"]), r["customer_id"], first_seen[r["customer_id"]])
            for r in await conn.fetch(_HELD_SQL, workspace, sorted(first_seen), list(held_kinds))
            if (r["kind"], r["value"]) not in known
        ]
    return Identities(links, apart, held)


STATS_COLUMNS = [
    "orders",
    "revenue",
    "first_purchase_at",
    "second_purchase_at",
    "last_purchase_at",
    "visits",
    "last_visit_at",
    "csat_sum",
    "csat_count",
    "last_nps",
    "last_nps_at",
    "first_seen_at",
    "last_event_at",
    "first_purchase_channel",
    "first_utm_at",
    "first_utm_source",
    "first_utm_campaign",
]


def _stats_values(d: StatsDelta) -> tuple[Any, ...]:
    return (
        d.orders,
        d.revenue,
        d.first_purchase_at,
        d.second_purchase_at,
        d.last_purchase_at,
        d.visits,
        d.last_visit_at,
        d.csat_sum,
        d.csat_count,
        d.last_nps,
        d.last_nps_at,
        d.first_seen_at,
        d.last_event_at,
        d.first_purchase_channel,
        d.first_utm.at if d.first_utm else None,
        d.first_utm.source if d.first_utm else None,
        d.first_utm.campaign if d.first_utm else None,
    )


async def insert_customers(conn: Connection, workspace: str, created: Mapping[str, StatsDelta]) -> None:
    """New profiles with the stats of their first events (ids are new, so COPY never conflicts)."""
    if created:
        await conn.copy_records_to_table(
            "customers",
            columns=["workspace", "customer_id", *STATS_COLUMNS],
            records=[(workspace, customer_id, *_stats_values(d)) for customer_id, d in created.items()],
        )


async def insert_links(conn: Connection, workspace: str, links: Mapping[Identifier, str]) -> None:
    """Link new identifiers. One that a concurrent batch linked first makes this batch start over (it
    will then resolve to that profile), so an identifier never belongs to two profiles."""
    if links:
        inserted = await conn.fetch(
            """INSERT INTO identifiers (workspace, kind, value, customer_id)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING
               RETURNING kind""",
            workspace,
            [kind for kind, _ in links],
            [value for _, value in links],
            list(links.values()),
        )
        if len(inserted) != len(links):
            raise ConcurrentChange("an identifier was linked by a concurrent batch")


# How two sets of stats combine (c: the stored row, x: what is added): sums add, first/last keep the
# extreme, the last NPS is the latest by event time, the acquisition touches (first purchase's channel, first utm)
# the earliest by event time, ties broken by value (domain.StatsDelta does the same within a batch). Used for batch
# deltas and for merges alike.
COMBINE_STATS = """
    orders = c.orders + x.orders, revenue = c.revenue + x.revenue,
    first_purchase_channel = CASE
        WHEN x.first_purchase_at IS NOT NULL AND (c.first_purchase_at IS NULL
             OR (x.first_purchase_at, coalesce(x.first_purchase_channel, ''))
              < (c.first_purchase_at, coalesce(c.first_purchase_channel, '')))
        THEN x.first_purchase_channel ELSE c.first_purchase_channel END,
    first_utm_source = CASE WHEN x.first_utm_at IS NOT NULL AND (c.first_utm_at IS NULL
             OR (x.first_utm_at, x.first_utm_source, coalesce(x.first_utm_campaign, ''))
              < (c.first_utm_at, c.first_utm_source, coalesce(c.first_utm_campaign, '')))
        THEN x.first_utm_source ELSE c.first_utm_source END,
    first_utm_campaign = CASE WHEN x.first_utm_at IS NOT NULL AND (c.first_utm_at IS NULL
             OR (x.first_utm_at, x.first_utm_source, coalesce(x.first_utm_campaign, ''))
              < (c.first_utm_at, c.first_utm_source, coalesce(c.first_utm_campaign, '')))
        THEN x.first_utm_campaign ELSE c.first_utm_campaign END,
    first_utm_at = LEAST(c.first_utm_at, x.first_utm_at),
    -- The second smallest of both sets of order times: min(the larger first, either second).
    second_purchase_at = CASE WHEN c.first_purchase_at IS NULL THEN x.second_purchase_at
                              WHEN x.first_purchase_at IS NULL THEN c.second_purchase_at
                              ELSE LEAST(GREATEST(c.first_purchase_at, x.first_purchase_at),
                                         c.second_purchase_at, x.second_purchase_at) END,
    first_purchase_at = LEAST(c.first_purchase_at, x.first_purchase_at),
    last_purchase_at = GREATEST(c.last_purchase_at, x.last_purchase_at),
    visits = c.visits + x.visits, last_visit_at = GREATEST(c.last_visit_at, x.last_visit_at),
    csat_sum = c.csat_sum + x.csat_sum, csat_count = c.csat_count + x.csat_count,
    last_nps = CASE WHEN (x.last_nps_at, x.last_nps) > (c.last_nps_at, c.last_nps) OR c.last_nps_at IS NULL
                    THEN COALESCE(x.last_nps, c.last_nps) ELSE c.last_nps END,
    last_nps_at = GREATEST(c.last_nps_at, x.last_nps_at),
    first_seen_at = LEAST(c.first_seen_at, x.first_seen_at),
    last_event_at = GREATEST(c.last_event_at, x.last_event_at),
    updated_at = now()"""

# The referral attribution a profile keeps: the earliest by first touch (ties: by program id).
COMBINE_REFERRAL = """
    referral_program_id = CASE WHEN x.referral_at IS NOT NULL AND (c.referral_at IS NULL
             OR (x.referral_at, x.referral_program_id) < (c.referral_at, c.referral_program_id))
        THEN x.referral_program_id ELSE c.referral_program_id END,
    referral_at = LEAST(c.referral_at, x.referral_at)"""


async def apply_merge(conn: Connection, workspace: str, merge: Merge) -> None:
    """Fold a stored profile into the survivor: facts move, stats and traits combine, the old id redirects. The
    merge is recorded (merge_store) with what an undo needs: the identifiers the merged profile owned, and what
    each side held beside its events' facts."""
    survivor, merged = merge.survivor_id, merge.merged_id
    owned = await conn.fetch(
        "UPDATE identifiers SET customer_id = $3 WHERE workspace = $1 AND customer_id = $2 RETURNING kind, value",
        workspace,
        merged,
        survivor,
    )
    for table in ("timeline", "orders", "refunds", "tickets", "survey_answers"):
        await conn.execute(
            f"UPDATE {table} SET customer_id = $3 WHERE workspace = $1 AND customer_id = $2",  # noqa: S608
            workspace,
            merged,
            survivor,
        )
    snapshots = await merge_store.snapshots(conn, workspace, [survivor, merged])
    traits, times = merge_traits(
        (snapshots[survivor].traits, snapshots[survivor].trait_times),
        (snapshots[merged].traits, snapshots[merged].trait_times),
    )
    await conn.execute(
        f"""UPDATE customers c SET
               traits = $4, trait_times = $5,
               tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || x.tags) AS t ORDER BY t), {COMBINE_STATS},
               {COMBINE_REFERRAL}
             FROM customers x
            WHERE c.workspace = $1 AND c.customer_id = $3 AND x.workspace = $1 AND x.customer_id = $2""",  # noqa: S608
        workspace,
        merged,
        survivor,
        traits,
        times,
    )
    await conn.execute(
        """UPDATE customers SET merged_into = $3, updated_at = now()
            WHERE workspace = $1 AND (customer_id = $2 OR merged_into = $2)""",
        workspace,
        merged,
        survivor,
    )
    await _clear_profile(conn, workspace, [merged])
    owned_identifiers: list[Identifier] = [(r["kind"], r["value"]) for r in owned]
    await merge_store.record_merge(conn, workspace, merge, owned_identifiers, snapshots[survivor], snapshots[merged])


async def _clear_profile(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    await conn.execute(
        """UPDATE customers SET traits = '{}', trait_times = '{}', tags = '{}', orders = 0, revenue = 0,
               first_purchase_at = NULL, second_purchase_at = NULL, last_purchase_at = NULL, visits = 0,
               last_visit_at = NULL, open_tickets = 0, last_nps = NULL, last_nps_at = NULL, csat_sum = 0,
               csat_count = 0,
               first_purchase_channel = NULL, first_utm_at = NULL, first_utm_source = NULL,
               first_utm_campaign = NULL, referral_program_id = NULL, referral_at = NULL,
               updated_at = now()
            WHERE workspace = $1 AND customer_id = ANY($2)""",
        workspace,
        list(customer_ids),
    )


# (event_id, customer_id, type, occurred_at, source, the event's JSON as received)
TimelineRow = tuple[str, str, str, dt.datetime, str, bytes]


async def insert_timeline(conn: Connection, workspace: str, rows: Sequence[TimelineRow]) -> None:
    if rows:
        await conn.copy_records_to_table(
            "timeline",
            columns=["workspace", "event_id", "customer_id", "type", "occurred_at", "source", "event"],
            records=[(workspace, *row) for row in rows],
        )


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    customer_id: str
    event_id: str
    amount: Decimal
    currency: str | None
    occurred_at: dt.datetime


async def insert_orders(conn: Connection, workspace: str, rows: Sequence[OrderRow]) -> set[str]:
    """Returns the event ids whose order was new (a repeated order_id is not counted twice)."""
    if not rows:
        return set()
    inserted = await conn.fetch(
        """INSERT INTO orders (workspace, order_id, customer_id, event_id, amount, currency, occurred_at)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::timestamptz[])
           ON CONFLICT DO NOTHING RETURNING event_id""",
        workspace,
        [r.order_id for r in rows],
        [r.customer_id for r in rows],
        [r.event_id for r in rows],
        [r.amount for r in rows],
        [r.currency for r in rows],
        [r.occurred_at for r in rows],
    )
    return {r["event_id"] for r in inserted}


async def insert_refunds(conn: Connection, workspace: str, rows: Sequence[OrderRow]) -> None:
    if rows:
        await conn.execute(
            """INSERT INTO refunds (workspace, order_id, customer_id, event_id, amount, occurred_at)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::timestamptz[])
               ON CONFLICT DO NOTHING""",
            workspace,
            [r.order_id for r in rows],
            [r.customer_id for r in rows],
            [r.event_id for r in rows],
            [r.amount for r in rows],
            [r.occurred_at for r in rows],
        )


async def upsert_tickets(conn: Connection, workspace: str, latest: Mapping[str, tuple[str, str, dt.datetime]]) -> None:
    """`latest`: ticket_id -> (customer_id, status, at); an older status never replaces a newer one."""
    if latest:
        await conn.execute(
            """INSERT INTO tickets (workspace, ticket_id, customer_id, status, status_at)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[])
               ON CONFLICT (workspace, ticket_id) DO UPDATE
                  SET status = EXCLUDED.status, status_at = EXCLUDED.status_at, customer_id = EXCLUDED.customer_id
                WHERE tickets.status_at <= EXCLUDED.status_at""",
            workspace,
            list(latest),
            [v[0] for v in latest.values()],
            [v[1] for v in latest.values()],
            [v[2] for v in latest.values()],
        )


async def apply_stats(conn: Connection, workspace: str, deltas: Mapping[str, StatsDelta]) -> None:
    if not deltas:
        return
    columns = list(zip(*(_stats_values(d) for d in deltas.values()), strict=True))
    await conn.execute(
        f"""UPDATE customers c SET {COMBINE_STATS}
             FROM unnest($2::text[], $3::int[], $4::numeric[], $5::timestamptz[], $6::timestamptz[],
                         $7::timestamptz[], $8::int[], $9::timestamptz[], $10::int[], $11::int[], $12::smallint[],
                         $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::text[],
                         $17::timestamptz[], $18::text[], $19::text[])
                  AS x(customer_id, orders, revenue, first_purchase_at, second_purchase_at, last_purchase_at, visits,
                       last_visit_at,
                       csat_sum, csat_count, last_nps, last_nps_at, first_seen_at, last_event_at,
                       first_purchase_channel, first_utm_at, first_utm_source, first_utm_campaign)
            WHERE c.workspace = $1 AND c.customer_id = x.customer_id""",  # noqa: S608
        workspace,
        list(deltas),
        *columns,
    )


async def recount_open_tickets(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> None:
    ids = list(set(customer_ids))
    if ids:
        await conn.execute(
            """UPDATE customers c SET open_tickets = (
                   SELECT count(*) FROM tickets t
                    WHERE t.workspace = c.workspace AND t.customer_id = c.customer_id AND t.status = 'opened')
                WHERE c.workspace = $1 AND c.customer_id = ANY($2)""",
            workspace,
            ids,
        )


async def load_traits(
    conn: Connection, workspace: str, customer_ids: Iterable[str]
) -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
    rows = await conn.fetch(
        "SELECT customer_id, traits, trait_times FROM customers WHERE workspace = $1 AND customer_id = ANY($2)",
        workspace,
        list(set(customer_ids)),
    )
    return {r["customer_id"]: (r["traits"], r["trait_times"]) for r in rows}


async def load_trait_names(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, set[str]]:
    """The names of the traits each of these customers holds."""
    rows = await conn.fetch(
        """SELECT customer_id, ARRAY(SELECT jsonb_object_keys(traits)) AS names FROM customers
            WHERE workspace = $1 AND customer_id = ANY($2)""",
        workspace,
        list(set(customer_ids)),
    )
    return {r["customer_id"]: set(r["names"]) for r in rows}


async def save_traits(
    conn: Connection, workspace: str, traits: Mapping[str, tuple[dict[str, Any], dict[str, str]]]
) -> None:
    if traits:
        await conn.execute(
            """UPDATE customers c SET traits = x.traits, trait_times = x.times, updated_at = now()
                 FROM unnest($2::text[], $3::jsonb[], $4::jsonb[]) AS x(customer_id, traits, times)
                WHERE c.workspace = $1 AND c.customer_id = x.customer_id""",
            workspace,
            list(traits),
            [t for t, _ in traits.values()],
            [times for _, times in traits.values()],
        )


async def load_acquisitions(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, Acquisition]:
    """The acquisition source decided for each of these live customers now (merged, erased, unknown: absent)."""
    rows = await conn.fetch(
        """SELECT customer_id, first_utm_at, first_utm_source, first_utm_campaign, first_purchase_at,
                  first_purchase_channel, referral_program_id, referral_at
             FROM customers
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND merged_into IS NULL AND erased_at IS NULL""",
        workspace,
        list(set(customer_ids)),
    )
    return {r["customer_id"]: acquisition_of(touches_of(r)) for r in rows}


async def resolve_id(conn: Connection, workspace: str, customer_id: str) -> str | None:
    """The live profile an id stands for (itself, or the survivor it was merged into); None if unknown/erased."""
    row = await conn.fetchrow(
        """SELECT COALESCE(c.merged_into, c.customer_id) AS live, s.erased_at
             FROM customers c
             LEFT JOIN customers s
                    ON s.workspace = c.workspace AND s.customer_id = COALESCE(c.merged_into, c.customer_id)
            WHERE c.workspace = $1 AND c.customer_id = $2""",
        workspace,
        customer_id,
    )
    if row is None or row["erased_at"] is not None:
        return None
    live: str = row["live"]
    return live


@dataclass(frozen=True)
class Erased:
    customer_ids: list[str]  # the customer and the profiles merged into it
    identifiers: list[Identifier]  # what identified them, for the erasure ledger


async def erase_customer(conn: Connection, workspace: str, customer_id: str) -> Erased:
    """Delete every personal fact of the customer and of the profiles merged into it.

    What stays is an id-only tombstone per id (so a late event or request for it answers 404, not a
    fresh profile under the old id). Returns the erased ids and the identifiers they had.
    """
    ids = [
        r["customer_id"]
        for r in await conn.fetch(
            """SELECT customer_id FROM customers WHERE workspace = $1 AND (customer_id = $2 OR merged_into = $2)
                ORDER BY customer_id FOR UPDATE""",
            workspace,
            customer_id,
        )
    ]
    identifiers = await conn.fetch(
        "DELETE FROM identifiers WHERE workspace = $1 AND customer_id = ANY($2) RETURNING kind, value", workspace, ids
    )
    await erasures.delete_rows(conn, workspace, ("timeline", "orders", "refunds", "tickets", "survey_answers"), ids)
    await _clear_profile(conn, workspace, ids)
    await merge_store.erase_merges(conn, workspace, ids)
    await conn.execute(
        "UPDATE customers SET erased_at = now(), last_event_at = NULL WHERE workspace = $1 AND customer_id = ANY($2)",
        workspace,
        ids,
    )
    return Erased(ids, [(r["kind"], r["value"]) for r in identifiers])


async def change_tags(conn: Connection, workspace: str, changes: Mapping[str, tuple[set[str], set[str]]]) -> None:
    """(tags to add, tags to remove) per customer; the result is kept sorted and without repeats. The tag
    lists travel as JSON arrays: asyncpg cannot send an array of text arrays of different lengths."""
    if changes:
        await conn.execute(
            """UPDATE customers c
                  SET tags = ARRAY(
                          SELECT DISTINCT t FROM unnest(c.tags || ARRAY(SELECT jsonb_array_elements_text(x.a))) AS t
                           WHERE NOT t = ANY(ARRAY(SELECT jsonb_array_elements_text(x.r))) ORDER BY t),
                      updated_at = now()
                 FROM unnest($2::text[], $3::jsonb[], $4::jsonb[]) AS x(customer_id, a, r)
                WHERE c.workspace = $1 AND c.customer_id = x.customer_id""",
            workspace,
            list(changes),
            [orjson.dumps(sorted(add)) for add, _ in changes.values()],
            [orjson.dumps(sorted(remove)) for _, remove in changes.values()],
        )


@dataclass(frozen=True)
class ReferralRow:
    customer_id: str  # as the referral service knows them: the live profile may be a survivor it was merged into
    program_id: str
    at: dt.datetime  # the attribution's first touch


async def lock_referred(conn: Connection, workspace: str, rows: Sequence[ReferralRow]) -> list[str]:
    """Lock the live profiles these attributions land on (in id order), and return their ids: one merged meanwhile
    makes the batch start over (ConcurrentChange), so an attribution never lands on a profile a concurrent merge
    has just cleared."""
    if not rows:
        return []
    locked = await conn.fetch(
        """SELECT c.customer_id, c.merged_into IS NULL AS live FROM customers c
            WHERE c.workspace = $1 AND c.erased_at IS NULL
              AND c.customer_id IN (SELECT COALESCE(m.merged_into, m.customer_id) FROM customers m
                                     WHERE m.workspace = $1 AND m.customer_id = ANY($2::text[]))
            ORDER BY c.customer_id
              FOR UPDATE OF c""",
        workspace,
        list({r.customer_id for r in rows}),
    )
    if not all(r["live"] for r in locked):
        raise ConcurrentChange("a profile was merged while this batch recorded referral attributions")
    return [r["customer_id"] for r in locked]


async def record_referrals(conn: Connection, workspace: str, rows: Sequence[ReferralRow]) -> list[str]:
    """Keep each customer's earliest referral attribution, on the live profile each id stands for (itself, or
    the survivor it was merged into); unknown and erased customers have nothing to keep. The profiles are locked
    first (lock_referred; again if the caller did already). Returns the live ids."""
    live = await lock_referred(conn, workspace, rows)
    if not live:
        return live
    await conn.execute(
        f"""UPDATE customers c SET {COMBINE_REFERRAL}, updated_at = now()
              FROM (SELECT DISTINCT ON (live) live, q.referral_program_id, q.referral_at
                      FROM unnest($2::text[], $3::text[], $4::timestamptz[])
                           AS q(customer_id, referral_program_id, referral_at)
                      JOIN customers m ON m.workspace = $1 AND m.customer_id = q.customer_id,
                           LATERAL (SELECT COALESCE(m.merged_into, m.customer_id) AS live) AS l
                     ORDER BY live, q.referral_at, q.referral_program_id) AS x
             WHERE c.workspace = $1 AND c.customer_id = x.live AND c.erased_at IS NULL""",  # noqa: S608 (constants)
        workspace,
        [r.customer_id for r in rows],
        [r.program_id for r in rows],
        [r.at for r in rows],
    )
    return live
