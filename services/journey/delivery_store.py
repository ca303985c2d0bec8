"""Journey's SQL for webhook deliveries: due ones chosen fairly across workspaces, leased one by one, and the
outcome of each attempt (services/journey/deliveries.py sends them)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runtime.db import Connection


@dataclass(frozen=True)
class DueDelivery:
    """A due, unleased delivery; `free` is its workspace's free share, `receiver` None without a channel."""

    workspace: str
    free: int
    delivery_id: str
    next_attempt_at: dt.datetime
    receiver: str | None


@dataclass(frozen=True)
class StoredSecrets:
    """A workspace's webhook secrets as stored (channel_secrets.signing_secrets opens them)."""

    workspace: str
    webhook_secret: str | None  # a plain secret from before secrets were sealed
    secret_sealed: str | None  # runtime.secrets_at_rest's sealed form
    previous_secret_sealed: str | None
    previous_secret_until: dt.datetime | None


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery leased to this claim, with its workspace's channel (webhook_url None without one)."""

    workspace: str
    delivery_id: str
    body: dict[str, Any]
    attempts: int  # this attempt included
    created_at: dt.datetime
    webhook_url: str | None
    receiver: str | None
    secrets: StoredSecrets


_DUE_CANDIDATES = """
WITH RECURSIVE due_workspaces(workspace) AS (  -- each workspace with a due delivery: a loose index scan
    (SELECT d.workspace FROM webhook_deliveries d
      WHERE d.status = 'pending' AND d.next_attempt_at <= $1
        AND (d.claimed_until IS NULL OR d.claimed_until < clock_timestamp())
      ORDER BY d.workspace LIMIT 1)
    UNION ALL
    SELECT (SELECT d.workspace FROM webhook_deliveries d
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND d.workspace > w.workspace
               AND (d.claimed_until IS NULL OR d.claimed_until < clock_timestamp())
             ORDER BY d.workspace LIMIT 1)
      FROM due_workspaces w WHERE w.workspace IS NOT NULL
), shares AS (
    SELECT w.workspace, coalesce(s.free, $2) AS free
      FROM due_workspaces w LEFT JOIN unnest($3::text[], $4::int[]) AS s(workspace, free) USING (workspace)
     WHERE w.workspace IS NOT NULL
)
SELECT shares.workspace, shares.free, c.delivery_id, c.next_attempt_at, ch.receiver
  FROM shares
  LEFT JOIN workspace_channels ch USING (workspace)
  CROSS JOIN LATERAL (
      SELECT d.delivery_id, d.next_attempt_at FROM webhook_deliveries d
       WHERE d.workspace = shares.workspace AND d.status = 'pending' AND d.next_attempt_at <= $1
         AND (d.claimed_until IS NULL OR d.claimed_until < clock_timestamp())
       ORDER BY d.next_attempt_at LIMIT greatest(shares.free, 0) + 1
  ) c
 ORDER BY c.next_attempt_at, shares.workspace, c.delivery_id
"""


async def due_deliveries(
    conn: Connection, now: dt.datetime, share: int, free_shares: Mapping[str, int]
) -> list[DueDelivery]:
    """Due, unleased deliveries, oldest first: of each workspace as many as its free share (`free_shares`,
    `share` for a workspace not listed) and one more, so the caller sees whose share held deliveries back.
    Rows: workspace, free (its free share), delivery_id, next_attempt_at, receiver (None without a channel).
    Nothing is locked: `claim_deliveries` takes what is still free."""
    names = sorted(free_shares)
    rows = await conn.fetch(_DUE_CANDIDATES, now, share, names, [free_shares[n] for n in names])
    return [DueDelivery(**row) for row in rows]


async def claim_deliveries(
    conn: Connection, keys: list[tuple[str, str]], now: dt.datetime, lease_s: float, claim_id: uuid.UUID
) -> list[ClaimedDelivery]:
    """Lease these (workspace, delivery_id) for `lease_s` seconds of the database's clock under `claim_id`,
    counting the attempt, unless another claim took one meanwhile; returns what was claimed, with the
    workspace's channel (webhook_url, receiver: None without a channel) and its secrets as stored (opened by
    channel_secrets.signing_secrets)."""
    if not keys:
        return []
    rows = await conn.fetch(
        """UPDATE webhook_deliveries d
              SET claimed_until = clock_timestamp() + make_interval(secs => $4), claim_id = $5,
                  attempts = d.attempts + 1
             FROM unnest($1::text[], $2::text[]) AS k(workspace, delivery_id)
                  LEFT JOIN workspace_channels ch ON ch.workspace = k.workspace
            WHERE d.workspace = k.workspace AND d.delivery_id = k.delivery_id
              AND d.status = 'pending' AND d.next_attempt_at <= $3
              AND (d.claimed_until IS NULL OR d.claimed_until < clock_timestamp())
        RETURNING d.workspace, d.delivery_id, d.body, d.attempts, d.created_at,
                  ch.webhook_url, ch.receiver, ch.webhook_secret, ch.secret_sealed, ch.previous_secret_sealed,
                  ch.previous_secret_until""",
        [w for w, _ in keys],
        [d for _, d in keys],
        now,
        float(lease_s),
        claim_id,
    )
    secrets = StoredSecrets.__dataclass_fields__
    return [
        ClaimedDelivery(
            **{name: row[name] for name in ClaimedDelivery.__dataclass_fields__ if name != "secrets"},
            secrets=StoredSecrets(**{name: row[name] for name in secrets}),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class AttemptOutcome:
    """The outcome of one attempt made under `claim_id` (status: delivered, retry, failed)."""

    workspace: str
    delivery_id: str
    claim_id: uuid.UUID
    status: str
    retry_at: dt.datetime | None
    http_status: int | None
    error: str | None


async def record_outcome(
    conn: Connection,
    workspace: str,
    delivery_id: str,
    claim_id: uuid.UUID,
    status: str,
    retry_at: dt.datetime | None,
    http_status: int | None,
    error: str | None,
) -> bool:
    """The outcome of the attempt made under `claim_id` (status: delivered, retry, failed), and the lease
    given back; False when the lease had run out and another claim holds the delivery (or it was erased)."""
    outcome = AttemptOutcome(workspace, delivery_id, claim_id, status, retry_at, http_status, error)
    return bool(await record_outcomes(conn, [outcome]))


async def record_outcomes(conn: Connection, outcomes: list[AttemptOutcome]) -> set[tuple[str, str]]:
    """Each outcome and its lease given back, in one statement; returns the (workspace, delivery_id) recorded:
    one missing had lost its lease to another claim (or was erased)."""
    if not outcomes:
        return set()
    rows = await conn.fetch(
        """UPDATE webhook_deliveries d
              SET status = CASE WHEN o.status = 'retry' THEN 'pending' ELSE o.status END,
                  next_attempt_at = coalesce(o.retry_at, d.next_attempt_at), last_status = o.http_status,
                  last_error = o.error, finished_at = CASE WHEN o.status = 'retry' THEN NULL ELSE now() END,
                  claimed_until = NULL, claim_id = NULL
             FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::int[], $7::text[])
                  AS o(workspace, delivery_id, claim_id, status, retry_at, http_status, error)
            WHERE d.workspace = o.workspace AND d.delivery_id = o.delivery_id AND d.claim_id = o.claim_id
        RETURNING d.workspace, d.delivery_id""",
        [o.workspace for o in outcomes],
        [o.delivery_id for o in outcomes],
        [o.claim_id for o in outcomes],
        [o.status for o in outcomes],
        [o.retry_at for o in outcomes],
        [o.http_status for o in outcomes],
        [o.error for o in outcomes],
    )
    return {(r["workspace"], r["delivery_id"]) for r in rows}


async def record_suppressed(conn: Connection, stopped: list[tuple[str, str, str, str]], claim_id: uuid.UUID) -> None:
    """(workspace, delivery_id, customer_id, reason) of deliveries under `claim_id` that consent stopped:
    `suppressed` for good, the reason in last_error, the lease given back; never sent, so no longer counted by
    frequency caps (messages_sent). One transaction."""
    if not stopped:
        return
    columns = [[row[i] for row in stopped] for i in range(4)]
    async with conn.transaction():
        await conn.execute(
            """UPDATE webhook_deliveries d
                  SET status = 'suppressed', last_error = k.reason, finished_at = now(),
                      claimed_until = NULL, claim_id = NULL
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(workspace, delivery_id, customer_id,
                                                                                  reason)
                WHERE d.workspace = k.workspace AND d.delivery_id = k.delivery_id AND d.claim_id = $5""",
            *columns,
            claim_id,
        )
        await conn.execute(
            """DELETE FROM messages_sent m
                USING unnest($1::text[], $2::text[], $3::text[]) AS k(workspace, action_id, customer_id)
                WHERE m.workspace = k.workspace AND m.customer_id = k.customer_id AND m.action_id = k.action_id""",
            *columns[:3],
        )
