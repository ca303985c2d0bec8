"""Idempotency-Key: a write retried with the same key gets the first answer again, without being done twice.

The rules are here (pure), with the SQL of the store: one row per API key and Idempotency-Key in the
gateway's database, claimed before the write runs and completed with the answer after it. The middleware in
services.gateway.protection applies them to every write under /v1, after the request is authorised.

An answer belongs to the API key that made the request: another key of the same workspace, whatever its
scopes, never gets it (the key id is part of the row's key and of the fingerprint). An answer that carries a
secret (a new API key, a webhook signing secret) is never stored: the row only records that the write was
done, and a replay answers 409 saying so. Nor does an answer outlive the erasure of a customer it names (a deal,
a task, a code of theirs: its body may hold their name): erasing a customer redacts every stored answer of the
workspace that names one of the erased ids (`forget_answers_naming`) to the same "done, answer not kept", so a
retry neither replays their data nor makes the write again. Request bodies are never stored (only a hash in the
fingerprint). Each workspace holds at most `FLYWHEEL_QUOTA_IDEMPOTENCY_KEYS` live
rows (counted per replica, refreshed every few seconds); past that, writes with a new key answer 429.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import orjson

from runtime.quotas import IDEMPOTENCY_KEYS, QuotaExceeded, QuotaUsage
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
    WITHHELD = "withheld"  # the first answer carried a secret, or named a customer since erased: not kept, 409


@dataclass(frozen=True)
class StoredAnswer:
    fingerprint: str
    status: int | None  # None while in flight
    headers: list[tuple[str, str]]
    body: bytes
    withheld: bool = False  # the answer carried a secret or named an erased customer: not kept


def is_valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def fingerprint(key_id: str, method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests "the same": the API key, method, path, query string and body bytes."""
    digest = hashlib.sha256()
    for part in (key_id.encode(), method.upper().encode(), path.encode(), query.encode()):
        digest.update(len(part).to_bytes(4, "big") + part)  # length-prefixed: no ambiguity between parts
    digest.update(body)
    return digest.hexdigest()


def classify(stored: StoredAnswer, request_fingerprint: str) -> Outcome:
    if stored.fingerprint != request_fingerprint:
        return Outcome.MISMATCH
    if stored.status is None:
        return Outcome.IN_FLIGHT
    if stored.withheld:
        return Outcome.WITHHELD
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


class IdempotencyQuota:
    """At most `limit` live rows per workspace. Counting on every write would cost a scan per request, so each
    replica counts a workspace's rows at most every `refresh_s` seconds and adds its own claims in between:
    a workspace can overshoot by what the other replicas claimed since their last count, no more."""

    def __init__(
        self,
        limit: int,
        refresh_s: float = 5.0,
        max_workspaces: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self._refresh_s = refresh_s
        self._max_workspaces = max_workspaces
        self._clock = clock
        self._counts: dict[str, tuple[float, int]] = {}

    async def usage(self, db: Executor, workspace: str, now: datetime) -> QuotaUsage:
        at = self._clock()
        counted = self._counts.get(workspace)
        if counted is None or at - counted[0] >= self._refresh_s:
            if len(self._counts) >= self._max_workspaces:
                self._counts.clear()
            counted = (at, await count_live(db, workspace, now))
            self._counts[workspace] = counted
        return IDEMPOTENCY_KEYS.usage(self.limit, counted[1])

    def refusal(self, usage: QuotaUsage) -> QuotaExceeded:
        """429 with Retry-After: unlike other quotas, this one frees itself as rows expire."""
        return QuotaExceeded(usage, status=429, headers={"Retry-After": str(max(1, round(self._refresh_s)))})

    def claimed(self, workspace: str) -> None:
        counted = self._counts.get(workspace)
        if counted is not None:
            self._counts[workspace] = (counted[0], counted[1] + 1)
