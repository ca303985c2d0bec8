"""A tarpit receiver (issue 15): workspace A points its webhook at an endpoint that holds every request open.
Deliveries used to go in rounds of 20 that waited for their slowest member (up to the 30 s cap), so every
other workspace's outreach waited behind A's. Now A holds at most its share of the delivery slots, and
workspace B's due messages flow on: each reaches B's receiver once.

The journey service runs in-process on the real PostgreSQL and the session's broker, consuming resolved
events published as profile would; both receivers are real HTTP servers on loopback (allowed for them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from contracts.topics import RESOLVED
from devstack.postgres import LocalPostgres
from services.journey.settings import JourneyServiceSettings
from tests.helpers import publish, wait_for
from tests.integration.conftest import MovableClock, RunningService, running_journey
from tests.samples.journeys import HELLO
from tests.webhook_receiver import running_receiver

START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
TARPIT_MESSAGES = 100  # in rounds of 20, each waiting out the tarpit, they used to hold B back ~50 s
MESSAGES = 150


def visit(workspace: str, customer_id: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"v-{uuid.uuid4().hex[:10]}",
        "source": "tests",
        "type": "visit",
        "time": START.isoformat(),
        "workspace": workspace,
        "customerid": customer_id,
        "data": {"customer": {"external_id": customer_id}, "channel": "web"},
    }


async def set_up(journey: RunningService, workspace: str, url: str) -> str:
    base = f"/internal/v1/workspaces/{workspace}"
    secret: str = (await journey.client.put(f"{base}/channel", json={"webhook_url": url})).json()["secret"]
    journey_id = (await journey.client.post(f"{base}/journeys", json=HELLO)).json()["journey_id"]
    assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
    return secret


async def pending(journey: RunningService, workspace: str) -> int:
    conn = await asyncpg.connect(journey.settings.database_url)
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM webhook_deliveries WHERE workspace = $1", workspace)
        return count
    finally:
        await conn.close()


async def test_a_tarpit_receiver_slows_only_its_own_workspace(
    postgres: LocalPostgres, topics: str, broker_kind: str
) -> None:
    share = JourneyServiceSettings().delivery_per_workspace
    a, b = f"tarpit-{uuid.uuid4().hex[:6]}", f"flowing-{uuid.uuid4().hex[:6]}"
    async with (
        running_journey(postgres, topics, broker_kind, MovableClock(START)) as journey,
        running_receiver("unused", hold_s=600) as tarpit,
        running_receiver("unused") as receiver,
    ):
        tarpit.secret = await set_up(journey, a, tarpit.url)
        receiver.secret = await set_up(journey, b, receiver.url)
        receiver.tolerance_s = tarpit.tolerance_s = 365 * 86400  # signed with the journey's fixed clock
        # A's messages come first: they are the oldest due, and its receiver holds every one it gets.
        await publish(topics, RESOLVED, [visit(a, f"a{i}") for i in range(TARPIT_MESSAGES)])
        await wait_for(lambda: _at_least(pending(journey, a), TARPIT_MESSAGES), within=60, what="A's messages due")
        await tarpit.wait_until(lambda: tarpit.arrived >= 1, within=30, what="A's receiver holding requests")

        await publish(topics, RESOLVED, [visit(b, f"b{i}") for i in range(MESSAGES)])
        await receiver.wait_for_count(MESSAGES, within=30)  # B's messages flow on
        assert sorted(receiver.accepted_keys) == sorted(set(receiver.accepted_keys))
        assert receiver.duplicates == 0 and receiver.bad_signatures == 0
        assert {r.body["customer_id"] for r in receiver.received} == {f"b{i}" for i in range(MESSAGES)}
        assert 1 <= tarpit.arrived <= share, "A holds no more than its share of the delivery slots"


async def _at_least(count: Any, floor: int) -> bool:
    return bool(await count >= floor)
