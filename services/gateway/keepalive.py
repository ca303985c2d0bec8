"""A lean HTTP/1.1 transport for httpx: the gateway's calls to the services over plain keep-alive sockets.

httpcore's pool (with h11 and anyio under it) cost the gateway more CPU than everything else in a 360 view
(six service calls per view; bench/gateway_360_cpu.py). The services are plain HTTP on a private
network answering small JSON documents, so this transport does only that: one request at a time per
connection, idle connections kept per host for reuse, bodies framed by Content-Length or chunked.
Failures are httpx's exceptions, as httpcore raises them: ConnectError (nothing reached the service),
ConnectTimeout, ReadTimeout, WriteTimeout, ReadError, WriteError, RemoteProtocolError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

_HEAD_END = b"\r\n\r\n"
_CHUNK = 65_536
_NO_BODY_STATUSES = {204, 304}


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


class KeepAliveTransport(httpx.AsyncBaseTransport):
    def __init__(self, max_idle_per_host: int = 50) -> None:
        self._max_idle = max_idle_per_host
        self._idle: dict[tuple[str, int], list[_Connection]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http":
            raise httpx.UnsupportedProtocol(f"only http:// is served by this transport, not {url.scheme}://")
        origin = (url.host, url.port or 80)
        timeouts = request.extensions.get("timeout", {})
        message = _encode(request, await request.aread())
        connection, reused = self._idle_connection(origin), True
        if connection is None:
            connection, reused = await _connect(origin, timeouts.get("connect")), False
        try:
            status, headers, body, keep = await _exchange(connection, message, request.method, timeouts, reused)
        except _Stale:
            connection.close()
            if request.method not in {"GET", "HEAD"}:  # the service may have seen it; do not send twice
                raise httpx.RemoteProtocolError("the service closed the connection", request=request) from None
            connection = await _connect(origin, timeouts.get("connect"))
            try:
                status, headers, body, keep = await _exchange(connection, message, request.method, timeouts, False)
            except BaseException:
                connection.close()
                raise
        except BaseException:  # cancelled, timed out or broken mid-exchange: the connection's state is unknown
            connection.close()
            raise
        if keep:
            self._release(origin, connection)
        else:
            connection.close()
        return httpx.Response(status, headers=headers, content=body, extensions={"http_version": b"HTTP/1.1"})

    def _idle_connection(self, origin: tuple[str, int]) -> _Connection | None:
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection
            connection.close()
        return None

    def _release(self, origin: tuple[str, int], connection: _Connection) -> None:
        idle = self._idle.setdefault(origin, [])
        if len(idle) < self._max_idle:
            idle.append(connection)
        else:
            connection.close()

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()


def _encode(request: httpx.Request, body: bytes) -> bytes:
    target = request.url.raw_path
    lines = [request.method.encode("ascii") + b" " + target + b" HTTP/1.1"]
    lines.extend(name + b": " + value for name, value in request.headers.raw)
    return b"\r\n".join(lines) + _HEAD_END + body


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
    """(status, headers, body, whether the connection may be used again)."""
    reader, read_s = connection.reader, timeouts.get("read")
    try:
        connection.writer.write(message)
        async with asyncio.timeout(timeouts.get("write")):
            await connection.writer.drain()
    except TimeoutError:
        raise httpx.WriteTimeout("timed out sending the request") from None
    except OSError as exc:
        if reused:
            raise _Stale() from None
        raise httpx.WriteError(repr(exc)) from None
    try:
        async with asyncio.timeout(read_s):
            head = await reader.readuntil(_HEAD_END)
    except asyncio.IncompleteReadError as exc:
        if reused and not exc.partial:
            raise _Stale() from None
        raise httpx.RemoteProtocolError("the service closed the connection mid-answer") from None
    except TimeoutError:
        raise httpx.ReadTimeout("timed out waiting for the answer") from None
    except (OSError, asyncio.LimitOverrunError) as exc:
        if reused and isinstance(exc, ConnectionResetError):
            raise _Stale() from None
        raise httpx.ReadError(repr(exc)) from None
    status, headers, length, chunked, keep = _parse_head(head)
    with _mapped(httpx.ReadError, httpx.ReadTimeout):
        if method == "HEAD" or status in _NO_BODY_STATUSES or 100 <= status < 200:
            body = b""
        elif chunked:
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
