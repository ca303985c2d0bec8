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


class EgressTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool that connects through PinnedBackend. Pooling, TLS (SNI and
    certificate checks against the URL's host name) and HTTP are httpx's and httpcore's own; no proxy
    from the environment (it would dial on our behalf)."""

    def __init__(self, policy: EgressPolicy, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx 0.28 takes no network backend (encode/httpx#3749 proposes one), so the pool it made is
        # replaced by the same pool with ours; tests/unit/test_runtime_egress.py checks it is the one used.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(policy),
        )
