"""Connecting only to vetted addresses: an httpx transport for the egress policy (runtime/egress.py).

The caller vets a URL (`EgressPolicy.vet`) and sends its request inside `pinned(destination)`: the
connection then dials the addresses just vetted, never a second DNS answer, so a name that resolves to a
public address when checked and to an internal one a moment later (DNS rebinding) cannot redirect the
request. A connection made outside `pinned` vets its host itself. Connections stay pooled by host name
(a pooled connection was vetted when it was made), and TLS sends SNI and verifies the certificate against
the URL's host name as usual, since the URL itself is never rewritten to an address.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

import httpcore
import httpx

from runtime.egress import Destination, EgressPolicy, EgressRefused

_PINNED: contextvars.ContextVar[dict[tuple[str, int], tuple[str, ...]] | None] = contextvars.ContextVar(
    "egress_pinned", default=None
)


@contextlib.contextmanager
def pinned(destination: Destination) -> Iterator[None]:
    """Within this block (this task), connections to the destination's host dial its vetted addresses."""
    key = (destination.host.removesuffix("."), destination.port)
    token = _PINNED.set({**(_PINNED.get() or {}), key: destination.addresses})
    try:
        yield
    finally:
        _PINNED.reset(token)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, dialling the addresses pinned for a host, or vetting the host itself."""

    def __init__(self, policy: EgressPolicy, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._policy = policy
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = (_PINNED.get() or {}).get((host.lower().removesuffix("."), port))
        if addresses is None:
            try:
                addresses = await self._policy.vet_endpoint(host.lower(), port)
            except EgressRefused as exc:
                raise httpcore.ConnectError(f"refused by the egress policy: {exc.reason}") from None
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("refused by the egress policy: no Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class LinearConnectionPool(httpcore.AsyncConnectionPool):
    """httpcore's pool with its assignment pass made linear in the connections and requests.

    httpcore 1.0.9 runs `_assign_requests_to_connections` whenever a request arrives or a response closes, and that
    pass rescans every connection for each queued request and counts every connection again for each idle one
    (quadratic; encode/httpcore#1035, fixed the same way in pydantic/httpx2#974). With the 64 connections a busy
    receiver gets, the pass cost journey's delivery loop about 1.5 ms of its 3.6 ms of CPU per webhook (py-spy,
    `python -m bench --only journey`). This pass makes the same decisions in one walk: closed connections dropped,
    expired ones closed (an idle one when it would be reused), idle ones beyond `max_keepalive_connections` closed
    (oldest first, counting idle ones, as the upstream fix does); then each queued request gets the first available
    connection to its origin (one request each), else a new connection while under `max_connections`, else the place
    of the oldest idle connection. tests/unit/test_egress_pool.py holds it to those decisions; drop it when a
    released httpcore has the fix."""

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        kept: list[httpcore.AsyncConnectionInterface] = []
        for connection in self._connections:
            if connection.is_closed():
                continue
            # An idle connection's expiry asks its socket whether the server hung up (two system calls): it is
            # checked when the connection is about to be reused, not for every idle connection at every pass.
            if not connection.is_idle() and connection.has_expired():
                closing.append(connection)
            else:
                kept.append(connection)
        idle = [connection for connection in kept if connection.is_idle()]
        surplus = len(idle) - self._max_keepalive_connections
        if surplus > 0:
            closing.extend(idle[:surplus])
            evicted = {id(connection) for connection in idle[:surplus]}
            kept = [connection for connection in kept if id(connection) not in evicted]
            idle = idle[surplus:]
        available: dict[tuple[bytes, bytes, int], list[httpcore.AsyncConnectionInterface]] = {}
        for pool_request in self._requests:
            if not pool_request.is_queued():
                continue
            origin = pool_request.request.url.origin
            key = (origin.scheme, origin.host, origin.port)  # httpcore's Origin is not hashable
            if key not in available:
                available[key] = [c for c in kept if c.can_handle_request(origin) and c.is_available()]
            chosen = self._reusable(available[key], idle, kept, closing)
            if chosen is not None:
                pool_request.assign_to_connection(chosen)
                continue
            if len(kept) >= self._max_connections:
                if not idle:
                    continue  # the request waits for a connection to free
                oldest = idle.pop(0)
                kept.remove(oldest)
                closing.append(oldest)
                for connections in available.values():
                    if oldest in connections:
                        connections.remove(oldest)
            connection = self.create_connection(origin)
            kept.append(connection)
            pool_request.assign_to_connection(connection)
        self._connections = kept
        return closing

    @staticmethod
    def _reusable(
        candidates: list[httpcore.AsyncConnectionInterface],
        idle: list[httpcore.AsyncConnectionInterface],
        kept: list[httpcore.AsyncConnectionInterface],
        closing: list[httpcore.AsyncConnectionInterface],
    ) -> httpcore.AsyncConnectionInterface | None:
        """The first of `candidates` that has not expired (those that have are closed), taken from the candidates:
        an HTTP/1.1 connection (this pool speaks nothing else) takes one request at a time, and handing it to the
        next queued request too would only have that one fail and come back."""
        while candidates:
            connection = candidates.pop(0)
            if connection in idle:
                idle.remove(connection)
                if connection.has_expired():
                    kept.remove(connection)
                    closing.append(connection)
                    continue
            return connection
        return None


class EgressTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool that connects through PinnedBackend. Pooling, TLS (SNI and
    certificate checks against the URL's host name) and HTTP are httpx's and httpcore's own; no proxy
    from the environment (it would dial on our behalf)."""

    def __init__(self, policy: EgressPolicy, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx 0.28 takes no network backend (encode/httpx#3749 proposes one), so the pool it made is
        # replaced by the same pool with ours; tests/unit/test_runtime_egress.py checks it is the one used.
        self._pool = LinearConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(policy),
        )
