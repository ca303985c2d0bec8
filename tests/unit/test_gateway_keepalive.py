"""The gateway's lean HTTP/1.1 client against a scripted socket server: framing, reuse, failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import orjson
import pytest

from services.gateway.keepalive import KeepAliveClient, ServiceAnswer

# Answers one request on a connection: (request head and body) -> raw answer, or None to close at once.
Script = Callable[[bytes], bytes | None]


@asynccontextmanager
async def server(script: Script, close_after_each: bool = False) -> AsyncIterator[tuple[str, list[int]]]:
    """(base URL, the number of requests each connection served)."""
    served: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served.append(0)
        index = len(served) - 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                answer = script(head + body)
                served[index] += 1
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if close_after_each:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    listening = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", served
    finally:
        listening.close()


def json_answer(body: bytes, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n%s\r\n"
        % (
            len(body),
            extra,
        )
        + body
    )


def client(base_url: str, timeout_s: float = 2.0) -> KeepAliveClient:
    return KeepAliveClient(base_url, timeout_s, headers={"user-agent": "test"})


def json_of(answer: ServiceAnswer) -> object:
    return orjson.loads(answer.content)


async def test_answers_are_framed_by_length_and_the_connection_is_reused() -> None:
    seen: list[bytes] = []

    def script(request: bytes) -> bytes:
        seen.append(request)
        return json_answer(b'{"ok": true}')

    async with server(script) as (url, served), client(url) as http:
        first = await http.request(
            "GET", "/a/b%2Fc", params={"q": "x y", "on": True}, headers={"traceparent": "00-1-2-01"}
        )
        second = await http.request("POST", "/p", json={"n": 1})
    assert (first.status_code, json_of(first), json_of(second)) == (200, {"ok": True}, {"ok": True})
    assert served == [2]  # one connection, both requests
    assert seen[0].startswith(b"GET /a/b%2Fc?q=x+y&on=true HTTP/1.1\r\n")
    assert b"\r\nhost: 127.0.0.1:" in seen[0] and b"\r\nuser-agent: test\r\n" in seen[0]
    assert b"traceparent: 00-1-2-01\r\n" in seen[0].lower()
    assert seen[1].endswith(b'{"n":1}') and b"content-length: 7" in seen[1].lower()


async def test_chunked_and_bodiless_answers() -> None:
    def script(request: bytes) -> bytes:
        if request.startswith(b"DELETE"):
            return b"HTTP/1.1 204 No Content\r\n\r\n"
        return b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;x=1\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n'

    async with server(script) as (url, served), client(url) as http:
        deleted = await http.request("DELETE", "/d")
        chunked = await http.request("GET", "/c")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert json_of(chunked) == {"a": 1}
    assert served == [2]


async def test_connection_close_is_honoured() -> None:
    async with (
        server(lambda _: json_answer(b"[]", b"connection: close\r\n"), close_after_each=True) as (
            url,
            served,
        ),
        client(url) as http,
    ):
        for _ in range(3):
            assert json_of(await http.request("GET", "/x")) == []
    assert served == [1, 1, 1]


async def test_a_get_on_a_connection_the_service_dropped_is_sent_again_on_a_new_one() -> None:
    answers = iter([json_answer(b"1"), None, json_answer(b"2")])  # the 2nd request finds the connection gone

    async with server(lambda _: next(answers)) as (url, served), client(url) as http:
        assert json_of(await http.request("GET", "/x")) == 1
        assert json_of(await http.request("GET", "/x")) == 2
    assert served == [2, 1]


async def test_a_write_on_a_dropped_connection_is_not_sent_twice() -> None:
    answers = iter([json_answer(b"1"), None, json_answer(b"2")])

    async with server(lambda _: next(answers)) as (url, served), client(url) as http:
        await http.request("GET", "/x")
        with pytest.raises(httpx.RemoteProtocolError):
            await http.request("POST", "/x", json={})
        assert json_of(await http.request("GET", "/x")) == 2  # the broken connection was not kept
    assert served == [2, 1]


async def test_refused_connections_and_slow_services_raise_httpx_errors() -> None:
    async with server(lambda _: None) as (url, _):
        pass  # closed: nothing listens on its port any more
    async with client(url) as http:
        with pytest.raises(httpx.ConnectError):
            await http.request("GET", "/x")

    async def never(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # reads the request, never answers
        writer.close()

    listening = await asyncio.start_server(never, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        async with client(f"http://127.0.0.1:{port}", timeout_s=0.2) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.request("GET", "/x")
    finally:
        listening.close()


async def test_a_base_path_prefixes_every_request_and_odd_paths_are_quoted() -> None:
    seen: list[bytes] = []

    def script(request: bytes) -> bytes:
        seen.append(request)
        return json_answer(b"{}")

    async with server(script) as (url, _), client(url + "/svc/") as http:
        await http.request("GET", "/a b/\u00e9")
    assert seen[0].startswith(b"GET /svc/a%20b/%C3%A9 HTTP/1.1\r\n")
    with pytest.raises(httpx.LocalProtocolError):
        await client(url).request("GET", "/x", headers={"x": "a\r\nb: c"})


async def test_large_answers_and_answers_cut_short() -> None:
    large = b'"' + b"x" * 200_000 + b'"'
    answers = iter([json_answer(large), json_answer(b"[1,2,3]")[:-3]])

    def script(_: bytes) -> bytes:
        return next(answers)

    async with server(script, close_after_each=True) as (url, _), client(url) as http:
        assert (await http.request("GET", "/big")).content == large
        with pytest.raises(httpx.RemoteProtocolError):
            await http.request("GET", "/cut")


async def test_requests_beyond_max_connections_wait_for_a_free_one() -> None:
    async with server(lambda _: json_answer(b"1")) as (url, served):
        http = KeepAliveClient(url, 2.0, max_connections=2)
        answers = await asyncio.gather(*(http.request("GET", "/x") for _ in range(10)))
        await http.aclose()
    assert [a.status_code for a in answers] == [200] * 10
    assert len(served) <= 2 and sum(served) == 10
