"""Profile's SQL for merge history and undo: recording a merge, a customer's merge page, and the statements of an undo
(lock, read the survivor's identities, move facts back, refold both profiles from their facts, keep them apart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from contracts.http.profile import JoinedIdentifier, MergeCause, MergePage, MergeRecord
from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor
from services.profile.domain import Identifier, Merge
from services.profile.unmerge import Refolded, Snapshot


def _identifiers_json(identifiers: Iterable[Identifier]) -> list[list[str]]:
    return [[kind, value] for kind, value in identifiers]


async def snapshots(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> dict[str, Snapshot]:
    """What each profile holds beside its events' facts: traits, tags, referral, the ids merged into it."""
    rows = await conn.fetch(
        """SELECT c.customer_id, c.traits, c.trait_times, c.tags, c.referral_program_id, c.referral_at,
                  ARRAY(SELECT m.customer_id FROM customers m
                         WHERE m.workspace = c.workspace AND m.merged_into = c.customer_id
                         ORDER BY m.customer_id) AS merged_ids
             FROM customers c WHERE c.workspace = $1 AND c.customer_id = ANY($2::text[])""",
        workspace,
        list(customer_ids),
    )
    return {
        r["customer_id"]: Snapshot(
            dict(r["traits"]),
            dict(r["trait_times"]),
            tuple(r["tags"]),
            r["referral_program_id"],
            r["referral_at"],
            tuple(r["merged_ids"]),
        )
        for r in rows
    }


async def record_merge(
    conn: Connection,
    workspace: str,
    merge: Merge,
    merged_identifiers: Sequence[Identifier],
    survivor: Snapshot,
    merged: Snapshot,
) -> None:
    await conn.execute(
        """INSERT INTO merges (workspace, merge_id, survivor_id, merged_id, reason, cause_event_id, joined_identifiers,
                               merged_identifiers, survivor_snapshot, merged_snapshot)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb)""",
        workspace,
        merge.merge_id,
        merge.survivor_id,
        merge.merged_id,
        merge.reason,
        merge.event_id,
        _identifiers_json(merge.joined),
        _identifiers_json(merged_identifiers),
        survivor.as_json(),
        merged.as_json(),
    )
    # What the merged profile was kept apart from, the survivor is kept apart from now (and is read as split).
    moved = await conn.fetch(
        """INSERT INTO kept_apart (workspace, customer_id, other_id, merge_id)
           SELECT workspace, $3, other_id, merge_id FROM kept_apart
            WHERE workspace = $1 AND customer_id = $2 AND other_id <> $3
           UNION ALL
           SELECT workspace, customer_id, $3, merge_id FROM kept_apart
            WHERE workspace = $1 AND other_id = $2 AND customer_id <> $3
           ON CONFLICT DO NOTHING RETURNING customer_id""",
        workspace,
        merge.merged_id,
        merge.survivor_id,
    )
    if moved:  # the other side was split already (its split_at is set): only the survivor is new to it
        await conn.execute(
            "UPDATE customers SET split_at = now() WHERE workspace = $1 AND customer_id = $2",
            workspace,
            merge.survivor_id,
        )


def _record(row: asyncpg.Record) -> MergeRecord:
    return MergeRecord(
        merge_id=row["merge_id"],
        survivor_id=row["survivor_id"],
        merged_id=row["merged_id"],
        cause=MergeCause(
            event_id=row["cause_event_id"],
            identifiers=[JoinedIdentifier(kind=k, value=v) for k, v in _json(row["joined_identifiers"])],
            reason=row["reason"],
        ),
        merged_at=row["merged_at"],
        undone=row["undone_at"] is not None,
        undone_at=row["undone_at"],
        undo_reason=row["undo_reason"],
    )


def _json(value: Any) -> Any:
    """A jsonb value (the pool's codec decodes it; a connection without it gives the text)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


async def page(conn: Connection, workspace: str, customer_id: str, limit: int, cursor: str | None) -> MergePage:
    """The merges of a live customer, as survivor or as merged id (itself or any id merged into it), newest first."""
    params: list[Any] = [workspace, customer_id, limit + 1]
    keyset = ""
    if cursor:
        merged_at, merge_id = decode_cursor(cursor, 2)
        try:
            params += [dt.datetime.fromisoformat(merged_at), merge_id]
        except ValueError:
            raise BadCursor() from None
        keyset = "AND (g.merged_at, g.merge_id) < ($4, $5)"
    rows = await conn.fetch(
        f"""WITH ids AS (SELECT $2::text AS id UNION
                         SELECT customer_id FROM customers WHERE workspace = $1 AND merged_into = $2)
            SELECT DISTINCT g.* FROM ids
              JOIN merges g ON g.workspace = $1 AND (g.survivor_id = ids.id OR g.merged_id = ids.id)
             WHERE true {keyset}
             ORDER BY g.merged_at DESC, g.merge_id DESC LIMIT $3""",  # noqa: S608 - keyset is a fixed string
        *params,
    )
    last = rows[limit - 1] if len(rows) > limit else None
    return MergePage(
        items=[_record(r) for r in rows[:limit]],
        next_cursor=encode_cursor(last["merged_at"].isoformat(), last["merge_id"]) if last else None,
    )


@dataclass(frozen=True)
class MergeRow:
    record: MergeRecord
    merged_identifiers: list[Identifier]
    survivor_snapshot: Snapshot
    merged_snapshot: Snapshot
    erased: bool


async def lock_merge(conn: Connection, workspace: str, merge_id: str) -> MergeRow | None:
    row = await conn.fetchrow(
        "SELECT * FROM merges WHERE workspace = $1 AND merge_id = $2 FOR UPDATE", workspace, merge_id
    )
    if row is None:
        return None
    return MergeRow(
        _record(row),
        [(k, v) for k, v in _json(row["merged_identifiers"])],
        Snapshot.of_json(_json(row["survivor_snapshot"])),
        Snapshot.of_json(_json(row["merged_snapshot"])),
        row["erased_at"] is not None,
    )


@dataclass(frozen=True)
class ProfileState:
    merged_into: str | None
    erased: bool


async def lock_profiles(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> dict[str, ProfileState]:
    """Lock these profiles (in id order, as ingest batches lock them) and say where each stands."""
    rows = await conn.fetch(
        """SELECT customer_id, merged_into, erased_at IS NOT NULL AS erased FROM customers
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) ORDER BY customer_id FOR UPDATE""",
        workspace,
        list(customer_ids),
    )
    return {r["customer_id"]: ProfileState(r["merged_into"], r["erased"]) for r in rows}


@dataclass(frozen=True)
class LinkedIdentifier:
    identifier: Identifier
    before_merge: bool  # linked before the merge's transaction


async def identifiers_of(
    conn: Connection, workspace: str, customer_id: str, merged_at: dt.datetime
) -> list[LinkedIdentifier]:
    rows = await conn.fetch(
        "SELECT kind, value, created_at < $3 AS before FROM identifiers WHERE workspace = $1 AND customer_id = $2",
        workspace,
        customer_id,
        merged_at,
    )
    return [LinkedIdentifier((r["kind"], r["value"]), r["before"]) for r in rows]


@dataclass(frozen=True)
class TimelineIdentity:
    event_id: str
    occurred_at: dt.datetime
    customer: dict[str, Any]  # the event's `data.customer` as received
    after_merge: bool


async def timeline_identities(
    conn: Connection, workspace: str, customer_id: str, merged_at: dt.datetime
) -> list[TimelineIdentity]:
    rows = await conn.fetch(
        """SELECT event_id, occurred_at, event -> 'data' -> 'customer' AS customer, received_at >= $3 AS after
             FROM timeline WHERE workspace = $1 AND customer_id = $2""",
        workspace,
        customer_id,
        merged_at,
    )
    return [TimelineIdentity(r["event_id"], r["occurred_at"], _customer(r["customer"]), r["after"]) for r in rows]


def _customer(value: Any) -> dict[str, Any]:
    found = _json(value)
    return found if isinstance(found, dict) else {}


async def move_back(
    conn: Connection,
    workspace: str,
    survivor: str,
    restored: str,
    identifiers: Iterable[Identifier],
    event_ids: Iterable[str],
) -> None:
    """Identifiers and the events' facts go from the survivor to the restored profile; each ticket goes to the
    customer of its latest ticket event (as ingest keeps it)."""
    wanted = list(identifiers)
    await conn.execute(
        """UPDATE identifiers i SET customer_id = $3
             FROM unnest($4::text[], $5::text[]) AS q(kind, value)
            WHERE i.workspace = $1 AND i.customer_id = $2 AND i.kind = q.kind AND i.value = q.value""",
        workspace,
        survivor,
        restored,
        [kind for kind, _ in wanted],
        [value for _, value in wanted],
    )
    events = list(event_ids)
    for table in ("timeline", "orders", "refunds", "survey_answers"):
        await conn.execute(
            f"""UPDATE {table} SET customer_id = $3
                 WHERE workspace = $1 AND customer_id = $2 AND event_id = ANY($4::text[])""",  # noqa: S608
            workspace,
            survivor,
            restored,
            events,
        )
    await conn.execute(
        """UPDATE tickets k SET customer_id = latest.customer_id
             FROM (SELECT DISTINCT ON (t.event -> 'data' ->> 'ticket_id')
                          t.event -> 'data' ->> 'ticket_id' AS ticket_id, t.customer_id
                     FROM timeline t
                    WHERE t.workspace = $1 AND t.customer_id = ANY($2::text[]) AND t.type = 'ticket'
                    ORDER BY t.event -> 'data' ->> 'ticket_id', t.occurred_at DESC, t.event_id DESC) AS latest
            WHERE k.workspace = $1 AND k.customer_id = ANY($2::text[]) AND k.ticket_id = latest.ticket_id""",
        workspace,
        [survivor, restored],
    )


async def restore(conn: Connection, workspace: str, survivor: str, restored: str, merged_ids: Sequence[str]) -> None:
    """The restored id resolves to itself again, and the ids merged into it before the merge to it."""
    await conn.execute(
        "UPDATE customers SET merged_into = NULL, updated_at = now() WHERE workspace = $1 AND customer_id = $2",
        workspace,
        restored,
    )
    await conn.execute(
        """UPDATE customers SET merged_into = $3, updated_at = now()
            WHERE workspace = $1 AND merged_into = $2 AND customer_id = ANY($4::text[])""",
        workspace,
        survivor,
        restored,
        list(merged_ids),
    )


# A profile's stats from its facts alone (orders, refunds, survey answers, the timeline), as ingest keeps them batch by
# batch: sums, extremes, the first purchase's channel and the first utm touch (ties by value), the latest NPS.
_REFOLD_STATS = """
UPDATE customers c SET
    orders = o.orders, revenue = o.amount - r.amount,
    first_purchase_at = o.first_at, second_purchase_at = o.second_at, last_purchase_at = o.last_at,
    first_purchase_channel = ch.channel,
    visits = v.visits, last_visit_at = v.last_at,
    csat_sum = s.csat_sum, csat_count = s.csat_count, last_nps = n.nps, last_nps_at = n.at,
    first_seen_at = coalesce(e.first_at, c.first_seen_at), last_event_at = e.last_at,
    first_utm_at = u.at, first_utm_source = u.source, first_utm_campaign = u.campaign,
    updated_at = now()
FROM unnest($2::text[]) AS q(customer_id)
CROSS JOIN LATERAL (SELECT count(*) AS orders, coalesce(sum(amount), 0) AS amount, min(occurred_at) AS first_at,
                           (array_agg(occurred_at ORDER BY occurred_at))[2] AS second_at, max(occurred_at) AS last_at
                      FROM orders WHERE workspace = $1 AND customer_id = q.customer_id) AS o
CROSS JOIN LATERAL (SELECT coalesce(sum(amount), 0) AS amount
                      FROM refunds WHERE workspace = $1 AND customer_id = q.customer_id) AS r
LEFT JOIN LATERAL (SELECT nullif(t.event -> 'data' ->> 'channel', '') AS channel
                     FROM orders x
                     JOIN timeline t ON t.workspace = x.workspace AND t.customer_id = x.customer_id
                                    AND t.occurred_at = x.occurred_at AND t.event_id = x.event_id
                    WHERE x.workspace = $1 AND x.customer_id = q.customer_id
                    ORDER BY x.occurred_at, coalesce(t.event -> 'data' ->> 'channel', '') LIMIT 1) AS ch ON true
CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE type = 'visit') AS visits,
                           max(occurred_at) FILTER (WHERE type = 'visit') AS last_at
                      FROM timeline WHERE workspace = $1 AND customer_id = q.customer_id) AS v
CROSS JOIN LATERAL (SELECT min(occurred_at) AS first_at, max(occurred_at) AS last_at
                      FROM timeline WHERE workspace = $1 AND customer_id = q.customer_id) AS e
CROSS JOIN LATERAL (SELECT coalesce(sum(csat), 0) AS csat_sum, count(csat) AS csat_count
                      FROM survey_answers WHERE workspace = $1 AND customer_id = q.customer_id) AS s
LEFT JOIN LATERAL (SELECT nps, answered_at AS at FROM survey_answers
                    WHERE workspace = $1 AND customer_id = q.customer_id AND nps IS NOT NULL
                    ORDER BY answered_at DESC, nps DESC LIMIT 1) AS n ON true
LEFT JOIN LATERAL (SELECT occurred_at AS at, event -> 'data' ->> 'utm_source' AS source,
                          event -> 'data' ->> 'utm_campaign' AS campaign
                     FROM timeline
                    WHERE workspace = $1 AND customer_id = q.customer_id AND type IN ('visit', 'purchase')
                      AND coalesce(event -> 'data' ->> 'utm_source', '') <> ''
                    ORDER BY occurred_at, event -> 'data' ->> 'utm_source',
                             coalesce(event -> 'data' ->> 'utm_campaign', '') LIMIT 1) AS u ON true
WHERE c.workspace = $1 AND c.customer_id = q.customer_id"""


async def refold_stats(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    """Each profile's stats, open tickets and acquisition touches recomputed from its own facts."""
    ids = list(customer_ids)
    await conn.execute(_REFOLD_STATS, workspace, ids)
    await conn.execute(
        """UPDATE customers c SET open_tickets = (
               SELECT count(*) FROM tickets t
                WHERE t.workspace = c.workspace AND t.customer_id = c.customer_id AND t.status = 'opened')
            WHERE c.workspace = $1 AND c.customer_id = ANY($2::text[])""",
        workspace,
        ids,
    )


async def identifies_of(
    conn: Connection, workspace: str, customer_ids: Sequence[str]
) -> dict[str, list[tuple[dict[str, Any], dt.datetime]]]:
    """Each profile's identify events: (traits, event time)."""
    rows = await conn.fetch(
        """SELECT customer_id, occurred_at, event -> 'data' -> 'traits' AS traits FROM timeline
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND type = 'identify'""",
        workspace,
        list(customer_ids),
    )
    found: dict[str, list[tuple[dict[str, Any], dt.datetime]]] = {c: [] for c in customer_ids}
    for r in rows:
        traits = _json(r["traits"])
        found[r["customer_id"]].append((traits if isinstance(traits, dict) else {}, r["occurred_at"]))
    return found


async def save_refolded(conn: Connection, workspace: str, refolded: Mapping[str, Refolded]) -> None:
    for customer_id, side in refolded.items():
        await conn.execute(
            """UPDATE customers SET traits = $3, trait_times = $4, tags = $5::text[], referral_program_id = $6,
                      referral_at = $7, updated_at = now()
                WHERE workspace = $1 AND customer_id = $2""",
            workspace,
            customer_id,
            side.traits[0],
            side.traits[1],
            list(side.tags),
            side.referral_program_id,
            side.referral_at,
        )


async def finish_undo(
    conn: Connection, workspace: str, merge_id: str, survivor: str, restored: str, reason: str
) -> MergeRecord:
    """Mark the merge undone, keep the two apart from now on, and flag both as split (ingest re-reads their links)."""
    row = await conn.fetchrow(
        """UPDATE merges SET undone_at = now(), undo_reason = $3 WHERE workspace = $1 AND merge_id = $2 RETURNING *""",
        workspace,
        merge_id,
        reason,
    )
    await conn.execute(
        """INSERT INTO kept_apart (workspace, customer_id, other_id, merge_id)
           VALUES ($1, $2, $3, $4), ($1, $3, $2, $4) ON CONFLICT DO NOTHING""",
        workspace,
        survivor,
        restored,
        merge_id,
    )
    await conn.execute(
        "UPDATE customers SET split_at = now() WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        [survivor, restored],
    )
    assert row is not None  # locked by lock_merge in this transaction
    return _record(row)


async def erase_merges(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    """An erasure clears what the merges of these ids hold on them (identifiers, snapshots, the operator's reason);
    the rows stay as id-only records, so an undo of one answers that it is erased (409). Kept-apart pairs go."""
    await conn.execute(
        """UPDATE merges SET joined_identifiers = '[]', merged_identifiers = '[]', survivor_snapshot = NULL,
                  merged_snapshot = NULL, undo_reason = NULL, erased_at = coalesce(erased_at, now())
            WHERE workspace = $1 AND (survivor_id = ANY($2::text[]) OR merged_id = ANY($2::text[]))""",
        workspace,
        list(customer_ids),
    )
    await conn.execute(
        """DELETE FROM kept_apart WHERE workspace = $1
              AND (customer_id = ANY($2::text[]) OR other_id = ANY($2::text[]))""",
        workspace,
        list(customer_ids),
    )
