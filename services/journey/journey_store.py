"""Journey's SQL for the internal API: journeys and their versions, and the channel's time zones (its SQL is
in channel_store.py; stats, a customer's enrolments and the period report are stats_store.py's). Every query
filters on the workspace.

Versions: a journey's `latest_version` is the one being edited. Activating freezes it (`frozen_at`)
and makes it the `active_version` new enrolments get; an edit of a frozen version writes a new
version instead, so enrolled customers finish on the version they entered.

Statuses (the engine honours them):
- draft: never activated; nobody enters.
- active: new enrolments enter `active_version`; enrolments in flight move on.
- paused: no new enrolments, and the timers of enrolments in flight hold (a due timer waits, it does
  not fire) until the journey is activated again; goals and exit_on events still end enrolments, and
  an event an enrolment waits for is not acted on while paused (its wait times out as usual).
- archived: no new enrolments; enrolments in flight finish on their frozen version. Archived
  journeys are kept (their stats and enrolments stay readable) but can no longer be changed.

Quotas (runtime.quotas, counted per journey, not per version, in the creating or activating transaction):
`journeys` counts drafts, active and paused journeys (archiving one frees its place), `active_journeys`
the active ones, checked when a journey that is not active yet is activated (or resumed).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import asyncpg

from runtime.db import Connection
from runtime.errors import Conflict, NotFound
from runtime.quotas import ACTIVE_JOURNEYS, JOURNEYS, QuotaUsage
from services.journey.domain.budgets import MAX_VERSIONS
from services.journey.domain.schedule import zone

JourneyStatus: TypeAlias = Literal["draft", "active", "paused", "archived"]
Document = dict[str, Any]


@dataclass(frozen=True)
class JourneyRow:
    journey_id: str
    name: str
    status: JourneyStatus
    active_version: int | None
    latest_version: int
    template: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    document: Document | None = None  # the latest version's, when asked for


_COUNT_JOURNEYS = "SELECT count(*) FROM journeys WHERE workspace = $1 AND status <> 'archived'"
_COUNT_ACTIVE_JOURNEYS = "SELECT count(*) FROM journeys WHERE workspace = $1 AND status = 'active'"


async def quota_usages(conn: Connection, workspace: str, journeys: int, active_journeys: int) -> list[QuotaUsage]:
    """The workspace's two journey quotas with these limits and their use."""
    row = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE status <> 'archived') AS journeys,
                  count(*) FILTER (WHERE status = 'active') AS active_journeys
             FROM journeys WHERE workspace = $1""",
        workspace,
    )
    assert row is not None
    return [
        JOURNEYS.usage(journeys, row["journeys"]),
        ACTIVE_JOURNEYS.usage(active_journeys, row["active_journeys"]),
    ]


def new_journey_id() -> str:
    return f"j_{secrets.token_hex(8)}"


def _journey(row: asyncpg.Record, document: Document | None = None) -> JourneyRow:
    return JourneyRow(
        journey_id=row["journey_id"],
        name=row["name"],
        status=row["status"],
        active_version=row["active_version"],
        latest_version=row["latest_version"],
        template=row["template"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        document=document,
    )


async def create_journey(
    conn: Connection, workspace: str, name: str, document: Document, template: str | None = None, *, quota: int
) -> JourneyRow:
    """A new draft journey with `document` as its version 1. Raises runtime.quotas.QuotaExceeded when the
    workspace already holds `quota` journeys (drafts, active and paused). Call in a transaction (the count
    holds the quota's lock until commit)."""
    await JOURNEYS.enforce(conn, workspace, quota, _COUNT_JOURNEYS)
    journey_id = new_journey_id()
    row = await conn.fetchrow(
        """WITH j AS (
               INSERT INTO journeys (workspace, journey_id, name, status, latest_version, template)
               VALUES ($1, $2, $3, 'draft', 1, $4) RETURNING *),
           v AS (INSERT INTO journey_versions (workspace, journey_id, version, document)
                 SELECT workspace, journey_id, 1, $5::jsonb FROM j)
           SELECT * FROM j""",
        workspace,
        journey_id,
        name,
        template,
        document,
    )
    assert row is not None
    return _journey(row, document)


async def list_journeys(
    conn: Connection, workspace: str, limit: int, after: str | None, status: JourneyStatus | None = None
) -> list[tuple[JourneyRow, int]]:
    """Journeys in id order with their number of versions; one more than `limit` when there is a next
    page. Without `status`, archived journeys are left out."""
    rows = await conn.fetch(
        """SELECT j.*, (SELECT count(*) FROM journey_versions v
                         WHERE v.workspace = j.workspace AND v.journey_id = j.journey_id) AS versions
             FROM journeys j
            WHERE j.workspace = $1 AND ($2::text IS NULL OR j.journey_id > $2)
              AND (CASE WHEN $3::text IS NULL THEN j.status <> 'archived' ELSE j.status = $3 END)
            ORDER BY j.journey_id LIMIT $4""",
        workspace,
        after,
        status,
        limit + 1,
    )
    return [(_journey(r), r["versions"]) for r in rows]


async def get_journey(conn: Connection, workspace: str, journey_id: str) -> JourneyRow | None:
    """A journey with its latest version's document, or None."""
    row = await conn.fetchrow(
        """SELECT j.*, v.document FROM journeys j
             JOIN journey_versions v
               ON v.workspace = j.workspace AND v.journey_id = j.journey_id AND v.version = j.latest_version
            WHERE j.workspace = $1 AND j.journey_id = $2""",
        workspace,
        journey_id,
    )
    return None if row is None else _journey(row, row["document"])


async def _lock(conn: Connection, workspace: str, journey_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(
        """SELECT j.*, v.frozen_at FROM journeys j
             JOIN journey_versions v
               ON v.workspace = j.workspace AND v.journey_id = j.journey_id AND v.version = j.latest_version
            WHERE j.workspace = $1 AND j.journey_id = $2 FOR UPDATE OF j""",
        workspace,
        journey_id,
    )
    if row is None:
        raise NotFound(journey_id)
    return row


async def update_document(conn: Connection, workspace: str, journey_id: str, name: str, document: Document) -> int:
    """Save an edit: a new version when the latest one is frozen, else the latest overwritten in place.
    Returns the version written. Raises NotFound, or Conflict for an archived journey. Call in a
    transaction (the journey row is locked until commit)."""
    current = await _lock(conn, workspace, journey_id)
    if current["status"] == "archived":
        raise Conflict(f"journey {journey_id!r} is archived")
    version: int = current["latest_version"]
    if current["frozen_at"] is not None:
        version += 1
        if version > MAX_VERSIONS:
            raise Conflict(
                f"journey {journey_id!r} has {MAX_VERSIONS} versions, the most a journey keeps; "
                "create a new journey for further changes"
            )
        await conn.execute(
            "INSERT INTO journey_versions (workspace, journey_id, version, document) VALUES ($1, $2, $3, $4)",
            workspace,
            journey_id,
            version,
            document,
        )
    else:
        await conn.execute(
            """UPDATE journey_versions SET document = $4, created_at = now()
                WHERE workspace = $1 AND journey_id = $2 AND version = $3""",
            workspace,
            journey_id,
            version,
            document,
        )
    await conn.execute(
        """UPDATE journeys SET name = $3, latest_version = $4, updated_at = now()
            WHERE workspace = $1 AND journey_id = $2""",
        workspace,
        journey_id,
        name,
        version,
    )
    return version


async def activate(conn: Connection, workspace: str, journey_id: str, *, quota: int) -> None:
    """Freeze the latest version and make it the one new enrolments get (also resumes a paused
    journey). Raises NotFound, Conflict for an archived journey, or runtime.quotas.QuotaExceeded when
    a journey not active yet would take the workspace past `quota` active journeys. Call in a transaction."""
    current = await _lock(conn, workspace, journey_id)
    if current["status"] == "archived":
        raise Conflict(f"journey {journey_id!r} is archived")
    if current["status"] != "active":
        await ACTIVE_JOURNEYS.enforce(conn, workspace, quota, _COUNT_ACTIVE_JOURNEYS)
    await conn.execute(
        """UPDATE journey_versions SET frozen_at = coalesce(frozen_at, now())
            WHERE workspace = $1 AND journey_id = $2 AND version = $3""",
        workspace,
        journey_id,
        current["latest_version"],
    )
    await conn.execute(
        """UPDATE journeys SET status = 'active', active_version = latest_version, updated_at = now()
            WHERE workspace = $1 AND journey_id = $2""",
        workspace,
        journey_id,
    )


async def pause(conn: Connection, workspace: str, journey_id: str) -> None:
    """Pause an active journey (pausing a paused one changes nothing). Raises NotFound, or Conflict
    when the journey is a draft or archived."""
    paused = await conn.fetchval(
        """UPDATE journeys SET status = 'paused',
                  updated_at = CASE WHEN status = 'paused' THEN updated_at ELSE now() END
            WHERE workspace = $1 AND journey_id = $2 AND status IN ('active', 'paused') RETURNING true""",
        workspace,
        journey_id,
    )
    if paused is None:
        current = await conn.fetchval(
            "SELECT status FROM journeys WHERE workspace = $1 AND journey_id = $2", workspace, journey_id
        )
        if current is None:
            raise NotFound(journey_id)
        raise Conflict(f"journey {journey_id!r} is {current}; only an active journey can be paused")


async def archive(conn: Connection, workspace: str, journey_id: str) -> bool:
    """Archive a journey (again: no change); False if there is no such journey."""
    found = await conn.fetchval(
        """UPDATE journeys SET status = 'archived',
                  updated_at = CASE WHEN status = 'archived' THEN updated_at ELSE now() END
            WHERE workspace = $1 AND journey_id = $2 RETURNING true""",
        workspace,
        journey_id,
    )
    return bool(found)


async def load_active_journeys(conn: Connection, workspace: str) -> list[tuple[str, int, Document]]:
    """(journey_id, active version, document) of the workspace's active journeys, in id order."""
    rows = await conn.fetch(
        """SELECT j.journey_id, j.active_version, v.document FROM journeys j
             JOIN journey_versions v
               ON v.workspace = j.workspace AND v.journey_id = j.journey_id AND v.version = j.active_version
            WHERE j.workspace = $1 AND j.status = 'active' ORDER BY j.journey_id""",
        workspace,
    )
    return [(r["journey_id"], r["active_version"], r["document"]) for r in rows]


async def active_versions(conn: Connection, workspace: str) -> list[tuple[str, int]]:
    """(journey_id, active version) of the workspace's active journeys, in id order (no documents)."""
    rows = await conn.fetch(
        """SELECT journey_id, active_version FROM journeys
            WHERE workspace = $1 AND status = 'active' ORDER BY journey_id""",
        workspace,
    )
    return [(r["journey_id"], r["active_version"]) for r in rows]


async def load_versions(
    conn: Connection, workspace: str, keys: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], Document]:
    """Documents of these (journey_id, version) pairs (those that do not exist are absent)."""
    pairs = sorted(set(keys))
    rows = await conn.fetch(
        """SELECT v.journey_id, v.version, v.document
             FROM unnest($2::text[], $3::int[]) AS k(journey_id, version)
             JOIN journey_versions v ON v.workspace = $1 AND v.journey_id = k.journey_id AND v.version = k.version""",
        workspace,
        [p[0] for p in pairs],
        [p[1] for p in pairs],
    )
    return {(r["journey_id"], r["version"]): r["document"] for r in rows}


async def journey_statuses(conn: Connection, workspace: str, journey_ids: Iterable[str]) -> dict[str, JourneyStatus]:
    """Status of each of these journeys (for the engine: paused journeys' timers hold)."""
    rows = await conn.fetch(
        "SELECT journey_id, status FROM journeys WHERE workspace = $1 AND journey_id = ANY($2::text[])",
        workspace,
        sorted(set(journey_ids)),
    )
    return {r["journey_id"]: r["status"] for r in rows}


# --- time zones (of channels and journeys) ------------------------------------------------------


def check_timezone(name: str) -> str:
    """The name if it is an IANA time zone zoneinfo knows; ValueError otherwise."""
    zone(name)
    return name
