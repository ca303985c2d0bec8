"""A lean HTTP/1.1 client: the gateway's calls to the services over plain keep-alive sockets.

httpx with httpcore's pool (h11 and anyio under it) cost the gateway more CPU than everything else in a
360 view (six service calls per view; bench/gateway_360_cpu.py). The services are plain HTTP on a private
network answering small JSON documents, so this client does only that: one request at a time per
connection, idle connections kept for reuse, bodies framed by Content-Length or chunked. Failures are
httpx's exceptions, as httpcore raises them: ConnectError (nothing reached the service), ConnectTimeout,
ReadTimeout, WriteTimeout, ReadError, WriteError, RemoteProtocolError. Tests still stand in for a service
with an httpx transport (service_client.create_http_client).
"""

from __future__ import annotations

import asyncio
import json as stdlib_json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
import orjson

_HEAD_END = b"\r\n\r\n"
_CHUNK = 65_536
_NO_BODY_STATUSES = {204, 304}
_PATH_SAFE = "!$&'()*+,;=:@/?%-._~"


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def usable(self) -> bool:
        """False once the service closed it while idle (uvicorn drops idle connections after 5 s)."""
        return not (self.reader.at_eof() or self.writer.is_closing())

    def close(self) -> None:
        self.writer.close()


class _Stale(Exception):
    """A reused connection was closed before the service sent any of its answer."""


class ServiceAnswer:
    """What ServiceClient reads of an answer (the part of httpx.Response it uses)."""

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: list[tuple[bytes, bytes]], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class KeepAliveClient:
    """Requests to one service (`base_url`, plain http) over pooled keep-alive connections.

    httpx's client costs about 250 us of CPU per request here before the transport even runs (URL
    parsing and validation, header models): more than the request itself. Paths come from
    `service_client.workspace_path`, already quoted segment by segment.
    """

    def __init__(
        self,
        base_url: str,
        timeout_s: float,
        headers: dict[str, str] | None = None,
        max_idle: int = 50,
        max_connections: int = 100,
    ) -> None:
        url = urlsplit(base_url)
        if url.scheme != "http" or not url.hostname:
            raise ValueError(f"a service URL is http://host[:port][/prefix], not {base_url!r}")
        self._origin = (url.hostname, url.port or 80)
        self._prefix = url.path.rstrip("/")
        self._fixed = {"host": url.netloc, "accept": "*/*", **{k.lower(): v for k, v in (headers or {}).items()}}
        self._timeouts: dict[str, float | None] = {"connect": timeout_s, "read": timeout_s, "write": timeout_s}
        self._max_idle = max_idle
        self._slots = asyncio.Semaphore(max_connections)  # requests in flight, as httpx.Limits bounded them
        self._idle: list[_Connection] = []

    async def __aenter__(self) -> KeepAliveClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> ServiceAnswer:
        target = self._prefix + url
        if not (target.isascii() and target.isprintable()) or " " in target:
            target = quote(target, safe=_PATH_SAFE)  # as httpx would send it: no space or control byte
        if params:
            target += "?" + urlencode([(k, _query_value(v)) for k, v in _query_items(params)])
        all_headers = self._fixed | {k.lower(): v for k, v in (headers or {}).items()}
        body = b""
        if json is not None:
            body = _json_bytes(json)
            all_headers["content-type"] = "application/json"
        if body or method in {"POST", "PUT", "PATCH"}:
            all_headers["content-length"] = str(len(body))
        if any("\r" in v or "\n" in v for v in all_headers.values()):
            raise httpx.LocalProtocolError("a header value may not hold a line break")
        head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in all_headers.items())
        message = head.encode("latin-1") + b"\r\n" + body
        status, answer_headers, content = await self._send(method, message)
        return ServiceAnswer(status, answer_headers, content)

    async def _send(self, method: str, message: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        if self._slots.locked():  # every connection busy: wait for one within the connect timeout
            try:
                async with asyncio.timeout(self._timeouts["connect"]):
                    await self._slots.acquire()
            except TimeoutError:
                raise httpx.PoolTimeout("every connection to the service is busy") from None
        else:
            await self._slots.acquire()
        try:
            return await self._exchange_on_a_connection(method, message)
        finally:
            self._slots.release()

    async def _exchange_on_a_connection(
        self, method: str, message: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        timeouts = self._timeouts
        connection, reused = self._idle_connection(), True
        if connection is None:
            connection, reused = await _connect(self._origin, timeouts["connect"]), False
        try:
            status, headers, body, keep = await _exchange(connection, message, method, timeouts, reused)
        except _Stale:
            connection.close()
            if method not in {"GET", "HEAD"}:  # the service may have seen it; do not send twice
                raise httpx.RemoteProtocolError("the service closed the connection") from None
            connection = await _connect(self._origin, timeouts["connect"])
            try:
                status, headers, body, keep = await _exchange(connection, message, method, timeouts, False)
            except BaseException:
                connection.close()
                raise
        except BaseException:  # cancelled, timed out or broken mid-exchange: the connection's state is unknown
            connection.close()
            raise
        if keep and len(self._idle) < self._max_idle:
            self._idle.append(connection)
        else:
            connection.close()
        return status, headers, body

    def _idle_connection(self) -> _Connection | None:
        idle = self._idle
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection
            connection.close()
        return None

    async def aclose(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()


def _query_items(params: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(k, item) for k, v in params.items() for item in (v if isinstance(v, list | tuple) else [v])]


def _query_value(value: Any) -> str:
    """As httpx writes query values."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def _json_bytes(doc: Any) -> bytes:
    try:
        return orjson.dumps(doc)
    except (orjson.JSONEncodeError, TypeError):  # e.g. integers beyond 64 bits, which json takes
        return stdlib_json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@contextmanager
def _mapped(error: type[httpx.TransportError], timeout_error: type[httpx.TimeoutException]) -> Iterator[None]:
    try:
        yield
    except TimeoutError as exc:
        raise timeout_error(str(exc) or "timed out") from None
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise error(repr(exc)) from None


async def _connect(origin: tuple[str, int], timeout_s: float | None) -> _Connection:
    with _mapped(httpx.ConnectError, httpx.ConnectTimeout):
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(*origin, limit=_CHUNK)
    return _Connection(reader, writer)


async def _exchange(
    connection: _Connection, message: bytes, method: str, timeouts: dict[str, float | None], reused: bool
) -> tuple[int, list[tuple[bytes, bytes]], bytes, bool]:
    """(status, headers, body, whether the connection may be used again). A small answer (up to 64 KiB)
    is read under one deadline, a larger one under a deadline per read: fewer timers per call."""
    reader, writer, read_s = connection.reader, connection.writer, timeouts.get("read")
    try:
        writer.write(message)
        if writer.transport.get_write_buffer_size():  # the kernel did not take it all at once
            async with asyncio.timeout(timeouts.get("write")):
                await writer.drain()
    except TimeoutError:
        raise httpx.WriteTimeout("timed out sending the request") from None
    except OSError as exc:
        if reused:
            raise _Stale() from None
        raise httpx.WriteError(repr(exc)) from None
    head = b""
    body: bytes | None = None
    try:
        async with asyncio.timeout(read_s):
            head = await reader.readuntil(_HEAD_END)
            status, headers, length, chunked, keep = _parse_head(head)
            if method == "HEAD" or status in _NO_BODY_STATUSES or 100 <= status < 200:
                body = b""
            elif length is not None and length <= _CHUNK and not chunked:
                body = await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        if reused and not head and not exc.partial:
            raise _Stale() from None
        raise httpx.RemoteProtocolError("the service closed the connection mid-answer") from None
    except TimeoutError:
        raise httpx.ReadTimeout("timed out waiting for the answer") from None
    except (OSError, asyncio.LimitOverrunError) as exc:
        if reused and not head and isinstance(exc, ConnectionResetError):
            raise _Stale() from None
        raise httpx.ReadError(repr(exc)) from None
    if body is None:
        with _mapped(httpx.ReadError, httpx.ReadTimeout):
            if chunked:
                body = await _read_chunked(reader, read_s)
            elif length is not None:
                body = await _read_exactly(reader, length, read_s)
            else:  # framed by the end of the connection
                body, keep = await _read_to_end(reader, read_s), False
    return status, headers, body, keep


def _parse_head(head: bytes) -> tuple[int, list[tuple[bytes, bytes]], int | None, bool, bool]:
    """(status, headers, Content-Length, chunked, keep-alive) of a response head."""
    lines = head[: -len(_HEAD_END)].split(b"\r\n")
    version, _, rest = lines[0].partition(b" ")
    code = rest[:3]
    if not version.startswith(b"HTTP/1.") or not code.isdigit():
        raise httpx.RemoteProtocolError(f"not an HTTP/1.x answer: {lines[0][:100]!r}")
    headers: list[tuple[bytes, bytes]] = []
    length: int | None = None
    chunked = False
    keep = version == b"HTTP/1.1"
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            raise httpx.RemoteProtocolError(f"malformed header line: {line[:100]!r}")
        value = value.strip()
        headers.append((name, value))
        lowered = name.lower()
        if lowered == b"content-length":
            if not value.isdigit():
                raise httpx.RemoteProtocolError(f"bad Content-Length: {value[:40]!r}")
            length = int(value)
        elif lowered == b"transfer-encoding":
            chunked = value.lower().endswith(b"chunked")
        elif lowered == b"connection":
            tokens = {t.strip() for t in value.lower().split(b",")}
            keep = b"keep-alive" in tokens if version == b"HTTP/1.0" else b"close" not in tokens
    return int(code), headers, length, chunked, keep


async def _read_exactly(reader: asyncio.StreamReader, length: int, timeout_s: float | None) -> bytes:
    """`length` bytes, each read of up to 64 KiB within the read timeout (as httpcore times each read)."""
    parts: list[bytes] = []
    left = length
    while left:
        async with asyncio.timeout(timeout_s):
            part = await reader.readexactly(min(left, _CHUNK))
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


async def _read_chunked(reader: asyncio.StreamReader, timeout_s: float | None) -> bytes:
    parts: list[bytes] = []
    while True:
        async with asyncio.timeout(timeout_s):
            size_line = await reader.readuntil(b"\r\n")
        size_text = size_line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise httpx.RemoteProtocolError(f"bad chunk size: {size_text[:40]!r}") from None
        if size == 0:
            while True:  # trailers, up to the empty line
                async with asyncio.timeout(timeout_s):
                    if await reader.readuntil(b"\r\n") == b"\r\n":
                        return b"".join(parts)
        parts.append(await _read_exactly(reader, size, timeout_s))
        async with asyncio.timeout(timeout_s):
            await reader.readexactly(2)


async def _read_to_end(reader: asyncio.StreamReader, timeout_s: float | None) -> bytes:
    parts: list[bytes] = []
    while True:
        async with asyncio.timeout(timeout_s):
            part = await reader.read(_CHUNK)
        if not part:
            return b"".join(parts)
        parts.append(part)
