"""The webhook client's connection pool (runtime/egress_transport.LinearConnectionPool) decides as httpcore's
does, in one walk: which connection each queued request gets, which connections close."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import httpcore

from runtime.egress_transport import LinearConnectionPool

RECEIVER = httpcore.Origin(b"https", b"hooks.example.com", 443)
OTHER = httpcore.Origin(b"https", b"other.example.com", 443)


@dataclass(eq=False)
class FakeConnection(httpcore.AsyncConnectionInterface):
    origin: httpcore.Origin
    state: str = "idle"  # idle, active, closed
    expired: bool = False

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self.origin

    def is_available(self) -> bool:
        return self.state == "idle"

    def has_expired(self) -> bool:
        return self.expired

    def is_idle(self) -> bool:
        return self.state == "idle"

    def is_closed(self) -> bool:
        return self.state == "closed"


def _pool(connections: list[FakeConnection], max_connections: int = 10, keepalive: int = 10) -> LinearConnectionPool:
    pool = LinearConnectionPool(max_connections=max_connections, max_keepalive_connections=keepalive)
    pool._connections = cast(Any, list(connections))
    return pool


def _queue(pool: LinearConnectionPool, *origins: httpcore.Origin) -> list[httpcore.AsyncConnectionInterface | None]:
    requests = []
    for origin in origins:
        url = httpcore.URL(scheme=origin.scheme, host=origin.host, port=origin.port, target=b"/")
        request = httpcore._async.connection_pool.AsyncPoolRequest(httpcore.Request(b"POST", url))
        pool._requests.append(request)
        requests.append(request)
    pool._assign_requests_to_connections()
    return [request.connection for request in requests]


async def test_each_queued_request_gets_its_own_idle_connection_to_its_origin() -> None:
    busy, first, second = (FakeConnection(RECEIVER, "active"), FakeConnection(RECEIVER), FakeConnection(RECEIVER))
    pool = _pool([busy, first, second])
    assert _queue(pool, RECEIVER, RECEIVER) == [first, second]
    assert pool._connections == [busy, first, second]


async def test_a_new_connection_is_made_while_under_the_limit_and_never_to_another_origins_connection() -> None:
    elsewhere = FakeConnection(OTHER)
    pool = _pool([elsewhere], max_connections=2)
    (assigned,) = _queue(pool, RECEIVER)
    assert assigned is not elsewhere and isinstance(assigned, httpcore.AsyncHTTPConnection)
    assert pool._connections == [elsewhere, assigned]


async def test_at_the_limit_the_oldest_idle_connection_makes_room_and_otherwise_the_request_waits() -> None:
    oldest, newer, busy = FakeConnection(OTHER), FakeConnection(OTHER), FakeConnection(OTHER, "active")
    pool = _pool([oldest, newer, busy], max_connections=3)
    made, also_made, waiting = _queue(pool, RECEIVER, RECEIVER, RECEIVER)
    assert isinstance(made, httpcore.AsyncHTTPConnection) and isinstance(also_made, httpcore.AsyncHTTPConnection)
    assert waiting is None  # no idle connection left to close: it waits for one to free
    assert pool._connections == [busy, made, also_made]


async def test_closed_connections_leave_and_idle_ones_beyond_keepalive_close_oldest_first() -> None:
    closed = FakeConnection(RECEIVER, "closed")
    idle = [FakeConnection(RECEIVER) for _ in range(4)]
    busy = FakeConnection(RECEIVER, "active")
    pool = _pool([closed, *idle, busy], keepalive=2)
    closing = pool._assign_requests_to_connections()
    assert closing == [idle[0], idle[1]]
    assert pool._connections == [idle[2], idle[3], busy]


async def test_an_expired_idle_connection_is_closed_when_it_would_be_reused_and_the_next_one_serves() -> None:
    expired, fresh = FakeConnection(RECEIVER, expired=True), FakeConnection(RECEIVER)
    pool = _pool([expired, fresh])
    assert pool._assign_requests_to_connections() == []  # no request: its socket is not asked
    assert _queue(pool, RECEIVER) == [fresh]
    assert pool._connections == [fresh]


async def test_busy_connections_count_toward_the_limit_but_never_toward_keepalive() -> None:
    busy = [FakeConnection(RECEIVER, "active") for _ in range(5)]
    pool = _pool([*busy, FakeConnection(RECEIVER)], keepalive=1)
    assert pool._assign_requests_to_connections() == []
    assert len(pool._connections) == 6


def test_the_pool_overrides_the_httpcore_release_it_was_written_against() -> None:
    # LinearConnectionPool replaces httpcore 1.0.9's private `_assign_requests_to_connections` and reads its
    # private fields: a new release is read against it (or brings the upstream fix, and the override goes).
    assert httpcore.__version__ == "1.0.9"
