"""Idempotency-Key rows in SQL (services/gateway/idempotency.py has the rules): claimed before a write runs,
completed with its answer, released when it failed, redacted when they name an erased customer, pruned once
expired."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson

from services.gateway.store import Executor

log = logging.getLogger(__name__)

# A first request still "in flight" after this long is taken to have died with its process; a retry
# then runs the write again. Far longer than any write takes (service calls time out in seconds).
IN_FLIGHT_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int | None  # None while in flight
    headers: list[tuple[str, str]]
    body: bytes
    withheld: bool = False  # the answer carried a secret or named an erased customer: not kept


async def claim(
    db: Executor,
    key_id: str,
    workspace: str,
    key: str,
    request_fingerprint: str,
    now: datetime,
    ttl: timedelta,
) -> bool:
    """Take the key for this request; False when a live row (in flight or answered) already holds it.

    An expired row, or an in-flight row older than the lease (its process died), is taken over."""
    claimed = await db.fetchval(
        """INSERT INTO idempotency_keys (key_id, key, workspace, fingerprint, started_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (key_id, key) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, started_at = EXCLUDED.started_at,
                   expires_at = EXCLUDED.expires_at, status = NULL, headers = NULL, body = NULL, withheld = false
               WHERE idempotency_keys.expires_at <= $5
                  OR (idempotency_keys.status IS NULL AND idempotency_keys.started_at <= $7)
           RETURNING true""",
        key_id,
        key,
        workspace,
        request_fingerprint,
        now,
        now + ttl,
        now - IN_FLIGHT_LEASE,
    )
    return bool(claimed)


async def load(db: Executor, key_id: str, key: str) -> StoredAnswer | None:
    row = await db.fetchrow(
        "SELECT fingerprint, status, headers, body, withheld FROM idempotency_keys WHERE key_id = $1 AND key = $2",
        key_id,
        key,
    )
    if row is None:
        return None
    headers = [(str(name), str(value)) for name, value in orjson.loads(row["headers"] or "[]")]
    return StoredAnswer(row["fingerprint"], row["status"], headers, bytes(row["body"] or b""), row["withheld"])


async def complete(
    db: Executor,
    key_id: str,
    key: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    withhold: bool = False,
) -> None:
    """Store the answer; with `withhold` (it carries a secret) only that the write was done."""
    await db.execute(
        """UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5, withheld = $6
           WHERE key_id = $1 AND key = $2""",
        key_id,
        key,
        status,
        orjson.dumps([] if withhold else headers).decode(),
        None if withhold else body,
        withhold,
    )


async def forget_answers_naming(db: Executor, workspace: str, customer_ids: Iterable[str]) -> int:
    """Redact the workspace's stored answers that name any of these (erased) customers: the body and headers go,
    the row stays as "done, answer not kept" (a replay answers 409). Returns how many."""
    ids = sorted({c for c in customer_ids if c})
    if not ids:
        return 0
    result = await db.execute(
        """UPDATE idempotency_keys SET body = NULL, headers = '[]', withheld = true
            WHERE workspace = $1 AND body IS NOT NULL
              AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS c WHERE position(convert_to(c, 'UTF8') IN body) > 0)""",
        workspace,
        ids,
    )
    return int(result.split()[-1])


async def release(db: Executor, key_id: str, key: str) -> None:
    """Forget an in-flight claim whose request failed (5xx or an error): a retry runs the write again."""
    await db.execute("DELETE FROM idempotency_keys WHERE key_id = $1 AND key = $2 AND status IS NULL", key_id, key)


async def prune(db: Executor, now: datetime) -> int:
    """Delete expired rows; returns how many."""
    result = await db.execute("DELETE FROM idempotency_keys WHERE expires_at <= $1", now)
    deleted = int(result.split()[-1])
    log.info("pruned idempotency keys", extra={"deleted": deleted})
    return deleted


async def count_live(db: Executor, workspace: str, now: datetime) -> int:
    return int(
        await db.fetchval(
            "SELECT count(*) FROM idempotency_keys WHERE workspace = $1 AND expires_at > $2", workspace, now
        )
    )
