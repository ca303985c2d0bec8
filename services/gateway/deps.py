"""Per-process state of the gateway and the FastAPI dependencies that authenticate requests."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from runtime.clock import Clock, utc_now
from runtime.problems import ProblemError
from runtime.service import ServiceRuntime
from services.gateway import store
from services.gateway.domain import ADMIN, ALL_SCOPES, Principal, hash_key, key_prefix
from services.gateway.ratelimit import RateLimiter
from services.gateway.service_client import ServiceClient
from services.gateway.view_cache import ViewCache


class KeyCache:
    """Key lookups cached in memory for `ttl_s` seconds.

    Ingestion is benchmarked in thousands of events per second; a database round trip per request
    would dominate it. The price: a key revoked elsewhere (the CLI, another replica) keeps working for
    up to `ttl_s` seconds in each gateway process (30 s by default); this process forgets a key it
    revokes or rotates itself at once (`forget`). A new key is usable at once (misses are not cached
    long), and a rotated key's old secret stops at the end of its grace period, cached or not.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        ttl_s: float = 30.0,
        miss_ttl_s: float = 2.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Clock = utc_now,
    ) -> None:
        self._pool = pool
        self._wall_clock = wall_clock
        self._ttl_s = ttl_s
        self._miss_ttl_s = miss_ttl_s
        self._max_entries = max_entries
        self._clock = clock
        # Keyed by the key's hash so the plain secrets do not linger in a long-lived structure.
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    async def resolve(self, plain_key: str) -> Principal | None:
        if key_prefix(plain_key) is None:
            return None  # malformed: no lookup, nothing cached
        digest = hash_key(plain_key)
        now = self._clock()
        hit = self._entries.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1] if hit[1] is None or hit[1].live_at(self._wall_clock()) else None
        principal = await store.find_principal(self._pool, plain_key, self._wall_clock())
        if len(self._entries) >= self._max_entries:
            # Random junk keys must not grow memory without bound; dropping all is crude but safe.
            self._entries.clear()
        self._entries[digest] = (now + (self._ttl_s if principal else self._miss_ttl_s), principal)
        return principal

    def forget(self, key_id: str) -> None:
        """Drop every cached lookup of a key (its current and its old secret) after this process changed it."""
        self._entries = {d: e for d, e in self._entries.items() if e[1] is None or e[1].key_id != key_id}


@dataclass
class GatewayState:
    """Clients created in the lifespan; reached from handlers through `request.app.state.gateway`."""

    runtime: ServiceRuntime
    keys: KeyCache
    profile: ServiceClient
    scoring: ServiceClient
    journey: ServiceClient
    referral: ServiceClient
    sales: ServiceClient
    budget_s: float  # how long the 360 view waits for an optional section
    clock: Clock = utc_now  # key rotation's grace, idempotency expiry, audit times: tests move it
    limiter: RateLimiter | None = None  # per-key request rate; None: unlimited
    views: ViewCache = field(default_factory=lambda: ViewCache(max_entries=0, ttl_s=1.0))  # default: none kept


def gateway_state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="fw_<prefix>_<secret>",
    description="A workspace API key (`flywheel key create`). Scopes: "
    + ", ".join(s for s in ALL_SCOPES if s != ADMIN)
    + "; admin implies all. Revocation takes effect within 30 s.",
)
MISSING_KEY = "missing API key: send `Authorization: Bearer <key>`"
MISSING_KEY_CHALLENGE = {"WWW-Authenticate": "Bearer"}
INVALID_KEY = "invalid or revoked API key"
INVALID_KEY_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


async def authenticate(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise ProblemError(401, MISSING_KEY, headers=MISSING_KEY_CHALLENGE)
    principal = await gateway_state(request).keys.resolve(credentials.credentials)
    if principal is None:
        raise ProblemError(401, INVALID_KEY, headers=INVALID_KEY_CHALLENGE)
    return principal


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the request's principal, answering 403 unless its key carries `scope`."""

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not principal.allows(scope):
            raise ProblemError(403, f"the API key lacks the scope {scope!r}")
        return principal

    return check


# Declared on each write for the docs; the replay itself is done once for all writes by
# services.gateway.protection (a middleware), before the endpoint runs.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="Client-chosen key (1-255 characters) making a retried write safe: the same key with the same "
        "method, path and body within 24 h answers the first answer again (with `Idempotent-Replayed: true`) "
        "without doing the write twice; with a different body it answers 422, and while the first request is "
        "still running 409. Answers 5xx are not kept, so a retry tries again.",
    ),
]
