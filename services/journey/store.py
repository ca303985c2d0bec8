"""Journey's SQL: customer facts, enrolments and due timers, each a whole batch at a time (due webhook deliveries,
leased one by one, are delivery_store.py's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import asyncpg
import orjson

from runtime import erasures, merge_undo, merges
from runtime.db import Connection
from services.journey.domain.engine import Enrolment, EnrolmentHistory
from services.journey.domain.facts import FactsRecord
from services.journey.domain.model import EventCondition

_ENROLMENT_COLUMNS = [name for name in Enrolment.__dataclass_fields__ if name != "waiting_for"]


def _enrolment(row: asyncpg.Record) -> Enrolment:
    """An enrolment as the engine reads it. A row written by another version of the engine may not read
    (ValueError: the condition it waits for)."""
    waiting_for = row["waiting_for"]
    return Enrolment(
        **{name: row[name] for name in _ENROLMENT_COLUMNS},
        waiting_for=EventCondition.model_validate(waiting_for) if waiting_for else None,
    )


@dataclass(frozen=True)
class DueEnrolment:
    """An enrolment whose timer is due, and its workspace (timers are claimed across workspaces). A row that
    does not read (see `_enrolment`) is claimed all the same: `enrolment()` raises its ValueError, which the
    caller isolates to the workspace."""

    workspace: str
    enrolment_id: str
    read: Enrolment | ValueError

    def enrolment(self) -> Enrolment:
        if isinstance(self.read, ValueError):
            raise self.read
        return self.read


def _due(row: asyncpg.Record) -> DueEnrolment:
    try:
        read: Enrolment | ValueError = _enrolment(row)
    except ValueError as exc:
        read = exc
    return DueEnrolment(row["workspace"], row["enrolment_id"], read)


_FACT_COLUMNS = list(FactsRecord.__dataclass_fields__)


def _facts(row: asyncpg.Record) -> FactsRecord:
    return FactsRecord(
        **{name: row[name] for name in _FACT_COLUMNS if name != "segments"}, segments=set(row["segments"])
    )


async def load_facts(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, FactsRecord]:
    """Facts of these customers (a fresh record for those not seen yet), locked until commit in id order."""
    ids = sorted(set(customer_ids))
    rows = await conn.fetch(
        f"""SELECT customer_id, {", ".join(_FACT_COLUMNS)} FROM customer_facts
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) ORDER BY customer_id FOR UPDATE""",  # noqa: S608 (constant columns)
        workspace,
        ids,
    )
    found = {r["customer_id"]: _facts(r) for r in rows}
    return {customer_id: found.get(customer_id) or FactsRecord() for customer_id in ids}


async def read_facts(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, FactsRecord]:
    """Facts of those of these customers the workspace's journeys know (no lock: for a dry run, which writes
    nothing)."""
    rows = await conn.fetch(
        f"""SELECT customer_id, {", ".join(_FACT_COLUMNS)} FROM customer_facts
            WHERE workspace = $1 AND customer_id = ANY($2::text[])""",  # noqa: S608 (constant columns)
        workspace,
        sorted(set(customer_ids)),
    )
    return {r["customer_id"]: _facts(r) for r in rows}


async def segment_members(conn: Connection, workspace: str, segment_id: str, limit: int) -> list[str]:
    """At most `limit` customers the journeys know as members of a segment now (scoring's segment.entered and
    segment.exited fold into their facts), in id order."""
    rows = await conn.fetch(
        """SELECT customer_id FROM customer_facts WHERE workspace = $1 AND $2 = ANY(segments)
            ORDER BY customer_id LIMIT $3""",
        workspace,
        segment_id,
        limit,
    )
    return [r["customer_id"] for r in rows]


async def forget_facts(conn: Connection, workspace: str, customer_id: str) -> None:
    await conn.execute("DELETE FROM customer_facts WHERE workspace = $1 AND customer_id = $2", workspace, customer_id)


async def save_facts(conn: Connection, workspace: str, facts: Mapping[str, FactsRecord]) -> None:
    ids = sorted(facts)
    records = [facts[c] for c in ids]
    # Segments travel as JSON arrays: asyncpg cannot send an array of text arrays of different lengths.
    await conn.execute(
        """INSERT INTO customer_facts
                  (workspace, customer_id, traits, trait_times, stats, scores, segments, event_counts, loyalty)
           SELECT $1, f.customer_id, f.traits, f.trait_times, f.stats, f.scores,
                  ARRAY(SELECT jsonb_array_elements_text(f.segments)), f.event_counts, f.loyalty
             FROM unnest($2::text[], $3::jsonb[], $4::jsonb[], $5::jsonb[], $6::jsonb[], $7::jsonb[], $8::jsonb[],
                         $9::jsonb[])
                  AS f(customer_id, traits, trait_times, stats, scores, segments, event_counts, loyalty)
           ON CONFLICT (workspace, customer_id) DO UPDATE SET
               traits = excluded.traits, trait_times = excluded.trait_times, stats = excluded.stats,
               scores = excluded.scores, segments = excluded.segments, event_counts = excluded.event_counts,
               loyalty = excluded.loyalty, updated_at = now()""",
        workspace,
        ids,
        [r.traits for r in records],
        [r.trait_times for r in records],
        [r.stats for r in records],
        [r.scores for r in records],
        [orjson.dumps(sorted(r.segments)) for r in records],  # bytes: JSON text as it is
        [r.event_counts for r in records],
        [r.loyalty for r in records],
    )


_CLAIM_DUE = """
WITH RECURSIVE due_workspaces(workspace) AS (  -- each workspace with a due timer: a loose index scan
    (SELECT e.workspace FROM enrolments e
      WHERE e.due_at <= $1 AND e.due_at IS NOT NULL AND e.status IN ('active', 'waiting')
      ORDER BY e.workspace LIMIT 1)
    UNION ALL
    SELECT (SELECT e.workspace FROM enrolments e
             WHERE e.due_at <= $1 AND e.due_at IS NOT NULL AND e.status IN ('active', 'waiting')
               AND e.workspace > w.workspace
             ORDER BY e.workspace LIMIT 1)
      FROM due_workspaces w WHERE w.workspace IS NOT NULL
), shares AS (  -- an equal share of the round each (a workspace with fewer due leaves its rest unused)
    SELECT workspace, ceil($2::numeric / count(*) OVER ())::int AS share
      FROM due_workspaces WHERE workspace IS NOT NULL
)
SELECT c.* FROM shares CROSS JOIN LATERAL (
    SELECT * FROM enrolments e
     WHERE e.workspace = shares.workspace AND e.due_at <= $1 AND e.due_at IS NOT NULL
       AND e.status IN ('active', 'waiting')
       AND NOT EXISTS (SELECT 1 FROM journeys j  -- a paused journey's timers hold until it resumes
                        WHERE j.workspace = e.workspace AND j.journey_id = e.journey_id AND j.status = 'paused')
     ORDER BY e.due_at LIMIT shares.share FOR UPDATE OF e SKIP LOCKED
) c
ORDER BY c.due_at, c.workspace, c.enrolment_id
"""


async def claim_due_enrolments(conn: Connection, now: dt.datetime, limit: int) -> list[DueEnrolment]:
    """Enrolments whose timer is due, about `limit` of them: each workspace with due timers gets an equal share
    of the round, its oldest first (one tenant's burst waits its turn beside the others' timers instead of
    ahead of them), locked for this transaction; rows another replica holds are skipped, so replicas share the
    work and no step runs twice."""
    rows = await conn.fetch(_CLAIM_DUE, now, limit)
    return [_due(row) for row in rows]


async def defer_enrolments(conn: Connection, workspace: str, enrolment_ids: list[str], until: dt.datetime) -> None:
    """Push the timers of enrolments whose round failed to `until`, so they cannot hold the oldest-first claim
    (and every other workspace's timers behind them) while the cause lasts."""
    await conn.execute(
        "UPDATE enrolments SET due_at = $3 WHERE workspace = $1 AND enrolment_id = ANY($2::text[])",
        workspace,
        enrolment_ids,
        until,
    )


# --- enrolments and what they do ------------------------------------------------------------------

LIVE = ("active", "waiting")


async def live_enrolments(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> list[Enrolment]:
    """Unfinished enrolments of these customers, locked until commit in id order."""
    rows = await conn.fetch(
        """SELECT * FROM enrolments
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND status IN ('active', 'waiting')
            ORDER BY enrolment_id FOR UPDATE""",
        workspace,
        sorted(set(customer_ids)),
    )
    return [_enrolment(row) for row in rows]


async def enrolment_history(
    conn: Connection, workspace: str, customer_ids: Iterable[str]
) -> dict[tuple[str, str], EnrolmentHistory]:
    """Per (customer, journey): whether an enrolment is live, how many there were, the last entry and end."""
    rows = await conn.fetch(
        """SELECT customer_id, journey_id, bool_or(status IN ('active', 'waiting')) AS active,
                  count(*)::int AS enrolments, max(entered_at) AS last_entered_at, max(ended_at) AS last_ended_at
             FROM enrolments WHERE workspace = $1 AND customer_id = ANY($2::text[])
            GROUP BY customer_id, journey_id""",
        workspace,
        sorted(set(customer_ids)),
    )
    return {
        (r["customer_id"], r["journey_id"]): EnrolmentHistory(
            r["active"], r["enrolments"], r["last_entered_at"], r["last_ended_at"]
        )
        for r in rows
    }


ENROLMENT_COLUMNS = (
    ("enrolment_id", "text"),
    ("journey_id", "text"),
    ("version", "int4"),
    ("customer_id", "text"),
    ("step_id", "text"),
    ("seq", "int4"),
    ("status", "text"),
    ("variant", "text"),
    ("holdout", "bool"),
    ("waiting_for", "jsonb"),
    ("due_at", "timestamptz"),
    ("entered_at", "timestamptz"),
    ("ended_at", "timestamptz"),
    ("end_reason", "text"),
)
_NAMES = ", ".join(n for n, _ in ENROLMENT_COLUMNS)
_SAVE_ENROLMENTS = f"""
INSERT INTO enrolments (workspace, {_NAMES})
SELECT $1, * FROM unnest({", ".join(f"${i + 2}::{t}[]" for i, (_, t) in enumerate(ENROLMENT_COLUMNS))})
ON CONFLICT (workspace, enrolment_id) DO UPDATE SET
    step_id = excluded.step_id, seq = excluded.seq, status = excluded.status, variant = excluded.variant,
    waiting_for = excluded.waiting_for, due_at = excluded.due_at, ended_at = excluded.ended_at,
    end_reason = excluded.end_reason, updated_at = now()
"""  # noqa: S608 (column names are constants)


async def save_enrolments(conn: Connection, workspace: str, rows: list[dict[str, object]]) -> None:
    if rows:
        await conn.execute(_SAVE_ENROLMENTS, workspace, *([row[n] for row in rows] for n, _ in ENROLMENT_COLUMNS))


async def claim_actions(conn: Connection, workspace: str, actions: list[tuple[str, str, str]]) -> set[str]:
    """Record (action_id, enrolment_id, kind); returns the ids never recorded before (the ones to perform)."""
    if not actions:
        return set()
    rows = await conn.fetch(
        """INSERT INTO actions (workspace, action_id, enrolment_id, kind)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
           ON CONFLICT DO NOTHING RETURNING action_id""",
        workspace,
        [a for a, _, _ in actions],
        [e for _, e, _ in actions],
        [k for _, _, k in actions],
    )
    return {r["action_id"] for r in rows}


async def add_deliveries(
    conn: Connection, workspace: str, deliveries: list[tuple[str, str, str, str, bytes]], now: dt.datetime
) -> None:
    """(delivery_id, enrolment_id, journey_id, customer_id, body JSON) to deliver from now on."""
    if deliveries:
        await conn.execute(
            """INSERT INTO webhook_deliveries
                      (workspace, delivery_id, enrolment_id, journey_id, customer_id, body, next_attempt_at)
               SELECT $1, d, e, j, c, b, $7
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) AS x(d, e, j, c, b)
               ON CONFLICT DO NOTHING""",
            workspace,
            *([row[i] for row in deliveries] for i in range(5)),
            now,
        )


async def record_messages(
    conn: Connection, workspace: str, sent: list[tuple[str, str, str, str]], now: dt.datetime
) -> None:
    """(customer_id, action_id, channel, journey_id) of messages sent now: what frequency caps count."""
    if sent:
        await conn.execute(
            """INSERT INTO messages_sent (workspace, customer_id, action_id, channel, journey_id, sent_at)
               SELECT $1, c, a, ch, j, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(c, a, ch, j)
               ON CONFLICT DO NOTHING""",
            workspace,
            *([m[i] for m in sent] for i in range(4)),
            now,
        )


# --- merges and erasure -----------------------------------------------------------------------------


# What a fold changes, kept per merge for an undo (runtime.merge_undo): facts, messages sent and consent (state,
# history, identifier hashes: consent_store.merge) as they were; enrolments go back to their customer with what
# they did since, but those the fold ended ("merged into") come back whole: at their step, with their timer (a
# timer past due fires at the next round).
FOLDED = (
    merge_undo.FoldedTable("customer_facts"),
    merge_undo.FoldedTable("messages_sent"),
    merge_undo.FoldedTable("consent_state"),
    merge_undo.FoldedTable("consent_history"),
    merge_undo.FoldedTable("customer_identifier_hashes"),
    merge_undo.FoldedTable(
        "enrolments",
        links_only=True,
        revive_if="t.end_reason LIKE 'merged into %' AND s.status IN ('active', 'waiting')",
    ),
)


async def keep_for_undo(conn: Connection, workspace: str, merge_id: str, survivor_id: str, merged_id: str) -> None:
    await merge_undo.capture(conn, workspace, merge_id, survivor_id, merged_id, FOLDED)


async def restore_merged(
    conn: Connection, workspace: str, merge_id: str, survivor_id: str, restored_id: str
) -> merge_undo.Restore:
    return await merge_undo.restore(conn, workspace, merge_id, survivor_id, restored_id, FOLDED)


async def fold_merged(conn: Connection, workspace: str, survivor_id: str, merged_id: str) -> list[Enrolment]:
    """Record the merge; move the merged customer's unfinished enrolments to the survivor, except in
    journeys the survivor is already in (those are returned, to be ended)."""
    await merges.record_merge(conn, workspace, survivor_id, merged_id)
    doubles = await conn.fetch(
        """SELECT m.* FROM enrolments m
            WHERE m.workspace = $1 AND m.customer_id = $3 AND m.status IN ('active', 'waiting')
              AND EXISTS (SELECT 1 FROM enrolments s WHERE s.workspace = $1 AND s.customer_id = $2
                             AND s.journey_id = m.journey_id AND s.status IN ('active', 'waiting'))
            FOR UPDATE""",
        workspace,
        survivor_id,
        merged_id,
    )
    await conn.execute(
        """UPDATE enrolments SET customer_id = $2, updated_at = now()
            WHERE workspace = $1 AND customer_id = $3 AND status IN ('active', 'waiting')
              AND NOT (enrolment_id = ANY($4::text[]))""",
        workspace,
        survivor_id,
        merged_id,
        [r["enrolment_id"] for r in doubles],
    )
    await conn.execute(
        "UPDATE messages_sent SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3",
        workspace,
        survivor_id,
        merged_id,
    )
    return [_enrolment(row) for row in doubles]


async def erase(conn: Connection, workspace: str, customer_ids: list[str], event_id: str) -> list[Enrolment]:
    """Forget what journeys hold on these customers; returns their unfinished enrolments (to be ended).
    Deliveries go too (their bodies hold the rendered, personal messages), and so do facts and messages sent.
    Enrolments stay for the journeys' numbers, their customer replaced by a pseudonym traceable to nobody;
    later events for the ids are dropped (runtime.erasures)."""
    live = await conn.fetch(
        """SELECT * FROM enrolments WHERE workspace = $1 AND customer_id = ANY($2::text[])
              AND status IN ('active', 'waiting') ORDER BY enrolment_id FOR UPDATE""",
        workspace,
        customer_ids,
    )
    await erasures.delete_rows(
        conn,
        workspace,
        (
            "customer_facts",
            "webhook_deliveries",
            "messages_sent",
            "consent_history",
            "consent_state",
            "customer_identifier_hashes",
        ),
        customer_ids,
    )
    await conn.execute(
        """UPDATE enrolments e SET customer_id = m.pseudonym, updated_at = now()
             FROM unnest($2::text[], $3::text[]) AS m (customer_id, pseudonym)
            WHERE e.workspace = $1 AND e.customer_id = m.customer_id""",
        workspace,
        customer_ids,
        [erasures.pseudonym(event_id, c) for c in customer_ids],
    )
    await merges.forget(conn, workspace, customer_ids)
    await erasures.record(conn, workspace, customer_ids)
    return [_enrolment(row) for row in live]


# --- date triggers -----------------------------------------------------------------------------------


async def workspaces_with_active_journeys(conn: Connection) -> list[str]:
    rows = await conn.fetch("SELECT DISTINCT workspace FROM journeys WHERE status = 'active' ORDER BY workspace")
    return [r["workspace"] for r in rows]


async def date_scans(conn: Connection, workspace: str) -> dict[tuple[str, int], dt.datetime]:
    rows = await conn.fetch(
        "SELECT journey_id, version, scanned_until FROM date_scans WHERE workspace = $1 FOR UPDATE", workspace
    )
    return {(r["journey_id"], r["version"]): r["scanned_until"] for r in rows}


async def save_date_scan(conn: Connection, workspace: str, journey_id: str, version: int, until: dt.datetime) -> None:
    await conn.execute(
        """INSERT INTO date_scans (workspace, journey_id, version, scanned_until) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace, journey_id, version) DO UPDATE SET scanned_until = excluded.scanned_until""",
        workspace,
        journey_id,
        version,
        until,
    )


async def customers_with_traits(conn: Connection, workspace: str, traits: list[str]) -> dict[str, FactsRecord]:
    """The facts of the customers holding any of these traits, in id order, for date triggers."""
    rows = await conn.fetch(
        f"""SELECT customer_id, {", ".join(_FACT_COLUMNS)} FROM customer_facts
            WHERE workspace = $1 AND traits ?| $2::text[] ORDER BY customer_id""",  # noqa: S608 (constant columns)
        workspace,
        traits,
    )
    return {r["customer_id"]: _facts(r) for r in rows}
