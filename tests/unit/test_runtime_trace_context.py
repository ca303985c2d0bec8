"""A service whose spans go nowhere joins its caller's trace without making spans; the edge (the gateway)
starts a trace for a request that brings none."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from runtime.http import _TraceContextMiddleware
from runtime.telemetry import inject_headers

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def _call(headers: list[tuple[bytes, bytes]], *, edge: bool = False) -> list[tuple[str, bytes]]:
    seen: list[tuple[str, bytes]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.extend(inject_headers())  # what a Kafka message made while handling the request would carry

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
    await _TraceContextMiddleware(app, start_traces=edge)(scope, receive, send)
    return seen


async def test_the_callers_traceparent_is_what_the_request_passes_on() -> None:
    passed_on = dict(await _call([(b"traceparent", TRACEPARENT.encode()), (b"host", b"profile")]))
    assert passed_on["traceparent"].decode() == TRACEPARENT
    assert inject_headers() == []  # and the context is detached after the request


async def test_a_request_without_a_trace_passes_none_on() -> None:
    assert await _call([(b"host", b"profile")]) == []


async def test_the_edge_passes_the_callers_trace_on() -> None:
    passed_on = dict(await _call([(b"traceparent", TRACEPARENT.encode())], edge=True))
    assert passed_on["traceparent"].decode() == TRACEPARENT


async def test_the_edge_starts_a_new_unsampled_trace_per_request_without_one() -> None:
    first = dict(await _call([(b"host", b"gateway")], edge=True))
    second = dict(await _call([(b"host", b"gateway")], edge=True))
    version, trace_id, span_id, flags = first["traceparent"].decode().split("-")
    assert (version, flags) == ("00", "00") and int(trace_id, 16) and int(span_id, 16)
    assert second["traceparent"] != first["traceparent"]
    assert inject_headers() == []


async def test_the_edge_replaces_a_malformed_traceparent_with_a_new_trace() -> None:
    passed_on = dict(await _call([(b"traceparent", b"00-zz-yy-01")], edge=True))
    assert passed_on["traceparent"].decode().startswith("00-") and passed_on["traceparent"] != b"00-zz-yy-01"
