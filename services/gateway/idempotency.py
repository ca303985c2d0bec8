"""Idempotency-Key: a write retried with the same key gets the first answer again, without being done twice.

The rules are here (pure), with the SQL of the store: one row per workspace and key in the gateway's
database, claimed before the write runs and completed with the answer after it. The middleware in
services.gateway.protection applies them to every write under /v1.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import orjson

from services.gateway.store import Executor

log = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255
# A first request still "in flight" after this long is taken to have died with its process; a retry
# then runs the write again. Far longer than any write takes (service calls time out in seconds).
IN_FLIGHT_LEASE = timedelta(minutes=5)
# Headers of the first answer that are part of it; per-request ones (dates, trace ids, rate limits) are not.
REPLAYED_HEADERS = frozenset({"content-type", "location", "retry-after", "allow", "www-authenticate"})
REPLAY_MARKER = ("idempotent-replayed", "true")


class Outcome(Enum):
    REPLAY = "replay"  # the first answer is stored: send it again
    IN_FLIGHT = "in_flight"  # the first request is still running: 409
    MISMATCH = "mismatch"  # the key was used for another request: 422


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int | None  # None while in flight
    headers: list[tuple[str, str]]
    body: bytes


def is_valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests "the same": method, path, query string and body bytes."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode()):
        digest.update(len(part).to_bytes(4, "big") + part)  # length-prefixed: no ambiguity between parts
    digest.update(body)
    return digest.hexdigest()


def classify(stored: StoredAnswer, request_fingerprint: str) -> Outcome:
    if stored.fingerprint != request_fingerprint:
        return Outcome.MISMATCH
    if stored.status is None:
        return Outcome.IN_FLIGHT
    return Outcome.REPLAY


def is_kept(status: int) -> bool:
    """Successes and client errors are the answer to the request; server errors (5xx, 503) are not, so a
    retry should try again."""
    return status < 500


def kept_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    kept = []
    for name, value in headers:
        lowered = name.decode("latin-1").lower()
        if lowered in REPLAYED_HEADERS:
            kept.append((lowered, value.decode("latin-1")))
    return kept


# --- store ---------------------------------------------------------------------------------------


async def claim(
    db: Executor, workspace: str, key: str, request_fingerprint: str, now: datetime, ttl: timedelta
) -> bool:
    """Take the key for this request; False when a live row (in flight or answered) already holds it.

    An expired row, or an in-flight row older than the lease (its process died), is taken over."""
    claimed = await db.fetchval(
        """INSERT INTO idempotency_keys (workspace, key, fingerprint, started_at, expires_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace, key) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, started_at = EXCLUDED.started_at,
                   expires_at = EXCLUDED.expires_at, status = NULL, headers = NULL, body = NULL
               WHERE idempotency_keys.expires_at <= $4
                  OR (idempotency_keys.status IS NULL AND idempotency_keys.started_at <= $6)
           RETURNING true""",
        workspace,
        key,
        request_fingerprint,
        now,
        now + ttl,
        now - IN_FLIGHT_LEASE,
    )
    return bool(claimed)


async def load(db: Executor, workspace: str, key: str) -> StoredAnswer | None:
    row = await db.fetchrow(
        "SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE workspace = $1 AND key = $2",
        workspace,
        key,
    )
    if row is None:
        return None
    headers = [(str(name), str(value)) for name, value in orjson.loads(row["headers"] or "[]")]
    return StoredAnswer(row["fingerprint"], row["status"], headers, bytes(row["body"] or b""))


async def complete(
    db: Executor, workspace: str, key: str, status: int, headers: list[tuple[str, str]], body: bytes
) -> None:
    await db.execute(
        """UPDATE idempotency_keys SET status = $3, headers = $4::jsonb, body = $5
           WHERE workspace = $1 AND key = $2""",
        workspace,
        key,
        status,
        orjson.dumps(headers).decode(),
        body,
    )


async def release(db: Executor, workspace: str, key: str) -> None:
    """Forget an in-flight claim whose request failed (5xx or an error): a retry runs the write again."""
    await db.execute(
        "DELETE FROM idempotency_keys WHERE workspace = $1 AND key = $2 AND status IS NULL", workspace, key
    )


async def prune(db: Executor, now: datetime) -> int:
    """Delete expired rows; returns how many."""
    result = await db.execute("DELETE FROM idempotency_keys WHERE expires_at <= $1", now)
    deleted = int(result.split()[-1])
    log.info("pruned idempotency keys", extra={"deleted": deleted})
    return deleted
