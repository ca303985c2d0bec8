"""The in-memory key cache: lookups within the TTL do not reach the database; revocation shows after it."""

from __future__ import annotations

import uuid
from typing import Any

from services.gateway.deps import KeyCache
from services.gateway.domain import generate_key, hash_key


class FakeKeyTable:
    """Stands in for the pool: answers find_principal's one query from a dict of live keys."""

    def __init__(self) -> None:
        self.live: dict[str, dict[str, Any]] = {}
        self.queries = 0

    async def fetchrow(self, _sql: str, key_hash: str) -> dict[str, Any] | None:
        self.queries += 1
        return self.live.get(key_hash)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_hits_are_cached_for_the_ttl_then_revocation_takes_effect() -> None:
    table, clock = FakeKeyTable(), Clock()
    key = generate_key()
    table.live[key.key_hash] = {"id": uuid.uuid4(), "workspace": "acme", "scopes": ["events:write"], "owner": "maria"}
    cache = KeyCache(table, ttl_s=30, clock=clock)  # type: ignore[arg-type]  # the fake table stands in for the pool

    first = await cache.resolve(key.plain)
    assert first is not None and first.workspace == "acme" and first.scopes == frozenset({"events:write"})
    assert first.owner == "maria"
    for _ in range(100):
        assert await cache.resolve(key.plain) == first
    assert table.queries == 1

    del table.live[key.key_hash]  # revoked
    clock.now += 29
    assert await cache.resolve(key.plain) == first  # the documented window
    clock.now += 2
    assert await cache.resolve(key.plain) is None
    assert table.queries == 2


async def test_malformed_keys_never_reach_the_database_and_unknown_ones_are_remembered() -> None:
    table, clock = FakeKeyTable(), Clock()
    cache = KeyCache(table, ttl_s=30, miss_ttl_s=60, clock=clock)  # type: ignore[arg-type]  # the fake table stands in for the pool
    assert await cache.resolve("not-a-key") is None
    assert cache.cached("not-a-key") == (True, None)
    assert table.queries == 0

    key = generate_key()
    assert cache.cached(key.plain) == (False, None)  # only the database can tell
    assert await cache.resolve(key.plain) is None
    assert await cache.resolve(key.plain) is None
    assert table.queries == 1  # the negative answer is cached too
    table.live[hash_key(key.plain)] = {"id": uuid.uuid4(), "workspace": "acme", "scopes": ["admin"], "owner": "ops"}
    clock.now += 61
    assert await cache.resolve(key.plain) is not None


async def test_made_up_keys_are_bounded_and_never_push_live_keys_out() -> None:
    table, clock = FakeKeyTable(), Clock()
    live = generate_key()
    table.live[live.key_hash] = {"id": uuid.uuid4(), "workspace": "acme", "scopes": ["admin"], "owner": "ops"}
    cache = KeyCache(table, max_entries=10, clock=clock)  # type: ignore[arg-type]  # the fake table stands in for the pool
    assert await cache.resolve(live.plain) is not None
    for _ in range(25):
        await cache.resolve(generate_key().plain)
    assert len(cache._missing) <= 10
    queries = table.queries
    assert await cache.resolve(live.plain) is not None
    assert table.queries == queries  # still cached
