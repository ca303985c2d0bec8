"""The Kafka broker SIGKILLed while 20,000 events flow through the gateway, and started again: the gateway answers
503 with Retry-After while it cannot publish (never accepting an event it then loses), the producers retry,
profile's consumers resume, and every event is counted exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from devstack.stack import Stack
from services.gateway.store import ensure_workspace_with_key
from tests.chaos.conftest import Recoveries, chaos_stack
from tests.helpers import event, wait_for

pytestmark = pytest.mark.kafka

TOTAL, CUSTOMERS, BATCH, SENDERS = 20_000, 1_000, 100, 4
OUTAGE_S = 15.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from chaos_stack(tmp_path_factory.mktemp("chaos-broker"), "gateway", "profile")


class Sender:
    """Producers as the API asks them to behave: a batch answered 503 (or not answered) is sent again, whole,
    after Retry-After; the ids make the repeats harmless. Notes when 503s came and when batches were accepted."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.refused_at: list[float] = []
        self.accepted_at: list[float] = []
        self.accepted_ids: set[str] = set()
        self.retry_after_missing = 0

    async def send(self, batch: list[dict[str, Any]]) -> None:
        while True:
            try:
                answer = await self.client.post("/v1/events", json=batch)
            except httpx.TransportError:
                await asyncio.sleep(1)
                continue
            if answer.status_code == 202:
                self.accepted_at.append(time.monotonic())
                self.accepted_ids.update(e["id"] for e in batch)
                return
            assert answer.status_code == 503, answer.text
            self.refused_at.append(time.monotonic())
            if "retry-after" not in answer.headers:
                self.retry_after_missing += 1
            await asyncio.sleep(float(answer.headers.get("retry-after", "1")))


async def test_the_broker_killed_mid_stream_loses_and_doubles_nothing(stack: Stack, recoveries: Recoveries) -> None:
    workspace = f"chaos-{uuid.uuid4().hex[:6]}"
    gateway_dsn = stack.postgres.role_dsn("flywheel_gateway", "gateway")
    key = await ensure_workspace_with_key(gateway_dsn, workspace, Path(stack.config.home) / f"{workspace}-key")
    events = [
        event(
            "purchase",
            workspace,
            {"external_id": f"c{i % CUSTOMERS}"},
            {"order_id": f"o{i}", "amount": f"{i % 97 + 1}.25"},
            event_id=f"e{i}",
        )
        for i in range(TOTAL)
    ]
    batches = [events[i : i + BATCH] for i in range(0, TOTAL, BATCH)]
    queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)
    profile = await asyncpg.connect(stack.postgres.dsn("profile"))
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=stack.url("gateway"), headers=headers, timeout=60) as client:
        sender = Sender(client)

        async def send_all() -> None:
            while not queue.empty():
                await sender.send(queue.get_nowait())

        senders = [asyncio.create_task(send_all()) for _ in range(SENDERS)]
        try:
            await wait_for(lambda: _at_least(lambda: len(sender.accepted_ids), TOTAL // 4), within=120, what="flow")
            killed_at = time.monotonic()
            stack.broker.kill()
            await asyncio.sleep(OUTAGE_S)
            await asyncio.to_thread(stack.broker.start)
            restarted_at = time.monotonic()
            await asyncio.wait_for(asyncio.gather(*senders), timeout=600)
        finally:
            for task in senders:
                task.cancel()
        accepted_again = min(t for t in sender.accepted_at if t > restarted_at)

        async def counted() -> tuple[int, Decimal] | None:
            row = await profile.fetchrow(
                "SELECT coalesce(sum(orders), 0), coalesce(sum(revenue), 0) FROM customers WHERE workspace = $1",
                workspace,
            )
            assert row is not None
            return (int(row[0]), Decimal(row[1])) if row[0] >= TOTAL else None

        try:
            orders, revenue = await wait_for(counted, within=300, interval=0.5, what="every event counted")
            all_counted = time.monotonic()
            timeline = await profile.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace)
        finally:
            await profile.close()

    assert sender.refused_at, "the gateway never answered 503 while the broker was away"
    assert sender.retry_after_missing == 0
    assert min(sender.refused_at) > killed_at
    assert sender.accepted_ids == {e["id"] for e in events}
    assert (orders, revenue, timeline) == (TOTAL, sum(Decimal(e["data"]["amount"]) for e in events), TOTAL)
    recoveries.record(
        "broker SIGKILL (15 s away, 20,000 events)",
        first_503_after_kill=min(sender.refused_at) - killed_at,
        accepting_again_after_restart=accepted_again - restarted_at,
        all_counted_after_restart=all_counted - restarted_at,
    )


async def _at_least(probe: Any, n: int) -> bool:
    return bool(probe() >= n)
