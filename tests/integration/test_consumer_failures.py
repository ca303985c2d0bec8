"""The consumer loop under failure: database connections cut mid-stream, and a message that breaks
the handler in a way no validation foresaw."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from contracts.topics import DEADLETTER, INBOUND
from runtime.telemetry import RETRIES
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.conftest import RunningService


async def test_cut_database_connections_are_retried_and_nothing_is_lost_or_doubled(
    profile: RunningService, bootstrap: str
) -> None:
    ws = f"cut-{uuid.uuid4().hex[:8]}"
    total = 3000
    events = [
        event("purchase", ws, {"external_id": f"c{i % 100}"}, {"order_id": f"o{i}", "amount": "2.00"})
        for i in range(total)
    ]
    admin = await asyncpg.connect(profile.settings.database_url)
    try:

        async def processed() -> int:
            return int(await admin.fetchval("SELECT coalesce(sum(orders), 0) FROM customers WHERE workspace = $1", ws))

        retries_before = RETRIES.labels("profile", INBOUND)._value.get()
        await publish(bootstrap, INBOUND, events)
        for _ in range(200):  # cut every connection of the service, again and again, while it works
            if await processed() >= total:
                break
            await admin.execute(
                """SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()"""
            )
            await asyncio.sleep(0.02)

        async def all_processed() -> bool:
            return await processed() >= total

        await wait_for(all_processed, within=60, what="every purchase counted")
        assert await processed() == total
        assert await admin.fetchval("SELECT sum(revenue) FROM customers WHERE workspace = $1", ws) == 2 * total
        assert RETRIES.labels("profile", INBOUND)._value.get() > retries_before, "no batch was ever cut"
    finally:
        await admin.close()


async def test_a_message_that_breaks_the_handler_is_isolated_and_dead_lettered(
    profile: RunningService, bootstrap: str
) -> None:
    ws = f"nul-{uuid.uuid4().hex[:8]}"
    # PostgreSQL's jsonb cannot hold U+0000: valid by the contract, but it fails when stored.
    breaking = event("identify", ws, {"external_id": "n1"}, {"traits": {"name": "a\u0000b"}})
    fine = [event("visit", ws, {"external_id": f"n{i}"}, {"channel": "web"}) for i in range(2, 6)]
    await publish(bootstrap, INBOUND, [fine[0], fine[1], breaking, fine[2], fine[3]])

    (dead,) = await read_topic(bootstrap, DEADLETTER, expect=1, match=lambda r: breaking["id"].encode() in r.value)
    assert dict(dead.headers)["flywheel-dlq-reason"].decode().startswith("handler error:")
    for i in range(2, 6):

        async def visited(n: int = i) -> bool:
            response = await profile.client.get(
                f"/internal/v1/workspaces/{ws}/customers", params={"external_id": f"n{n}"}
            )
            return response.status_code == 200 and response.json()["stats"]["visits"] == 1

        await wait_for(visited, what=f"customer n{i}")
