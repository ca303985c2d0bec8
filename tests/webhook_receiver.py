"""A webhook receiver for tests: real HTTP (uvicorn on 127.0.0.1, a free port) in the test's event loop.

    async with running_receiver("s3cret", fail_first=3) as receiver:
        ...  # POST signed deliveries to receiver.url
        await receiver.wait_for_count(1, within=5)
        assert receiver.accepted_keys == ["d-1"] and receiver.duplicates == 0

Every request is recorded. One whose `Flywheel-Signature` does not verify is answered 401 and counted
in `bad_signatures`; one without an `Idempotency-Key` is answered 400. Then, while failures are to be
injected (the first `fail_first` signed requests, whatever their key, or all when `always_fail`), the
answer is `status_on_fail`. Otherwise the delivery is acknowledged with 200: the first time for its key
it joins `accepted_keys`; a repeat of an accepted key is acknowledged too but counted in `duplicates`,
so "received exactly once" is `accepted_keys.count(key) == 1` and `duplicates == 0`.
With `hold_s`, every request is held that long before it is answered (a tarpit); `release()` ends the holds.
`fail_first`, `always_fail`, `status_on_fail`, `retry_after` and `hold_s` may be changed while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.journey.webhooks import ATTEMPT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify

LOOPBACK_RECEIVERS = "127.0.0.1,::1,localhost"
"""FLYWHEEL_WEBHOOK_ALLOWED_HOSTS for a journey service delivering to these receivers (on 127.0.0.1, any port):
loopback is refused by the egress policy unless allowed, and only tests that deliver here allow it."""


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    raw_body: bytes
    body: Any  # the parsed JSON, None when the body is not JSON
    idempotency_key: str | None
    attempt: int | None  # Flywheel-Delivery-Attempt
    signature_ok: bool
    answered: int  # the status the receiver answered


@dataclass
class Receiver:
    secret: bytes | str
    fail_first: int = 0
    always_fail: bool = False
    status_on_fail: int = 503
    retry_after: str | None = None  # sent as Retry-After with injected failures when set
    hold_s: float = 0.0  # hold every request this long before answering (a tarpit)
    tolerance_s: float = 300
    url: str = ""
    received: list[ReceivedRequest] = field(default_factory=list)
    accepted_keys: list[str] = field(default_factory=list)  # in order of first acceptance
    deliveries: Counter[str] = field(default_factory=Counter)  # acknowledged (200) requests per key
    duplicates: int = 0
    arrived: int = 0  # requests that reached the receiver, answered or still held
    bad_signatures: int = 0
    failures_injected: int = 0
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition, repr=False)
    _released: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def release(self) -> None:
        """Answer the held requests now, and hold no more."""
        self.hold_s = 0.0
        self._released.set()

    def requests_for(self, key: str) -> list[ReceivedRequest]:
        return [r for r in self.received if r.idempotency_key == key]

    async def wait_for_count(self, n: int, within: float = 5.0) -> None:
        """Until at least `n` distinct deliveries are accepted; AssertionError after `within` seconds."""
        await self.wait_until(lambda: len(self.accepted_keys) >= n, within, f"{n} accepted deliveries")

    async def wait_for_requests(self, n: int, within: float = 5.0) -> None:
        """Until at least `n` requests of any kind arrived; AssertionError after `within` seconds."""
        await self.wait_until(lambda: len(self.received) >= n, within, f"{n} requests")

    async def wait_until(self, predicate: Callable[[], bool], within: float, what: str = "the condition") -> None:
        # Woken by every request the receiver handles (same event loop): no polling interval to tune.
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            raise AssertionError(
                f"waited {within:g} s for {what}; got {len(self.received)} requests, "
                f"{len(self.accepted_keys)} accepted, {self.duplicates} duplicates, "
                f"{self.bad_signatures} bad signatures"
            ) from None

    async def _handle(self, request: Request) -> Response:
        raw = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.arrived += 1
        async with self._changed:
            self._changed.notify_all()
        if self.hold_s > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), timeout=self.hold_s)
        ok = verify(self.secret, headers.get(SIGNATURE_HEADER.lower()), raw, dt.datetime.now(dt.UTC), self.tolerance_s)
        key = headers.get(IDEMPOTENCY_HEADER.lower())
        response = self._answer(ok, key)
        try:
            body: Any = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = None
        attempt = headers.get(ATTEMPT_HEADER.lower(), "")
        self.received.append(
            ReceivedRequest(
                request.method,
                request.url.path,
                headers,
                raw,
                body,
                key,
                int(attempt) if attempt.isdigit() else None,
                ok,
                response.status_code,
            )
        )
        async with self._changed:
            self._changed.notify_all()
        return response

    def _answer(self, signature_ok: bool, key: str | None) -> Response:
        if not signature_ok:
            self.bad_signatures += 1
            return JSONResponse({"error": "bad signature"}, status_code=401)
        if not key:
            return JSONResponse({"error": "missing Idempotency-Key"}, status_code=400)
        if self.always_fail or self.failures_injected < self.fail_first:
            self.failures_injected += 1
            headers = {"Retry-After": self.retry_after} if self.retry_after is not None else None
            return JSONResponse({"error": "injected failure"}, status_code=self.status_on_fail, headers=headers)
        self.deliveries[key] += 1
        if key in self.accepted_keys:
            self.duplicates += 1
            return JSONResponse({"status": "duplicate"})
        self.accepted_keys.append(key)
        return JSONResponse({"status": "accepted"})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST", "PUT", "GET"])])


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # leave Ctrl-C to pytest: this server lives inside the test's event loop


@contextlib.asynccontextmanager
async def running_receiver(
    secret: bytes | str,
    *,
    fail_first: int = 0,
    always_fail: bool = False,
    status_on_fail: int = 503,
    hold_s: float = 0.0,
    start_within: float = 10.0,
) -> AsyncIterator[Receiver]:
    """A Receiver served by uvicorn on 127.0.0.1 (a port the OS picks) until the block ends (held requests
    are released then)."""
    receiver = Receiver(
        secret, fail_first=fail_first, always_fail=always_fail, status_on_fail=status_on_fail, hold_s=hold_s
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # bound before uvicorn starts: the port is ours, no race for a free one
    port = sock.getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hooks"
    config = uvicorn.Config(receiver.app(), lifespan="off", log_config=None, access_log=False, log_level="warning")
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name=f"webhook-receiver-{port}")
    try:
        async with asyncio.timeout(start_within):
            while not server.started:
                if task.done():
                    task.result()  # raises what stopped it
                    raise RuntimeError("the webhook receiver stopped while starting")
                await asyncio.sleep(0.005)
        yield receiver
    finally:
        receiver.release()
        server.should_exit = True
        try:
            async with asyncio.timeout(10):
                await asyncio.shield(task)
        except TimeoutError:
            server.force_exit = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        sock.close()
