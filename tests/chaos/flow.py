"""What every chaos scenario sends and counts: purchases posted through the gateway by producers that behave as
the API asks (a batch answered 503, or not answered, is sent again whole after Retry-After; ids make repeats
harmless), and profile's exact totals at the end."""

from __future__ import annotations

import asyncio
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from devstack.stack import Stack
from services.gateway.store import ensure_workspace_with_key
from tests.helpers import wait_for


async def new_workspace(stack: Stack) -> tuple[str, str]:
    """A workspace of the scenario's own and an admin key for it."""
    workspace = f"chaos-{uuid.uuid4().hex[:6]}"
    dsn = stack.postgres.role_dsn("flywheel_gateway", "gateway")
    return workspace, await ensure_workspace_with_key(dsn, workspace, Path(stack.config.home) / f"{workspace}-key")


class Senders:
    """`count` producers sending `batches` through the gateway until each is accepted."""

    def __init__(self, gateway: str, key: str, batches: list[list[dict[str, Any]]], count: int = 4) -> None:
        self._client = httpx.AsyncClient(base_url=gateway, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        self._queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
        for batch in batches:
            self._queue.put_nowait(batch)
        self._count = count
        self._tasks: list[asyncio.Task[None]] = []
        self.refused_at: list[float] = []
        self.accepted_at: list[float] = []
        self.accepted_ids: set[str] = set()
        self.refusals_without_retry_after = 0
        self.unexpected: list[str] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._send_all()) for _ in range(self._count)]

    async def finish(self, within: float) -> None:
        try:
            await asyncio.wait_for(asyncio.gather(*self._tasks), timeout=within)
        finally:
            for task in self._tasks:
                task.cancel()
            await self._client.aclose()

    async def until_accepted(self, count: int, within: float) -> None:
        async def enough() -> bool:
            return len(self.accepted_ids) >= count

        await wait_for(enough, within=within, what=f"{count} events accepted")

    async def _send_all(self) -> None:
        while not self._queue.empty():
            await self._send(self._queue.get_nowait())

    async def _send(self, batch: list[dict[str, Any]]) -> None:
        while True:
            try:
                answer = await self._client.post("/v1/events", json=batch)
            except httpx.TransportError:
                await asyncio.sleep(1)
                continue
            if answer.status_code == 202:
                self.accepted_at.append(time.monotonic())
                self.accepted_ids.update(e["id"] for e in batch)
                return
            if answer.status_code != 503:
                self.unexpected.append(f"{answer.status_code}: {answer.text[:300]}")
            self.refused_at.append(time.monotonic())
            if "retry-after" not in answer.headers:
                self.refusals_without_retry_after += 1
            await asyncio.sleep(float(answer.headers.get("retry-after", "1")))


async def profile_totals(stack: Stack, workspace: str, total: int, within: float) -> tuple[int, Decimal, int]:
    """(orders, revenue, timeline rows) of the workspace once profile counted `total` orders."""
    profile = await asyncpg.connect(stack.postgres.dsn("profile"))
    try:

        async def counted() -> tuple[int, Decimal] | None:
            row = await profile.fetchrow(
                "SELECT coalesce(sum(orders), 0), coalesce(sum(revenue), 0) FROM customers WHERE workspace = $1",
                workspace,
            )
            assert row is not None
            return (int(row[0]), Decimal(row[1])) if row[0] >= total else None

        orders, revenue = await wait_for(counted, within=within, interval=0.5, what="every event counted")
        timeline = int(await profile.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace))
        return orders, revenue, timeline
    finally:
        await profile.close()


async def ready(stack: Stack, service: str) -> bool:
    """Whether `service` answers /readyz with 200."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            return (await client.get(f"{stack.metrics_url(service)}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def unready(stack: Stack, service: str) -> bool:
    return not await ready(stack, service)


def revenue_of(events: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(e["data"]["amount"]) for e in events), Decimal(0))
