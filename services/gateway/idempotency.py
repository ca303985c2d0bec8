"""Idempotency-Key: a write retried with the same key gets the first answer again, without being done twice.

The rules are here (pure); the SQL is idempotency_store.py's: one row per API key and Idempotency-Key in the
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
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from enum import Enum

from runtime.quotas import IDEMPOTENCY_KEYS, QuotaExceeded, QuotaUsage
from services.gateway import idempotency_store
from services.gateway.idempotency_store import StoredAnswer
from services.gateway.store import Executor

log = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255
# Headers of the first answer that are part of it; per-request ones (dates, trace ids, rate limits) are not.
REPLAYED_HEADERS = frozenset({"content-type", "location", "retry-after", "allow", "www-authenticate"})
REPLAY_MARKER = ("idempotent-replayed", "true")


class Outcome(Enum):
    REPLAY = "replay"  # the first answer is stored: send it again
    IN_FLIGHT = "in_flight"  # the first request is still running: 409
    MISMATCH = "mismatch"  # the key was used for another request: 422
    WITHHELD = "withheld"  # the first answer carried a secret, or named a customer since erased: not kept, 409


def is_valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def fingerprint(
    key_id: str, method: str, path: str, query: str, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()
) -> str:
    """What makes two requests "the same": the API key, method, path, query string and body bytes, and the
    `headers` that carry part of the request (a CloudEvents binary-mode event's `ce-*` attributes: the same
    body with another `ce-id` is another event)."""
    digest = hashlib.sha256()
    for part in (key_id.encode(), method.upper().encode(), path.encode(), query.encode()):
        digest.update(len(part).to_bytes(4, "big") + part)  # length-prefixed: no ambiguity between parts
    digest.update(body)
    for name, value in headers:  # none: the digest requests without such headers always had
        for part in (name, value):
            digest.update(len(part).to_bytes(4, "big") + part)
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
            counted = (at, await idempotency_store.count_live(db, workspace, now))
            self._counts[workspace] = counted
        return IDEMPOTENCY_KEYS.usage(self.limit, counted[1])

    def refusal(self, usage: QuotaUsage) -> QuotaExceeded:
        """429 with Retry-After: unlike other quotas, this one frees itself as rows expire."""
        return QuotaExceeded(usage, status=429, headers={"Retry-After": str(max(1, round(self._refresh_s)))})

    def claimed(self, workspace: str) -> None:
        counted = self._counts.get(workspace)
        if counted is not None:
            self._counts[workspace] = (counted[0], counted[1] + 1)
