"""Profile's SQL for the shared-device guard (services/profile/guard.py): sightings, a workspace's limits, and the
conflicts recorded; every statement works on a whole batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from contracts.http import profile as http
from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor
from services.profile.domain import IdentifierKind
from services.profile.guard import PreventedMerge, SharedLimit, Sighting, mask


async def load_sightings(conn: Connection, workspace: str, identifier_hashes: Iterable[str]) -> list[Sighting]:
    """The stored sightings of these identifiers (one query for a batch; at most max_distinct + 1 per kind each)."""
    rows = await conn.fetch(
        """SELECT identifier_hash, other_kind, other_hash, first_seen_at, last_seen_at FROM identifier_sightings
            WHERE workspace = $1 AND identifier_hash = ANY($2::text[])""",
        workspace,
        sorted(set(identifier_hashes)),
    )
    return [
        Sighting(r["identifier_hash"], r["other_kind"], r["other_hash"], r["first_seen_at"], r["last_seen_at"])
        for r in rows
    ]


async def save_sightings(
    conn: Connection,
    workspace: str,
    pruned: Mapping[tuple[str, IdentifierKind], dt.datetime],
    sightings: Sequence[Sighting],
) -> None:
    """Prune what fell out of the window of the identifiers seen, then add or widen the batch's sightings."""
    if pruned:
        await conn.execute(
            """DELETE FROM identifier_sightings s
                USING unnest($2::text[], $3::text[], $4::timestamptz[]) AS q(identifier_hash, other_kind, since)
                WHERE s.workspace = $1 AND s.identifier_hash = q.identifier_hash AND s.other_kind = q.other_kind
                  AND s.last_seen_at < q.since""",
            workspace,
            [h for h, _ in pruned],
            [k for _, k in pruned],
            list(pruned.values()),
        )
    if sightings:
        await conn.execute(
            """INSERT INTO identifier_sightings
                      (workspace, identifier_hash, other_kind, other_hash, first_seen_at, last_seen_at)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
               ON CONFLICT (workspace, identifier_hash, other_kind, other_hash) DO UPDATE
                  SET first_seen_at = LEAST(identifier_sightings.first_seen_at, EXCLUDED.first_seen_at),
                      last_seen_at = GREATEST(identifier_sightings.last_seen_at, EXCLUDED.last_seen_at)""",
            workspace,
            [s.identifier_hash for s in sightings],
            [s.other_kind for s in sightings],
            [s.other_hash for s in sightings],
            [s.first for s in sightings],
            [s.last for s in sightings],
        )


async def erase_sightings(conn: Connection, workspace: str, identifier_hashes: Sequence[str]) -> None:
    """Forget erased identifiers: their own sightings and those of others that name them."""
    if identifier_hashes:
        await conn.execute(
            """DELETE FROM identifier_sightings
                WHERE workspace = $1 AND (identifier_hash = ANY($2::text[]) OR other_hash = ANY($2::text[]))""",
            workspace,
            list(identifier_hashes),
        )


# --- settings -------------------------------------------------------------------------------------


def _limits(items: list[dict[str, Any]]) -> list[SharedLimit]:
    return [SharedLimit(i["kind"], i["other_kind"], int(i["max_distinct"]), int(i["window_days"])) for i in items]


@dataclass(frozen=True)
class StoredSettings:
    """What a workspace set: its limits, and its weak identifier kinds (None: the defaults)."""

    limits: list[SharedLimit]
    weak_kinds: list[IdentifierKind] | None


async def load_settings(conn: Connection, workspaces: Iterable[str]) -> dict[str, StoredSettings]:
    """The settings the workspaces set, in one query (a workspace that set none is absent: the defaults apply)."""
    rows = await conn.fetch(
        "SELECT workspace, limits, weak_kinds FROM identity_settings WHERE workspace = ANY($1::text[])",
        sorted(set(workspaces)),
    )
    return {
        r["workspace"]: StoredSettings(_limits(r["limits"]), None if r["weak_kinds"] is None else list(r["weak_kinds"]))
        for r in rows
    }


async def load_limits(conn: Connection, workspaces: Iterable[str]) -> dict[str, list[SharedLimit]]:
    """The limits the workspaces set (a workspace that set none is absent: the defaults apply)."""
    return {ws: found.limits for ws, found in (await load_settings(conn, workspaces)).items()}


async def put_limits(
    conn: Connection,
    workspace: str,
    limits: Sequence[SharedLimit],
    weak_kinds: Sequence[IdentifierKind] | None = None,
) -> None:
    """Replace the workspace's settings (`weak_kinds` None: the default weak kinds)."""
    doc = [
        {"kind": x.kind, "other_kind": x.other_kind, "max_distinct": x.max_distinct, "window_days": x.window_days}
        for x in limits
    ]
    await conn.execute(
        """INSERT INTO identity_settings (workspace, limits, weak_kinds) VALUES ($1, $2::jsonb, $3::text[])
           ON CONFLICT (workspace) DO UPDATE
              SET limits = EXCLUDED.limits, weak_kinds = EXCLUDED.weak_kinds, updated_at = now()""",
        workspace,
        doc,
        None if weak_kinds is None else list(weak_kinds),
    )


# --- conflicts ------------------------------------------------------------------------------------


async def insert_conflicts(conn: Connection, workspace: str, conflicts: Sequence[PreventedMerge]) -> int:
    """Record the batch's conflicts once per event and identifier; returns how many were new."""
    if not conflicts:
        return 0
    inserted = await conn.fetch(
        """INSERT INTO identity_conflicts (workspace, event_id, identifier_kind, identifier_hash, masked_identifier,
                                           customer_id, other_customer_ids, occurred_at, rule)
           SELECT $1, q.event_id, q.kind, q.hash, q.masked, q.customer_id,
                  ARRAY(SELECT jsonb_array_elements_text(q.others)), q.at, q.rule
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[],
                         $9::text[])
                  AS q(event_id, kind, hash, masked, customer_id, others, at, rule)
           ON CONFLICT DO NOTHING RETURNING event_id""",
        workspace,
        [c.event_id for c in conflicts],
        [c.identifier[0] for c in conflicts],
        [c.identifier_hash for c in conflicts],
        [mask(c.identifier) for c in conflicts],
        [c.customer_id for c in conflicts],
        [orjson.dumps(list(c.others)) for c in conflicts],  # JSON: asyncpg takes a list as a dimension,
        [c.at for c in conflicts],
        [c.rule for c in conflicts],
    )
    return len(inserted)


def _conflict(row: asyncpg.Record) -> http.IdentityConflict:
    return http.IdentityConflict(
        event_id=row["event_id"],
        identifier_kind=row["identifier_kind"],
        identifier_hash=row["identifier_hash"],
        masked_identifier=row["masked_identifier"],
        customer_id=row["customer_id"],
        other_customer_ids=list(row["other_customer_ids"]),
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        rule=row["rule"],
    )


def _after(cursor: str) -> tuple[dt.datetime, str, str]:
    occurred_at, event_id, identifier_hash = decode_cursor(cursor, 3)
    try:
        return dt.datetime.fromisoformat(occurred_at), event_id, identifier_hash
    except ValueError:
        raise BadCursor() from None


async def conflicts_page(
    conn: Connection, workspace: str, customer_ids: Sequence[str] | None, limit: int, cursor: str | None
) -> http.IdentityConflictPage:
    """Conflicts newest first (by event time), of the whole workspace or involving any of `customer_ids` (a customer
    and the ids merged into it)."""
    params: list[Any] = [workspace, limit + 1]
    conditions = []
    if customer_ids is not None:
        params.append(list(customer_ids))
        conditions.append(f"AND (customer_id = ANY(${len(params)}::text[]) OR other_customer_ids && ${len(params)})")
    if cursor:
        params.extend(_after(cursor))
        n = len(params)
        conditions.append(f"AND (occurred_at, event_id, identifier_hash) < (${n - 2}, ${n - 1}, ${n})")
    rows = await conn.fetch(
        f"""SELECT event_id, identifier_kind, identifier_hash, masked_identifier, customer_id, other_customer_ids,
                   occurred_at, recorded_at, rule
              FROM identity_conflicts
             WHERE workspace = $1 {" ".join(conditions)}
             ORDER BY occurred_at DESC, event_id DESC, identifier_hash DESC LIMIT $2""",  # noqa: S608 (fixed text)
        *params,
    )
    last = rows[limit - 1] if len(rows) > limit else None
    return http.IdentityConflictPage(
        items=[_conflict(r) for r in rows[:limit]],
        next_cursor=encode_cursor(last["occurred_at"].isoformat(), last["event_id"], last["identifier_hash"])
        if last
        else None,
    )


async def customer_ids_of(conn: Connection, workspace: str, live: str) -> list[str]:
    """The live customer and every id merged into it."""
    rows = await conn.fetch(
        "SELECT customer_id FROM customers WHERE workspace = $1 AND (customer_id = $2 OR merged_into = $2)",
        workspace,
        live,
    )
    return sorted(r["customer_id"] for r in rows)


async def erase_conflicts(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    """An erased customer's conflicts go, whichever side of them it was on."""
    if customer_ids:
        await conn.execute(
            """DELETE FROM identity_conflicts
                WHERE workspace = $1 AND (customer_id = ANY($2::text[]) OR other_customer_ids && $2::text[])""",
            workspace,
            list(customer_ids),
        )
