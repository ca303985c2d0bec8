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
from runtime.secrets_at_rest import Keyring, keyring_of
from runtime.service import ServiceRuntime
from services.gateway import store
from services.gateway.domain import ADMIN, ALL_SCOPES, Principal, hash_key, key_prefix
from services.gateway.idempotency import IdempotencyQuota
from services.gateway.produce_batching import ProduceBatcher
from services.gateway.ratelimit import RateLimiter
from services.gateway.routing import RequiredScope
from services.gateway.service_client import ServiceClient
from services.gateway.settings import GatewayServiceSettings
from services.gateway.tracking_plans import PlanCache
from services.gateway.view_cache import ViewCache


class KeyCache:
    """Key lookups cached in memory: found keys for `ttl_s` seconds, unknown ones for `miss_ttl_s`.

    Ingestion is benchmarked in thousands of events per second; a database round trip per request
    would dominate it. The price: a key revoked elsewhere (the CLI, another replica) keeps working for
    up to `ttl_s` seconds in each gateway process (30 s by default); this process forgets a key it
    revokes or rotates itself at once (`forget`). Unknown keys are remembered apart, in a bounded table of
    their own, so a flood of made-up keys neither reaches the database twice nor pushes live keys out; a
    new or rotated key has a secret nobody looked up before, so it is usable at once. A rotated key's old
    secret stops at the end of its grace period, cached or not.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        ttl_s: float = 30.0,
        miss_ttl_s: float = 60.0,
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
        self._found: dict[str, tuple[float, Principal]] = {}
        self._missing: dict[str, float] = {}

    def cached(self, plain_key: str) -> tuple[bool, Principal | None]:
        """(known, principal) from memory alone: known is False when only the database can tell."""
        if key_prefix(plain_key) is None:
            return True, None  # malformed: never a key
        digest = hash_key(plain_key)
        now = self._clock()
        found = self._found.get(digest)
        if found is not None and found[0] > now:
            return True, found[1] if found[1].live_at(self._wall_clock()) else None
        missing_until = self._missing.get(digest)
        if missing_until is not None and missing_until > now:
            return True, None
        return False, None

    async def resolve(self, plain_key: str) -> Principal | None:
        known, principal = self.cached(plain_key)
        if known:
            return principal
        digest = hash_key(plain_key)
        principal = await store.find_principal(self._pool, plain_key, self._wall_clock())
        now = self._clock()
        if principal is None:
            if len(self._missing) >= self._max_entries:
                self._missing.clear()  # only made-up keys are forgotten
            self._missing[digest] = now + self._miss_ttl_s
        else:
            if len(self._found) >= self._max_entries:
                self._found = {d: e for d, e in self._found.items() if e[0] > now}
                if len(self._found) >= self._max_entries:
                    self._found.clear()
            self._found[digest] = (now + self._ttl_s, principal)
        return principal

    def forget(self, key_id: str) -> None:
        """Drop every cached lookup of a key (its current and its old secret) after this process changed it."""
        self._found = {d: e for d, e in self._found.items() if e[1].key_id != key_id}


@dataclass
class GatewayContext:
    """The gateway's typed context (what `<Name>Context` is to the services, runtime/context.py): its runtime,
    clock and the clients created in the lifespan; routes reach it through the `gateway_context` dependency."""

    runtime: ServiceRuntime[GatewayServiceSettings]
    keys: KeyCache
    events_out: ProduceBatcher  # the events accepted, to Kafka: concurrent requests' events in one produce
    profile: ServiceClient
    scoring: ServiceClient
    journey: ServiceClient
    referral: ServiceClient
    sales: ServiceClient
    loyalty: ServiceClient
    budget_s: float  # how long the 360 view waits for an optional section
    clock: Clock = utc_now  # key rotation's grace, idempotency expiry, audit times: tests move it
    limiter: RateLimiter | None = None  # per-key request rate; None: unlimited
    auth_failures: RateLimiter | None = None  # failed authentications per client address; None: unlimited
    survey_answers: RateLimiter | None = None  # survey answers (no API key) per client address; None: unlimited
    # Verifies survey answer links (runtime/survey_links.py): FLYWHEEL_SECRETS_KEYS, as journey signs with.
    survey_keyring: Keyring = field(default_factory=lambda: keyring_of(""))
    idempotency_quota: IdempotencyQuota = field(default_factory=lambda: IdempotencyQuota(limit=100_000))
    views: ViewCache = field(default_factory=lambda: ViewCache(max_entries=0, ttl_s=1.0))  # default: none kept
    tracking_plans: PlanCache = field(default_factory=PlanCache)  # the workspaces' tracking plans, kept briefly


def gateway_context(request: Request) -> GatewayContext:
    state: GatewayContext = request.app.state.gateway
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
    principal = await gateway_context(request).keys.resolve(credentials.credentials)
    if principal is None:
        raise ProblemError(401, INVALID_KEY, headers=INVALID_KEY_CHALLENGE)
    return principal


def lacks_scope(scope: str) -> str:
    return f"the API key lacks the scope {scope!r}"


class _Require(RequiredScope):
    def __init__(self, scope: str) -> None:
        self.scope = scope

    async def __call__(self, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not principal.allows(self.scope):
            raise ProblemError(403, lacks_scope(self.scope))
        return principal


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the request's principal, answering 403 unless its key carries `scope`. The
    protection middleware reads the scope off the route too (services.gateway.routing), to authorise a
    request before replaying a stored answer to it."""
    return _Require(scope)


# Declared on each write for the docs; the replay itself is done once for all writes by
# services.gateway.protection (a middleware), before the endpoint runs.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[ -~]+$",  # printable ASCII, as services.gateway.idempotency.is_valid_key takes
        description="Client-chosen key (1-255 printable ASCII characters) making a retried write safe: the "
        "same key with the same method, path and body within 24 h answers the first answer again (with "
        "`Idempotent-Replayed: true`) without doing the write twice; with a different body it answers 422, and "
        "while the first request is still running 409. Answers 5xx are not kept, so a retry tries again.",
    ),
]
