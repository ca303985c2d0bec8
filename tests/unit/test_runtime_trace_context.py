"""An internal service whose spans go nowhere joins its caller's trace without making spans."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from runtime.http import _TraceContextMiddleware
from runtime.telemetry import inject_headers

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def _call(headers: list[tuple[bytes, bytes]]) -> list[tuple[str, bytes]]:
    seen: list[tuple[str, bytes]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.extend(inject_headers())  # what a Kafka message made while handling the request would carry

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
    await _TraceContextMiddleware(app)(scope, receive, send)
    return seen


async def test_the_callers_traceparent_is_what_the_request_passes_on() -> None:
    passed_on = dict(await _call([(b"traceparent", TRACEPARENT.encode()), (b"host", b"profile")]))
    assert passed_on["traceparent"].decode() == TRACEPARENT
    assert inject_headers() == []  # and the context is detached after the request


async def test_a_request_without_a_trace_passes_none_on() -> None:
    assert await _call([(b"host", b"profile")]) == []
