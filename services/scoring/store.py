"""Scoring's SQL for facts: what resolved events and profile's merges and erasures change in a customer's
model inputs. Every statement works on a whole batch (arrays in, set-based SQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from contracts.traits import Traits, merge_traits
from runtime import erasures, merges
from runtime.db import Connection

# --- facts folded from resolved events -------------------------------------------------------------


@dataclass(frozen=True)
class Purchase:
    customer_id: str
    order_id: str
    amount: Decimal
    at: dt.datetime


@dataclass(frozen=True)
class TicketChange:
    ticket_id: str
    customer_id: str
    status: str
    at: dt.datetime


async def ensure_customers(conn: Connection, workspace: str, first_seen: Mapping[str, dt.datetime]) -> None:
    """Create missing customers, then lock all of them in id order (no deadlock between two batches)."""
    ids = sorted(first_seen)
    await conn.execute(
        """INSERT INTO customers (workspace, customer_id, first_seen_at)
           SELECT $1, * FROM unnest($2::text[], $3::timestamptz[])
           ON CONFLICT (workspace, customer_id) DO UPDATE SET first_seen_at = least(customers.first_seen_at,
               excluded.first_seen_at)""",
        workspace,
        ids,
        [first_seen[c] for c in ids],
    )
    await conn.execute(
        "INSERT INTO workspace_models (workspace) VALUES ($1) ON CONFLICT DO NOTHING",
        workspace,
    )


async def record_purchases(conn: Connection, workspace: str, purchases: Sequence[Purchase]) -> list[Purchase]:
    """Add purchases with an order id not seen before to their customer's purchase days; returns those."""
    if not purchases:
        return []
    rows = await conn.fetch(
        """INSERT INTO orders (workspace, order_id, customer_id)
           SELECT $1, * FROM unnest($2::text[], $3::text[])
           ON CONFLICT DO NOTHING RETURNING order_id""",
        workspace,
        [p.order_id for p in purchases],
        [p.customer_id for p in purchases],
    )
    fresh_ids = {r["order_id"] for r in rows}
    fresh, seen = [], set()
    for p in purchases:
        if p.order_id in fresh_ids and p.order_id not in seen:
            seen.add(p.order_id)
            fresh.append(p)
    days: dict[tuple[str, dt.date], tuple[Decimal, int]] = {}
    for p in fresh:
        key = (p.customer_id, p.at.astimezone(dt.UTC).date())
        amount, count = days.get(key, (Decimal(0), 0))
        days[key] = (amount + p.amount, count + 1)
    await conn.execute(
        """INSERT INTO purchase_days (workspace, customer_id, day, amount, purchases)
           SELECT $1, * FROM unnest($2::text[], $3::date[], $4::numeric[], $5::int[]) ORDER BY 1, 2
           ON CONFLICT (workspace, customer_id, day) DO UPDATE
              SET amount = purchase_days.amount + excluded.amount,
                  purchases = purchase_days.purchases + excluded.purchases""",
        workspace,
        [c for c, _ in days],
        [d for _, d in days],
        [a for a, _ in days.values()],
        [n for _, n in days.values()],
    )
    return fresh


async def record_refunds(conn: Connection, workspace: str, refunded: Mapping[str, Decimal]) -> None:
    await conn.execute(
        """UPDATE customers c SET refunded = c.refunded + r.amount
             FROM unnest($2::text[], $3::numeric[]) AS r(customer_id, amount)
            WHERE c.workspace = $1 AND c.customer_id = r.customer_id""",
        workspace,
        list(refunded),
        list(refunded.values()),
    )


async def record_event_counts(conn: Connection, workspace: str, events: Sequence[tuple[str, str, dt.datetime]]) -> None:
    """Count (customer id, event type, time) per customer, type and UTC hour: one statement for the batch."""
    if not events:
        return
    hours: dict[tuple[str, str, dt.datetime], int] = {}
    for customer_id, event_type, at in events:
        key = (customer_id, event_type, at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0))
        hours[key] = hours.get(key, 0) + 1
    keys = sorted(hours)  # rows locked in one order by every batch
    await conn.execute(
        """INSERT INTO event_counts AS t (workspace, customer_id, type, hour, events)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::int[])
           ON CONFLICT (workspace, customer_id, type, hour) DO UPDATE SET events = t.events + excluded.events""",
        workspace,
        [c for c, _, _ in keys],
        [t for _, t, _ in keys],
        [h for _, _, h in keys],
        [hours[k] for k in keys],
    )


async def record_visits(conn: Connection, workspace: str, visits: Sequence[tuple[str, dt.datetime]]) -> None:
    days: dict[tuple[str, dt.date], int] = {}
    last: dict[str, dt.datetime] = {}
    for customer_id, at in visits:
        key = (customer_id, at.astimezone(dt.UTC).date())
        days[key] = days.get(key, 0) + 1
        last[customer_id] = max(at, last.get(customer_id, at))
    await conn.execute(
        """INSERT INTO visit_days (workspace, customer_id, day, visits)
           SELECT $1, * FROM unnest($2::text[], $3::date[], $4::int[]) ORDER BY 1, 2
           ON CONFLICT (workspace, customer_id, day) DO UPDATE SET visits = visit_days.visits + excluded.visits""",
        workspace,
        [c for c, _ in days],
        [d for _, d in days],
        list(days.values()),
    )
    counts: dict[str, int] = {}
    for (customer_id, _), n in days.items():
        counts[customer_id] = counts.get(customer_id, 0) + n
    await conn.execute(
        """UPDATE customers c SET visits = c.visits + v.n,
                  last_visit_at = greatest(c.last_visit_at, v.last_at)
             FROM unnest($2::text[], $3::int[], $4::timestamptz[]) AS v(customer_id, n, last_at)
            WHERE c.workspace = $1 AND c.customer_id = v.customer_id""",
        workspace,
        list(counts),
        list(counts.values()),
        [last[c] for c in counts],
    )


async def record_tickets(conn: Connection, workspace: str, changes: Sequence[TicketChange]) -> None:
    """Newest status per ticket wins (by event time); then the customers' open-ticket counts are recounted."""
    latest: dict[str, TicketChange] = {}
    for change in changes:
        known = latest.get(change.ticket_id)
        if known is None or change.at >= known.at:
            latest[change.ticket_id] = change
    await conn.execute(
        """INSERT INTO tickets (workspace, ticket_id, customer_id, status, updated_at)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) ORDER BY 1
           ON CONFLICT (workspace, ticket_id) DO UPDATE
              SET status = excluded.status, updated_at = excluded.updated_at, customer_id = excluded.customer_id
            WHERE tickets.updated_at <= excluded.updated_at""",
        workspace,
        list(latest),
        [t.customer_id for t in latest.values()],
        [t.status for t in latest.values()],
        [t.at for t in latest.values()],
    )
    await recount_open_tickets(conn, workspace, {t.customer_id for t in latest.values()})


async def recount_open_tickets(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> None:
    await conn.execute(
        """UPDATE customers c SET open_tickets = (
               SELECT count(*) FROM tickets t
                WHERE t.workspace = c.workspace AND t.customer_id = c.customer_id AND t.status = 'opened')
            WHERE c.workspace = $1 AND c.customer_id = ANY($2::text[])""",
        workspace,
        list(set(customer_ids)),
    )


async def record_answers(
    conn: Connection, workspace: str, answers: Sequence[tuple[str, str, int, dt.datetime]]
) -> None:
    """NPS and CSAT answers as (customer_id, 'nps'|'csat', value, time): the latest answer is kept."""
    for kind in ("nps", "csat"):
        latest: dict[str, tuple[int, dt.datetime]] = {}
        for customer_id, answer_kind, value, at in answers:
            if answer_kind == kind and (customer_id not in latest or at >= latest[customer_id][1]):
                latest[customer_id] = (value, at)
        if latest:
            await conn.execute(
                f"""UPDATE customers c SET last_{kind} = a.value, last_{kind}_at = a.at
                      FROM unnest($2::text[], $3::int2[], $4::timestamptz[]) AS a(customer_id, value, at)
                     WHERE c.workspace = $1 AND c.customer_id = a.customer_id
                       AND (c.last_{kind}_at IS NULL OR c.last_{kind}_at <= a.at)""",  # noqa: S608 (kind is a constant)
                workspace,
                list(latest),
                [v for v, _ in latest.values()],
                [t for _, t in latest.values()],
            )


@dataclass(frozen=True)
class NpsAnswer:
    """One event's NPS answer (a `survey` event or a ticket carrying `nps`)."""

    event_id: str
    customer_id: str
    answered_at: dt.datetime
    nps: int


async def record_nps_answers(conn: Connection, workspace: str, answers: Sequence[NpsAnswer]) -> None:
    """Keep each event's NPS answer once (a replayed event adds nothing): what segments' NPS counts."""
    if answers:
        await conn.execute(
            """INSERT INTO nps_answers (workspace, event_id, customer_id, answered_at, nps)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::int2[])
               ON CONFLICT DO NOTHING""",
            workspace,
            [a.event_id for a in answers],
            [a.customer_id for a in answers],
            [a.answered_at for a in answers],
            [a.nps for a in answers],
        )


async def load_traits(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, Traits]:
    rows = await conn.fetch(
        "SELECT customer_id, traits, trait_times FROM customers WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        list(set(customer_ids)),
    )
    return {r["customer_id"]: (r["traits"], r["trait_times"]) for r in rows}


async def save_traits(conn: Connection, workspace: str, traits: Mapping[str, Traits]) -> None:
    await conn.executemany(
        "UPDATE customers SET traits = $3, trait_times = $4 WHERE workspace = $1 AND customer_id = $2",
        [(workspace, cid, values, times) for cid, (values, times) in traits.items()],
    )


async def refresh_purchase_totals(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> None:
    """Recompute purchase totals of these customers from their purchase days (exact after merges too)."""
    await conn.execute(
        """UPDATE customers c SET purchase_days = a.days, orders = a.purchases, revenue = a.amount,
                  repeat_revenue = a.amount - a.first_amount
             FROM (SELECT customer_id, count(*)::int AS days, sum(purchases)::int AS purchases, sum(amount) AS amount,
                          (array_agg(amount ORDER BY day))[1] AS first_amount
                     FROM purchase_days WHERE workspace = $1 AND customer_id = ANY($2::text[])
                    GROUP BY customer_id) a
            WHERE c.workspace = $1 AND c.customer_id = a.customer_id""",
        workspace,
        list(set(customer_ids)),
    )


class PurchaseStanding(NamedTuple):
    """A customer's last purchase time and dormancy start, as they were before a batch's purchases."""

    last_purchase_at: dt.datetime | None
    dormant_since: dt.datetime | None


async def set_purchase_times(
    conn: Connection, workspace: str, times: Mapping[str, tuple[dt.datetime, dt.datetime]]
) -> dict[str, PurchaseStanding]:
    """Widen first/last purchase times with the batch's (exact event times, not days); returns each
    customer's previous last purchase time and dormancy start (to detect reactivation)."""
    rows = await conn.fetch(
        """WITH before AS (
               SELECT customer_id, last_purchase_at, dormant_since FROM customers
                WHERE workspace = $1 AND customer_id = ANY($2::text[]))
           UPDATE customers c
              SET first_purchase_at = least(c.first_purchase_at, t.first_at),
                  last_purchase_at = greatest(c.last_purchase_at, t.last_at)
             FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS t(customer_id, first_at, last_at),
                  before b
            WHERE c.workspace = $1 AND c.customer_id = t.customer_id AND b.customer_id = t.customer_id
           RETURNING c.customer_id, b.last_purchase_at, b.dormant_since""",
        workspace,
        list(times),
        [first for first, _ in times.values()],
        [last for _, last in times.values()],
    )
    return {r["customer_id"]: PurchaseStanding(r["last_purchase_at"], r["dormant_since"]) for r in rows}


async def end_dormancy(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    await conn.execute(
        "UPDATE customers SET dormant_since = NULL WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        list(customer_ids),
    )


async def record_reactivations(
    conn: Connection, workspace: str, spells: Mapping[str, tuple[dt.datetime, dt.datetime]]
) -> None:
    """Each ended dormancy: customer id -> (dormant_since, the purchase that ended it); one row per spell, so a
    replay adds nothing."""
    if spells:
        ids = sorted(spells)
        await conn.execute(
            """INSERT INTO reactivations (workspace, customer_id, dormant_since, reactivated_at)
               SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[])
               ON CONFLICT DO NOTHING""",
            workspace,
            ids,
            [spells[c][0] for c in ids],
            [spells[c][1] for c in ids],
        )


@dataclass(frozen=True)
class LoyaltyState:
    """What one loyalty event says of its member: the balance after it and, for a tier change (`tier_changed`),
    the tier (None: no tier any more)."""

    customer_id: str
    balance: int
    tier: str | None
    at: dt.datetime
    tier_changed: bool = False


async def record_loyalty(conn: Connection, workspace: str, states: Sequence[LoyaltyState]) -> None:
    """Keep each customer's latest balance and tier by event time (an older event arriving late changes
    nothing; at the same time the later one in the batch wins). The customers exist (ensure_customers)."""
    balances: dict[str, LoyaltyState] = {}
    tiers: dict[str, LoyaltyState] = {}
    for state in states:
        if state.customer_id not in balances or state.at >= balances[state.customer_id].at:
            balances[state.customer_id] = state
        if state.tier_changed and (state.customer_id not in tiers or state.at >= tiers[state.customer_id].at):
            tiers[state.customer_id] = state
    for column, latest in (("balance", balances), ("tier", tiers)):
        if not latest:
            continue
        rows = [latest[c] for c in sorted(latest)]
        values: list[object] = [r.balance if column == "balance" else r.tier for r in rows]
        await conn.execute(
            f"""UPDATE customers c SET loyalty_{column} = l.value, loyalty_{column}_at = l.at
                  FROM unnest($2::text[], $3::{"int8" if column == "balance" else "text"}[], $4::timestamptz[])
                       AS l(customer_id, value, at)
                 WHERE c.workspace = $1 AND c.customer_id = l.customer_id
                   AND (c.loyalty_{column}_at IS NULL OR c.loyalty_{column}_at <= l.at)""",  # noqa: S608 (constants)
            workspace,
            [r.customer_id for r in rows],
            values,
            [r.at for r in rows],
        )


@dataclass(frozen=True)
class AcquisitionDecision:
    """A customer's acquisition source as profile decided it at `decided_at` (profile.acquisition_changed)."""

    customer_id: str
    source: str
    campaign: str | None
    program_id: str | None
    decided_at: dt.datetime


async def record_acquisitions(conn: Connection, workspace: str, decisions: Sequence[AcquisitionDecision]) -> None:
    """Keep each customer's latest decision by `decided_at` (an older one arriving late changes nothing). A
    customer scoring has no row for yet gets one, first seen at the decision's time (their resolved events follow
    on another topic, fold into it and lower `first_seen_at` to the first event's)."""
    latest: dict[str, AcquisitionDecision] = {}
    for d in decisions:
        if d.customer_id not in latest or d.decided_at >= latest[d.customer_id].decided_at:
            latest[d.customer_id] = d
    if not latest:
        return
    rows = [latest[c] for c in sorted(latest)]
    await conn.execute(
        """INSERT INTO customers AS c (workspace, customer_id, first_seen_at, acquisition_source,
                                       acquisition_campaign, acquisition_program_id, acquisition_decided_at)
           SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
                                    $7::timestamptz[])
           ON CONFLICT (workspace, customer_id) DO UPDATE
              SET acquisition_source = excluded.acquisition_source,
                  acquisition_campaign = excluded.acquisition_campaign,
                  acquisition_program_id = excluded.acquisition_program_id,
                  acquisition_decided_at = excluded.acquisition_decided_at
            WHERE c.acquisition_decided_at IS NULL OR c.acquisition_decided_at <= excluded.acquisition_decided_at""",
        workspace,
        [d.customer_id for d in rows],
        [d.decided_at for d in rows],
        [d.source for d in rows],
        [d.campaign for d in rows],
        [d.program_id for d in rows],
        [d.decided_at for d in rows],
    )


# --- merges and erasure ------------------------------------------------------------------------------


async def fold_merged(conn: Connection, workspace: str, survivor_id: str, merged_id: str) -> list[str]:
    """Fold the merged customer's history into the survivor; returns the merged customer's segment ids
    (its memberships end). The survivor keeps its own acquisition source (profile announces the survivor's anew
    after a merge). Idempotent: a second call finds nothing left to move."""
    await merges.record_merge(conn, workspace, survivor_id, merged_id)
    rows = await conn.fetch(
        """SELECT * FROM customers WHERE workspace = $1 AND customer_id = ANY($2::text[])
            ORDER BY customer_id FOR UPDATE""",
        workspace,
        [survivor_id, merged_id],
    )
    by_id = {r["customer_id"]: r for r in rows}
    merged = by_id.get(merged_id)
    if merged is None:
        return []
    survivor = by_id.get(survivor_id)
    if survivor is None:
        # FOR UPDATE cannot lock a row that is not there: another consumer (another topic's) may be creating the
        # survivor right now. Its row, once committed, is the one to fold into; a plain INSERT would fail the batch.
        survivor = await conn.fetchrow(
            """INSERT INTO customers (workspace, customer_id, first_seen_at) VALUES ($1, $2, $3)
               ON CONFLICT (workspace, customer_id) DO NOTHING RETURNING traits, trait_times""",
            workspace,
            survivor_id,
            merged["first_seen_at"],
        ) or await conn.fetchrow(
            "SELECT traits, trait_times FROM customers WHERE workspace = $1 AND customer_id = $2 FOR UPDATE",
            workspace,
            survivor_id,
        )
        assert survivor is not None  # inserted here, or by the transaction the insert waited for
    survivor_traits: Traits = (survivor["traits"], survivor["trait_times"])
    traits, times = merge_traits(survivor_traits, (merged["traits"], merged["trait_times"]))
    await conn.execute(
        """UPDATE customers s SET
               traits = $4, trait_times = $5,
               first_seen_at = least(s.first_seen_at, m.first_seen_at),
               refunded = s.refunded + m.refunded,
               first_purchase_at = least(s.first_purchase_at, m.first_purchase_at),
               last_purchase_at = greatest(s.last_purchase_at, m.last_purchase_at),
               visits = s.visits + m.visits,
               last_visit_at = greatest(s.last_visit_at, m.last_visit_at),
               last_nps = CASE WHEN m.last_nps_at > s.last_nps_at OR s.last_nps_at IS NULL
                               THEN m.last_nps ELSE s.last_nps END,
               last_nps_at = greatest(s.last_nps_at, m.last_nps_at),
               last_csat = CASE WHEN m.last_csat_at > s.last_csat_at OR s.last_csat_at IS NULL
                                THEN m.last_csat ELSE s.last_csat END,
               last_csat_at = greatest(s.last_csat_at, m.last_csat_at),
               loyalty_balance = CASE WHEN m.loyalty_balance_at > s.loyalty_balance_at OR s.loyalty_balance_at IS NULL
                                      THEN m.loyalty_balance ELSE s.loyalty_balance END,
               loyalty_balance_at = greatest(s.loyalty_balance_at, m.loyalty_balance_at),
               loyalty_tier = CASE WHEN m.loyalty_tier_at > s.loyalty_tier_at OR s.loyalty_tier_at IS NULL
                                   THEN m.loyalty_tier ELSE s.loyalty_tier END,
               loyalty_tier_at = greatest(s.loyalty_tier_at, m.loyalty_tier_at),
               dormant_since = CASE WHEN s.dormant_since IS NULL OR m.dormant_since IS NULL THEN NULL
                                    ELSE greatest(s.dormant_since, m.dormant_since) END
          FROM customers m
         WHERE s.workspace = $1 AND s.customer_id = $2 AND m.workspace = $1 AND m.customer_id = $3""",
        workspace,
        survivor_id,
        merged_id,
        traits,
        times,
    )
    for table, counter in (
        ("purchase_days", "amount = t.amount + excluded.amount, purchases = t.purchases + excluded.purchases"),
        ("visit_days", "visits = t.visits + excluded.visits"),
    ):
        columns = "day, amount, purchases" if table == "purchase_days" else "day, visits"
        await conn.execute(
            f"""INSERT INTO {table} AS t (workspace, customer_id, {columns})
                SELECT workspace, $2, {columns} FROM {table} WHERE workspace = $1 AND customer_id = $3
                ON CONFLICT (workspace, customer_id, day) DO UPDATE SET {counter}""",  # noqa: S608 (constants)
            workspace,
            survivor_id,
            merged_id,
        )
        await conn.execute(
            f"DELETE FROM {table} WHERE workspace = $1 AND customer_id = $2",  # noqa: S608 (constant)
            workspace,
            merged_id,
        )
    await conn.execute(
        """INSERT INTO reactivations (workspace, customer_id, dormant_since, reactivated_at)
           SELECT workspace, $2, dormant_since, reactivated_at FROM reactivations
            WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT DO NOTHING""",
        workspace,
        survivor_id,
        merged_id,
    )
    await conn.execute("DELETE FROM reactivations WHERE workspace = $1 AND customer_id = $2", workspace, merged_id)
    await conn.execute(
        """INSERT INTO event_counts AS t (workspace, customer_id, type, hour, events)
           SELECT workspace, $2, type, hour, events FROM event_counts WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT (workspace, customer_id, type, hour) DO UPDATE SET events = t.events + excluded.events""",
        workspace,
        survivor_id,
        merged_id,
    )
    await conn.execute("DELETE FROM event_counts WHERE workspace = $1 AND customer_id = $2", workspace, merged_id)
    for table in ("orders", "tickets", "nps_answers"):
        await conn.execute(
            f"UPDATE {table} SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3",  # noqa: S608 (constant)
            workspace,
            survivor_id,
            merged_id,
        )
    segment_ids = await conn.fetch(
        "DELETE FROM segment_members WHERE workspace = $1 AND customer_id = $2 RETURNING segment_id",
        workspace,
        merged_id,
    )
    await conn.execute("DELETE FROM customers WHERE workspace = $1 AND customer_id = $2", workspace, merged_id)
    await recount_open_tickets(conn, workspace, [survivor_id])
    return [r["segment_id"] for r in segment_ids]


ERASABLE_TABLES = (
    "segment_members", "purchase_days", "visit_days", "orders", "tickets", "nps_answers", "reactivations",
    "event_counts", "customers",
)  # fmt: skip


async def erase(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> list[str]:
    """Delete what scoring holds on these customers; returns the segment id of each membership that ended."""
    rows = await conn.fetch(
        "DELETE FROM segment_members WHERE workspace = $1 AND customer_id = ANY($2::text[]) RETURNING segment_id",
        workspace,
        list(customer_ids),
    )
    await erasures.delete_rows(conn, workspace, ERASABLE_TABLES, customer_ids)
    await merges.forget(conn, workspace, list(customer_ids))
    await erasures.record(conn, workspace, customer_ids)
    return [r["segment_id"] for r in rows]
