"""Journey's SQL for frequency caps across journeys (domain/caps.py decides): the workspace's messaging settings
(versioned), the messages counted against caps (read under a per-customer lock), and the messages caps held
back (journey stats).

Consistency under concurrency: two units of work for the same customer (two consumers, a consumer and the
timer round, two replicas) must not both read "one slot left" and both send. `lock_and_count` takes a
transaction-scoped advisory lock per (workspace, customer), in customer order, *before* reading the messages
counted; the lock is held until the unit of work commits the messages it sent (store.record_messages), so the
next one reads them. A lock rather than a conditional insert: windows slide (there is no fixed slot row to
insert into), a message is decided against several caps (the journey's, the channel's), and the decisions of a
pass depend on each other (priority), so the whole pass must see one consistent count. The units of work that
count lock the customers' facts and enrolments first; the cap locks come after those, in customer order,
and a unit of work holding them waits on no other customer's lock afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from runtime.db import Connection
from services.journey.domain.caps import ChannelCap, Counted, WorkspaceCaps
from services.journey.domain.schedule import duration

MAX_SETTINGS_VERSIONS = 100  # kept per workspace; older ones are deleted by the PUT that passes it


async def lock_and_count(
    conn: Connection, workspace: str, customer_ids: Iterable[str], since: dt.datetime
) -> dict[str, list[Counted]]:
    """Lock the customers against other units of work counting them (until commit), then their messages since
    `since`, oldest first (see the module)."""
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    await conn.execute(
        """SELECT pg_advisory_xact_lock(hashtext('journey-cap:' || $1 || ':' || c))
             FROM unnest($2::text[]) AS c ORDER BY c""",
        workspace,
        ids,
    )
    rows = await conn.fetch(
        """SELECT customer_id, sent_at, channel, journey_id FROM messages_sent
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND sent_at > $3
            ORDER BY customer_id, sent_at""",
        workspace,
        ids,
        since,
    )
    counted: dict[str, list[Counted]] = {}
    for r in rows:
        counted.setdefault(r["customer_id"], []).append(Counted(r["sent_at"], r["channel"], r["journey_id"]))
    return counted


# --- the workspace's messaging settings ---------------------------------------------------------------


async def current_settings(
    conn: Connection, workspace: str
) -> tuple[int, dict[str, dict[str, object]], dt.datetime | None]:
    """(version, caps as stored, written at); version 0 and no cap before the first PUT."""
    row = await conn.fetchrow(
        """SELECT version, caps, created_at FROM messaging_settings
            WHERE workspace = $1 ORDER BY version DESC LIMIT 1""",
        workspace,
    )
    if row is None:
        return 0, {}, None
    return row["version"], dict(row["caps"]), row["created_at"]


def caps_of(stored: dict[str, dict[str, object]]) -> WorkspaceCaps:
    """The caps as the engine reads them (a stored cap was validated when PUT)."""
    return {
        channel: ChannelCap(int(str(cap["messages"])), duration(str(cap["per"]))) for channel, cap in stored.items()
    }


async def workspace_caps(conn: Connection, workspace: str) -> WorkspaceCaps:
    _, stored, _ = await current_settings(conn, workspace)
    return caps_of(stored)


async def put_settings(conn: Connection, workspace: str, caps: dict[str, dict[str, object]], now: dt.datetime) -> int:
    """Write the next version (serialised per workspace by a lock; the oldest past MAX_SETTINGS_VERSIONS go);
    returns it."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('journey-messaging:' || $1))", workspace)
        version: int = await conn.fetchval(
            """INSERT INTO messaging_settings (workspace, version, caps, created_at)
               SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM messaging_settings WHERE workspace = $1
               RETURNING version""",
            workspace,
            caps,
            now,
        )
        await conn.execute(
            "DELETE FROM messaging_settings WHERE workspace = $1 AND version <= $2",
            workspace,
            version - MAX_SETTINGS_VERSIONS,
        )
    return version


# --- what caps held back ------------------------------------------------------------------------------


async def record_decisions(
    conn: Connection, workspace: str, decisions: list[tuple[str, str, str, str]], now: dt.datetime
) -> None:
    """(journey_id, outcome, reason, action_id) of messages a cap deferred or skipped; each counted once."""
    if decisions:
        await conn.execute(
            """INSERT INTO message_decisions (workspace, journey_id, outcome, reason, action_id, decided_at)
               SELECT $1, j, o, r, a, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(j, o, r, a)
               ON CONFLICT DO NOTHING""",
            workspace,
            *([d[i] for d in decisions] for i in range(4)),
            now,
        )


async def held_back(conn: Connection, workspace: str, journey_id: str) -> list[tuple[str, str, int]]:
    """(outcome, reason, messages) of a journey, by outcome then reason."""
    rows = await conn.fetch(
        """SELECT outcome, reason, count(*)::int AS messages FROM message_decisions
            WHERE workspace = $1 AND journey_id = $2 GROUP BY outcome, reason ORDER BY outcome, reason""",
        workspace,
        journey_id,
    )
    return [(r["outcome"], r["reason"], r["messages"]) for r in rows]
