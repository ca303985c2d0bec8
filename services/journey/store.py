"""Journey's SQL: customer facts, due timers and due deliveries, each a whole batch at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import asyncpg
import orjson

from runtime.db import Connection
from services.journey.domain.facts import FactsRecord


async def resolve_merged(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, str]:
    """Survivors of ids that were merged away (ids not merged are absent)."""
    rows = await conn.fetch(
        "SELECT merged_id, survivor_id FROM merged_customers WHERE workspace = $1 AND merged_id = ANY($2::text[])",
        workspace,
        sorted(set(customer_ids)),
    )
    return {r["merged_id"]: r["survivor_id"] for r in rows}


async def load_facts(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, FactsRecord]:
    """Facts of these customers (a fresh record for those not seen yet), locked until commit in id order."""
    ids = sorted(set(customer_ids))
    rows = await conn.fetch(
        """SELECT customer_id, traits, trait_times, stats, scores, segments, event_counts FROM customer_facts
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) ORDER BY customer_id FOR UPDATE""",
        workspace,
        ids,
    )
    found = {
        r["customer_id"]: FactsRecord(
            traits=r["traits"],
            trait_times=r["trait_times"],
            stats=r["stats"],
            scores=r["scores"],
            segments=set(r["segments"]),
            event_counts=r["event_counts"],
        )
        for r in rows
    }
    return {customer_id: found.get(customer_id) or FactsRecord() for customer_id in ids}


async def save_facts(conn: Connection, workspace: str, facts: Mapping[str, FactsRecord]) -> None:
    ids = sorted(facts)
    records = [facts[c] for c in ids]
    # Segments travel as JSON arrays: asyncpg cannot send an array of text arrays of different lengths.
    await conn.execute(
        """INSERT INTO customer_facts
                  (workspace, customer_id, traits, trait_times, stats, scores, segments, event_counts)
           SELECT $1, f.customer_id, f.traits, f.trait_times, f.stats, f.scores,
                  ARRAY(SELECT jsonb_array_elements_text(f.segments)), f.event_counts
             FROM unnest($2::text[], $3::jsonb[], $4::jsonb[], $5::jsonb[], $6::jsonb[], $7::jsonb[], $8::jsonb[])
                  AS f(customer_id, traits, trait_times, stats, scores, segments, event_counts)
           ON CONFLICT (workspace, customer_id) DO UPDATE SET
               traits = excluded.traits, trait_times = excluded.trait_times, stats = excluded.stats,
               scores = excluded.scores, segments = excluded.segments, event_counts = excluded.event_counts,
               updated_at = now()""",
        workspace,
        ids,
        [r.traits for r in records],
        [r.trait_times for r in records],
        [r.stats for r in records],
        [r.scores for r in records],
        [orjson.dumps(sorted(r.segments)) for r in records],  # bytes: JSON text as it is
        [r.event_counts for r in records],
    )


async def claim_due_enrolments(conn: Connection, now: dt.datetime, limit: int) -> list[asyncpg.Record]:
    """Enrolments whose timer is due, oldest first, locked for this transaction; rows another replica holds
    are skipped, so replicas share the work and no step runs twice."""
    return await conn.fetch(
        """SELECT * FROM enrolments
            WHERE due_at <= $1 AND status IN ('active', 'waiting')
            ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED""",
        now,
        limit,
    )


async def claim_due_deliveries(conn: Connection, now: dt.datetime, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT * FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= $1
            ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED""",
        now,
        limit,
    )
