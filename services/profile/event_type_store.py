"""Profile's SQL for the tracking plan: each workspace's custom event types, every version of each (the highest is
current), and the events accepted and refused per type (built-in types too), added batch-wise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from contracts.tracking_plan import EventType, UnknownFields
from runtime import quotas
from runtime.db import Connection


@dataclass(frozen=True)
class StoredVersion:
    name: str
    version: int
    description: str | None
    schema: dict[str, Any]
    unknown_fields: UnknownFields
    created_at: dt.datetime


async def put_version(
    conn: Connection,
    workspace: str,
    name: str,
    description: str | None,
    schema: dict[str, Any],
    unknown_fields: UnknownFields,
    quota_types: int,
    quota_versions: int,
) -> int:
    """A new version of the type (1 for a new type); QuotaExceeded (409) past the workspace's quota `event_types`
    for a new type or past `event_type_versions` for this type. Returns the version."""
    async with conn.transaction():
        await quotas.EVENT_TYPES.lock(conn, workspace)
        latest = await conn.fetchval(
            "SELECT max(version) FROM event_types WHERE workspace = $1 AND name = $2", workspace, name
        )
        if latest is None:
            used = await conn.fetchval("SELECT count(DISTINCT name) FROM event_types WHERE workspace = $1", workspace)
            quotas.check(quotas.EVENT_TYPES.usage(quota_types, int(used)))
        else:
            quotas.check(quotas.EVENT_TYPE_VERSIONS.usage(quota_versions, int(latest)))
        version = int(latest or 0) + 1
        await conn.execute(
            """INSERT INTO event_types (workspace, name, version, description, schema, unknown_fields)
               VALUES ($1, $2, $3, $4, $5::jsonb, $6)""",
            workspace,
            name,
            version,
            description,
            schema,  # jsonb: the pool's codec encodes it (runtime/db.py)
            unknown_fields,
        )
    return version


async def current(conn: Connection, workspaces: Iterable[str]) -> dict[str, dict[str, EventType]]:
    """Each workspace's custom types at their current (highest) version."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (workspace, name) workspace, name, version, schema, unknown_fields
             FROM event_types WHERE workspace = ANY($1)
            ORDER BY workspace, name, version DESC""",
        sorted(set(workspaces)),
    )
    out: dict[str, dict[str, EventType]] = {}
    for r in rows:
        out.setdefault(r["workspace"], {})[r["name"]] = EventType(
            r["name"], r["version"], r["schema"], r["unknown_fields"]
        )
    return out


async def versions(conn: Connection, workspace: str, name: str | None = None) -> list[StoredVersion]:
    """Every version of the workspace's types (of one type with `name`), by name then version."""
    rows = await conn.fetch(
        """SELECT name, version, description, schema, unknown_fields, created_at
             FROM event_types WHERE workspace = $1 AND ($2::text IS NULL OR name = $2)
            ORDER BY name, version""",
        workspace,
        name,
    )
    return [
        StoredVersion(r["name"], r["version"], r["description"], r["schema"], r["unknown_fields"], r["created_at"])
        for r in rows
    ]


async def count_types(conn: Connection, workspace: str) -> int:
    used = await conn.fetchval("SELECT count(DISTINCT name) FROM event_types WHERE workspace = $1", workspace)
    return int(used)


async def add_counts(conn: Connection, workspace: str, counts: Mapping[str, tuple[int, int]]) -> None:
    """Add (accepted, rejected) per type: one statement for the batch."""
    if not counts:
        return
    names = sorted(counts)  # rows locked in one order by every batch
    await conn.execute(
        """INSERT INTO event_type_counts (workspace, name, accepted, rejected)
           SELECT $1, n, a, r FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS t(n, a, r)
           ON CONFLICT (workspace, name) DO UPDATE
              SET accepted = event_type_counts.accepted + EXCLUDED.accepted,
                  rejected = event_type_counts.rejected + EXCLUDED.rejected""",
        workspace,
        names,
        [counts[n][0] for n in names],
        [counts[n][1] for n in names],
    )


async def counts(conn: Connection, workspace: str) -> dict[str, tuple[int, int]]:
    rows = await conn.fetch("SELECT name, accepted, rejected FROM event_type_counts WHERE workspace = $1", workspace)
    return {r["name"]: (int(r["accepted"]), int(r["rejected"])) for r in rows}
