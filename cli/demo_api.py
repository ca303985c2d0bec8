"""The public API as `flywheel demo`'s setup uses it: JSON in and out, writes with an Idempotency-Key, retries
on 429/5xx and dropped connections, cursor pages, and problems turned into one readable error."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx

RETRIES = 5
T = TypeVar("T")


class DemoError(RuntimeError):
    """The gateway could not take what the demo sends (unreachable, key refused, a refusal): exit 2."""


class Refused(DemoError):
    """The API answered a problem (4xx) the caller may expect, e.g. a 409 with `blockers`."""

    def __init__(self, method: str, path: str, status: int, problem: dict[str, Any]) -> None:
        detail = problem.get("detail") or problem.get("title") or problem
        errors = problem.get("errors")
        super().__init__(f"{method} {path} answered {status}: {detail}{f' {errors}' if errors else ''}")
        self.status = status
        self.problem = problem


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {"detail": response.text[:300]}


class DemoApi:
    """A gateway client for one key. `write` sends an Idempotency-Key derived from `idempotency_prefix` and the
    caller's name for the write, so a demo re-run (or a retry) repeats an answer instead of doing it twice."""

    def __init__(
        self,
        gateway: str,
        key: str,
        idempotency_prefix: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
    ) -> None:
        headers = {"Authorization": f"Bearer {key}"}
        self.client = httpx.Client(base_url=gateway, headers=headers, timeout=timeout, transport=transport)
        self.prefix = idempotency_prefix
        self._reached = False  # a gateway that is not there at all fails the first request at once

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> DemoApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        idempotency: str | None = None,
        ok: tuple[int, ...] = (200, 201, 202),
    ) -> Any:
        headers = {"Idempotency-Key": f"{self.prefix}:{idempotency}"[:255]} if idempotency else {}
        delay = 0.5
        for attempt in range(RETRIES + 1):
            try:
                response = self.client.request(method, path, json=json, params=params, headers=headers)
            except httpx.TransportError as exc:
                if attempt == RETRIES or (not self._reached and isinstance(exc, httpx.ConnectError)):
                    raise DemoError(f"cannot reach the gateway at {self.client.base_url}: {exc}") from exc
            else:
                self._reached = True
                if response.status_code in ok:
                    return _body(response)
                if response.status_code in (401, 403):
                    raise DemoError(
                        f"{method} {path}: the gateway refused the API key ({response.status_code}): "
                        f"{_body(response).get('detail', '')}"
                    )
                if response.status_code not in (429, 502, 503, 504) or attempt == RETRIES:
                    body = _body(response)
                    raise Refused(method, path, response.status_code, body if isinstance(body, dict) else {})
            time.sleep(delay)
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None} or None)

    def write(self, method: str, path: str, body: Any, idempotency: str) -> Any:
        return self.request(method, path, json=body, idempotency=idempotency)

    def items(self, path: str, limit: int = 100, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paged list."""
        cursor = None
        while True:
            page = self.get(path, limit=limit, cursor=cursor, **params)
            yield from page.get("items", [])
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def find(self, path: str, match: Callable[[dict[str, Any]], bool], **params: Any) -> dict[str, Any] | None:
        """The first item of a list that `match`es, or None: what the demo looks up before it creates."""
        return next((item for item in self.items(path, **params) if match(item)), None)


def poll(what: str, check: Callable[[], T | None], timeout_s: float, interval_s: float = 1.0) -> T:
    """`check()` until it answers something, or DemoError after `timeout_s` naming `what` it waited for."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise DemoError(f"waited {timeout_s:.0f} s for {what}; are all the services running?")
        time.sleep(interval_s)
