"""The HTTP load generator: a separate process (`python -m bench.http_load`), so the load it makes is not
served by the event loop it measures.

It reads its job as JSON on stdin and prints its result as JSON on stdout. HTTP/1.1 keep-alive over plain
asyncio streams on uvloop, requests pre-encoded: a minimal client, so that as much of the machine as
possible is left to the server (httpx costs several times more CPU per request; wrk is not installed).

Two modes:
- closed: `concurrency` connections, each sending its next request as soon as the previous one answered,
  for `seconds`; the server's throughput (requests/s) and latency at that concurrency.
- open: requests start at a fixed `rate` whatever the answers do (a new connection when none is idle),
  and each latency counts from the request's scheduled start: queueing in the client or the server is
  included (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvloop

from bench.report import latency_summary

MAX_OPEN_CONNECTIONS = 1000


class HttpConnection:
    """One keep-alive connection; answers must carry Content-Length (uvicorn's JSON answers do)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> HttpConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send one request; (status, body)."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


@dataclass
class Requests:
    """Pre-encoded requests, handed out in turn; a POST body's `@N@` is replaced by the request's number
    and `@C@` by a customer index, so every event is new and the customers repeat; `@T@` by the wall clock
    (ns) as the request is sent (publish-to-visible latency, bench/trickle.py)."""

    host: str
    port: int
    method: str
    paths: list[str]
    key: str
    body: bytes = b""
    customers: int = 1
    headers: list[str] = field(default_factory=list)  # more header lines, e.g. "Cache-Control: no-cache"
    heads: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        common = f"Host: {self.host}:{self.port}\r\nAuthorization: Bearer {self.key}\r\n"
        common += "".join(f"{line}\r\n" for line in self.headers)
        self.heads = [f"{self.method} {path} HTTP/1.1\r\n{common}".encode() for path in self.paths]

    def nth(self, n: int) -> bytes:
        head = self.heads[n % len(self.heads)]
        if not self.body:
            return head + b"\r\n"
        body = self.body.replace(b"@N@", str(n).encode()).replace(b"@C@", str(n % self.customers).encode())
        if b"@T@" in body:
            body = body.replace(b"@T@", str(time.time_ns()).encode())
        return head + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lacking: int = 0  # answers without the `expect` text (a degraded 360 view)
    errors: Counter[str] = field(default_factory=Counter)

    def record(self, started: float, status: int, body: bytes, expect: bytes) -> None:
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.statuses[status] += 1
        if expect and status < 300 and expect not in body:
            self.lacking += 1


async def closed_loop(requests: Requests, concurrency: int, seconds: float, expect: bytes) -> tuple[Tally, float]:
    tally = Tally()
    numbers = iter(range(sys.maxsize))
    started = time.perf_counter()
    until = started + seconds

    async def connection_loop() -> None:
        connection = await HttpConnection.open(requests.host, requests.port)
        try:
            while (sent := time.perf_counter()) < until:
                try:
                    status, body = await connection.exchange(requests.nth(next(numbers)))
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                    tally.errors[type(exc).__name__] += 1
                    connection.close()
                    connection = await HttpConnection.open(requests.host, requests.port)
                    continue
                tally.record(sent, status, body, expect)
        finally:
            connection.close()

    await asyncio.gather(*(connection_loop() for _ in range(concurrency)))
    return tally, time.perf_counter() - started


async def open_loop(
    requests: Requests, rate: float, seconds: float, expect: bytes, drain_s: float
) -> tuple[Tally, float, int, float]:
    """(tally, seconds, connections opened, the generator's worst lag behind its schedule in ms).

    Requests still unanswered `drain_s` after the last one was due are given up: each counts in `unfinished`
    and its latency so far goes into the percentiles (a lower bound), so an overloaded server cannot hide
    its queue; requests that would need more than MAX_OPEN_CONNECTIONS count as `not_sent`."""
    tally = Tally()
    idle: deque[HttpConnection] = deque()
    opened = 0
    worst_lag = 0.0

    async def connect() -> HttpConnection:
        nonlocal opened
        opened += 1
        return await HttpConnection.open(requests.host, requests.port)

    async def one(n: int, scheduled: float) -> None:
        if not idle and opened >= MAX_OPEN_CONNECTIONS:
            tally.errors["not_sent"] += 1
            return
        connection = idle.popleft() if idle else await connect()
        try:
            try:
                status, body = await connection.exchange(requests.nth(n))
            except (ConnectionResetError, asyncio.IncompleteReadError):
                # The server closes a keep-alive connection idle for 5 s (uvicorn): once more on a new one.
                connection.close()
                connection = await connect()
                status, body = await connection.exchange(requests.nth(n))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            tally.errors[type(exc).__name__] += 1
            connection.close()
            return
        tally.record(scheduled, status, body, expect)
        idle.append(connection)

    tasks: list[tuple[float, asyncio.Task[None]]] = []
    started = time.perf_counter()
    for n in range(int(rate * seconds)):
        scheduled = started + n / rate
        if (delay := scheduled - time.perf_counter()) > 0:
            await asyncio.sleep(delay)
        now = time.perf_counter()
        worst_lag = max(worst_lag, now - scheduled)
        # From the scheduled start when the generator is late (its lag counts), from now when a timer woke early.
        sent = min(scheduled, now)
        tasks.append((sent, asyncio.create_task(one(n, sent))))
    await asyncio.wait([task for _, task in tasks], timeout=drain_s)
    given_up = time.perf_counter()
    for sent, task in tasks:
        if not task.done():
            task.cancel()
            tally.errors["unfinished"] += 1
            tally.latencies_ms.append((given_up - sent) * 1000)
    await asyncio.gather(*(task for _, task in tasks), return_exceptions=True)
    for connection in idle:
        connection.close()
    return tally, given_up - started, opened, worst_lag * 1000


async def run(job: dict[str, Any]) -> dict[str, Any]:
    requests = Requests(
        job["host"],
        job["port"],
        job["method"],
        job["paths"],
        job["key"],
        job.get("body", "").encode(),
        job.get("customers", 1),
        job.get("headers", []),
    )
    expect = job.get("expect", "").encode()
    if job.get("warmup_s"):
        await closed_loop(requests, job.get("concurrency", 8), job["warmup_s"], expect)
    cpu_before = time.process_time()
    result: dict[str, Any] = {"mode": job["mode"]}
    if job["mode"] == "closed":
        tally, seconds = await closed_loop(requests, job["concurrency"], job["seconds"], expect)
        result["concurrency"] = job["concurrency"]
    else:
        tally, seconds, opened, lag_ms = await open_loop(
            requests, job["rate"], job["seconds"], expect, job.get("drain_s", 10.0)
        )
        result |= {"rate": job["rate"], "connections_opened": opened, "generator_worst_lag_ms": round(lag_ms, 2)}
    answered = sum(tally.statuses.values())
    return result | {
        "seconds": round(seconds, 3),
        "requests": answered,
        "requests_per_s": round(answered / seconds, 1) if seconds > 0 else None,
        "latency_ms": latency_summary(tally.latencies_ms),
        "statuses": {str(code): n for code, n in sorted(tally.statuses.items())},
        "lacking_expected_text": tally.lacking,
        "errors": dict(tally.errors),
        "generator_cpu_s": round(time.process_time() - cpu_before, 2),
    }


def main() -> None:
    job = orjson.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(orjson.dumps(uvloop.run(run(job))))


if __name__ == "__main__":
    main()
