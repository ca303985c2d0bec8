"""Several consumer loops resolving identities at once: no identifier ever belongs to two profiles,
and every fact is counted exactly once."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import running_profile


async def test_concurrent_loops_resolve_one_customer_known_by_many_keys(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    ws = f"conc-{uuid.uuid4().hex[:8]}"
    people = 40
    events: list[dict[str, Any]] = []
    for round_ in range(5):
        for p in range(people):
            email, external_id, device = f"p{p}@example.com", f"ext-{p}", f"dev-{p}"
            # The same person under different strongest identifiers: the keys differ, so the events
            # spread over partitions and loops, and race to link the same identifiers.
            for customer in (
                {"email": email},
                {"external_id": external_id, "email": email},
                {"anonymous_id": device, "external_id": external_id},
                {"anonymous_id": device},
            ):
                events.append(
                    event("purchase", ws, customer, {"order_id": f"o{round_}-{p}-{len(events)}", "amount": "1.00"})
                )
    async with running_profile(postgres, topics, broker_kind, skip_history=True, consumer_concurrency=3) as profile:
        await publish(topics, INBOUND, events)
        conn = await asyncpg.connect(profile.settings.database_url)
        try:

            async def counted() -> bool:
                total = await conn.fetchval("SELECT coalesce(sum(orders), 0) FROM customers WHERE workspace = $1", ws)
                return bool(total >= len(events))

            await wait_for(counted, within=90, what="every purchase counted")
            live = await conn.fetch(
                """SELECT customer_id, orders FROM customers
                    WHERE workspace = $1 AND merged_into IS NULL AND erased_at IS NULL""",
                ws,
            )
            owners = await conn.fetch("SELECT kind, value, customer_id FROM identifiers WHERE workspace = $1", ws)
        finally:
            await conn.close()
    assert len(live) == people, "each person ends as exactly one live profile"
    assert sorted(r["orders"] for r in live) == [len(events) // people] * people
    assert len(owners) == 3 * people
    live_ids = {r["customer_id"] for r in live}
    assert {r["customer_id"] for r in owners} <= live_ids


pytestmark = pytest.mark.timeout(300)
