"""The gateway's HTTP client for the services' internal APIs: aiohttp, with httpx's error vocabulary.

httpx (with httpcore's pool, h11 and anyio under it) cost the gateway more CPU than everything else in a
360 view: six service calls per view (bench/gateway_360_cpu.py). aiohttp's client does the same calls for
a fraction of that. ServiceClient keeps speaking httpx's exceptions, so tests can still stand in for a
service with an httpx transport: ConnectError means nothing reached the service (a GET may be retried),
any other httpx.HTTPError means the call failed or timed out.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import aiohttp
import httpx
import orjson

# uvicorn closes a connection idle for 5 s; letting ours go sooner avoids sending on one it just closed.
KEEPALIVE_S = 4.0


@dataclass(frozen=True, slots=True)
class ServiceAnswer:
    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class AiohttpServiceHttp:
    """One pooled aiohttp session per service and process (created in the gateway's lifespan)."""

    def __init__(self, base_url: str, timeout_s: float, headers: dict[str, str]) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._headers = headers
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        connector = aiohttp.TCPConnector(limit=100, keepalive_timeout=KEEPALIVE_S)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=self._timeout,
            headers=self._headers,
            # The services set no cookies and answer small uncompressed JSON: skip that work on every call.
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=("Accept-Encoding",),
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> ServiceAnswer:
        if self._session is None:
            raise RuntimeError("the service client is used outside the gateway's lifespan")
        body = None if json is None else orjson.dumps(json)
        if body is not None:
            headers = {**(headers or {}), "content-type": "application/json"}
        try:
            async with self._session.request(
                method, self._base_url + url, params=_query(params), data=body, headers=headers
            ) as response:
                return ServiceAnswer(response.status, await response.read())
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc)) from exc
        except aiohttp.ServerDisconnectedError as exc:
            # The service dropped the connection before answering: a GET changed nothing and may be retried.
            if method == "GET":
                raise httpx.ConnectError(str(exc)) from exc
            raise httpx.RemoteProtocolError(str(exc)) from exc
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"no answer within {self._timeout.total} s") from exc
        except (aiohttp.ClientError, asyncio.IncompleteReadError) as exc:
            raise httpx.ReadError(str(exc)) from exc


def _query(params: dict[str, Any] | None) -> list[tuple[str, str]] | None:
    """Query parameters written as httpx writes them: lists as repeated keys, true/false, None as empty."""
    if not params:
        return None
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            text = "" if item is None else "true" if item is True else "false" if item is False else str(item)
            pairs.append((key, text))
    return pairs
