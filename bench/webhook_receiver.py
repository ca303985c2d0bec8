"""The journey bench's webhook receiver, in a process of its own, and its raw ceiling.

`python -m bench.webhook_receiver PORT` serves a raw ASGI app under uvicorn (httptools, uvloop, no access log:
as the services are served) that reads each request's body and answers 200 with an empty body. It does not
verify signatures: it stands for a provider that is never the bottleneck, and `ceiling` measures how many
requests per second it takes in the same run, so the webhook rate can be read as a fraction of it.

`ceiling` drives it with aiohttp (keep-alive, `connections` at once, the same body size as a delivery) for
`seconds`: the receiver's limit on this machine with that client, not the client's alone (aiohttp costs a
fraction of what the receiver does per request).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

import aiohttp
import uvicorn

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

_START = {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0")]}
_BODY = {"type": "http.response.body", "body": b""}


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer every HTTP request 200 once its body has arrived."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send(_START)
    await send(_BODY)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def running(port: int) -> Iterator[str]:
    """The receiver in a child process on 127.0.0.1:`port`; yields its URL once it answers."""
    child = subprocess.Popen([sys.executable, "-m", "bench.webhook_receiver", str(port)])
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the bench's webhook receiver did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        child.kill()
        child.wait()


async def ceiling(url: str, body: bytes, seconds: float = 5.0, connections: int = 64) -> dict[str, int | float]:
    """Requests per second the receiver answers to `connections` keep-alive aiohttp clients POSTing `body`."""
    done = failed = 0
    deadline = time.perf_counter() + seconds
    headers = {"content-type": "application/json", "idempotency-key": "ceiling"}

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal done, failed
        while time.perf_counter() < deadline:
            try:
                async with session.post(url, data=body, headers=headers) as answer:
                    await answer.read()
                    answer.raise_for_status()
                done += 1
            except aiohttp.ClientError:  # counted, not fatal: the ceiling is what was answered
                failed += 1

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return {
        "requests": done,
        "failed": failed,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(done / elapsed),
    }


def main() -> None:
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        loop="uvloop",
        http="httptools",
        lifespan="off",
        access_log=False,
        log_level="warning",
        backlog=2048,
        timeout_keep_alive=120,  # longer than the webhook client keeps a connection idle (30 s): none cut under it
    )


if __name__ == "__main__":
    main()
