"""What the journey service's integration tests share: one journey service per test module (its consumer group joins
once; every test has its own workspace) on a clock the tests move, back at START when each test starts, and the
requests and events they all make. A test module takes the fixtures by importing them and naming them in its
`__all__`:

    from tests.integration.journey_context import START, clock, clock_at_start, journey
    __all__ = ["clock", "clock_at_start", "journey"]  # the module's clock and running service (fixtures)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from devstack.postgres import LocalPostgres
from tests.helpers import kafka_options
from tests.integration.conftest import MovableClock, RunningService, running_journey

START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(scope="module")
async def journey(
    postgres: LocalPostgres, topics: str, broker_kind: str, clock: MovableClock
) -> AsyncIterator[RunningService]:
    # One service for the module (every test has its own workspace): its consumer group joins once.
    async with running_journey(postgres, topics, broker_kind, clock) as service:
        yield service


@pytest.fixture(autouse=True)
def clock_at_start(clock: MovableClock) -> None:
    """Every test starts at START, wherever the one before moved the clock (other workspaces' journeys
    have nothing left to do by then)."""
    clock.now = START


def visit(ws: str, customer_id: str, at: dt.datetime, channel: str = "web") -> dict[str, Any]:
    """A resolved `visit` of `customer_id` (by external id) at `at`."""
    return {
        "specversion": "1.0",
        "id": f"v-{uuid.uuid4().hex[:8]}",
        "source": "tests",
        "type": "visit",
        "time": at.isoformat(),
        "workspace": ws,
        "customerid": customer_id,
        "data": {"customer": {"external_id": customer_id}, "channel": channel},
    }


async def active_journey(journey: RunningService, ws: str, document: dict[str, Any]) -> str:
    """`document` created and activated in `ws`; its id."""
    base = f"/internal/v1/workspaces/{ws}"
    created = await journey.client.post(f"{base}/journeys", json=document)
    assert created.status_code == 201, created.text
    journey_id: str = created.json()["journey_id"]
    assert (await journey.client.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
    return journey_id


async def publish_keyed(
    bootstrap: str,
    topic: str,
    docs: list[dict[str, Any]],
    customer_id: str | None = None,
    partition: int | None = None,
) -> None:
    """Events keyed `<workspace>:<customer_id>` as the services that publish them key them (scoring's, loyalty's,
    profile's lifecycle; tests.helpers.publish keys by identifier): one customer's events in order (`partition`
    puts them all in one partition, in the order given, whatever their keys)."""
    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all")
    await producer.start()
    try:
        for doc in docs:
            key = f"{doc['workspace']}:{customer_id or doc['data']['customer_id']}".encode()
            await producer.send_and_wait(topic, orjson.dumps(doc), key=key, partition=partition)
    finally:
        await producer.stop()
