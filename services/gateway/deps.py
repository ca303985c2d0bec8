"""Per-process state of the gateway and the FastAPI dependencies that authenticate requests."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from runtime.problems import ProblemError
from runtime.service import ServiceRuntime
from services.gateway import store
from services.gateway.domain import ADMIN, ALL_SCOPES, Principal, hash_key, key_prefix
from services.gateway.service_client import ServiceClient


class KeyCache:
    """Key lookups cached in memory for `ttl_s` seconds.

    Ingestion is benchmarked in thousands of events per second; a database round trip per request
    would dominate it. The price: a revoked key keeps working for up to `ttl_s` seconds in each
    gateway process (30 s by default), and a new key is usable at once (misses are not cached long).
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        ttl_s: float = 30.0,
        miss_ttl_s: float = 2.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pool = pool
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
            return hit[1]
        principal = await store.find_principal(self._pool, plain_key)
        if len(self._entries) >= self._max_entries:
            # Random junk keys must not grow memory without bound; dropping all is crude but safe.
            self._entries.clear()
        self._entries[digest] = (now + (self._ttl_s if principal else self._miss_ttl_s), principal)
        return principal


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
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def authenticate(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise ProblemError(401, "missing API key: send `Authorization: Bearer <key>`", headers=_CHALLENGE)
    principal = await gateway_state(request).keys.resolve(credentials.credentials)
    if principal is None:
        raise ProblemError(
            401, "invalid or revoked API key", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )
    return principal


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the request's principal, answering 403 unless its key carries `scope`."""

    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not principal.allows(scope):
            raise ProblemError(403, f"the API key lacks the scope {scope!r}")
        return principal

    return check


# Accepted and declared now; replay of stored answers comes with the idempotency store.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="Client-chosen key making a retried write safe. Accepted; replay is not implemented yet "
        "(POST /v1/events is already safe to retry: event ids are de-duplicated).",
    ),
]
