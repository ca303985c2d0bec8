"""Scale-out on the running stack: three profile processes share the inbound partitions and two scoring
processes the resolved ones (members of one consumer group each, as replicas of a Deployment are). One of
each is SIGKILLed mid-stream; the survivors take its partitions over, and every event's effect is there
exactly once: profile's timeline and stats and scoring's figures equal what was published.

Beside the processes `devstack run` supervises (the first of each service), the test starts the other
replicas through devstack itself (`Stack.start_service("profile-2")`), on the same PostgreSQL, Kafka,
databases and consumer groups. Nothing restarts the killed ones: their partitions must move."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families

from contracts.topics import INBOUND, RESOLVED
from devstack.ports import free_port
from devstack.stack import Stack
from tests.e2e.conftest import RunningStack
from tests.helpers import event, kafka_options, publish, wait_for

pytestmark = pytest.mark.kafka

PROFILE_REPLICAS = ("profile", "profile-2", "profile-3")  # "profile" is the one `devstack run` supervises
SCORING_REPLICAS = ("scoring", "scoring-2")
PARTITIONS = 6  # contracts.topics: INBOUND's and RESOLVED's
CUSTOMERS, TOTAL = 1200, 24_000


@pytest.fixture
async def replicas(stack: RunningStack) -> AsyncIterator[Stack]:
    """profile-2, profile-3 and scoring-2 started beside the stack's own profile and scoring; stopped after."""
    extra = [name for name in (*PROFILE_REPLICAS, *SCORING_REPLICAS) if "-" in name]
    devstack = stack.devstack(
        replicas={"profile": len(PROFILE_REPLICAS), "scoring": len(SCORING_REPLICAS)},
        replica_ports={name: free_port() for name in extra},
        metrics_ports={name: free_port() for name in extra},
    )
    try:
        for name in extra:
            devstack.start_service(name)
        yield devstack
    finally:
        for name in extra:
            devstack.stop_service(name)  # SIGTERM: the survivors drain; the killed ones are gone already


async def test_replicas_share_the_partitions_and_a_sigkilled_one_loses_and_doubles_nothing(
    stack: RunningStack, replicas: Stack
) -> None:
    metrics = {name: f"{replicas.metrics_url(name)}/metrics" for name in (*PROFILE_REPLICAS, *SCORING_REPLICAS)}
    # Every replica holds inbound (resolved) partitions of its own, and together they hold all of them.
    await wait_for(lambda: _shared(metrics, PROFILE_REPLICAS, INBOUND), within=90, what="profile's group to settle")
    await wait_for(lambda: _shared(metrics, SCORING_REPLICAS, RESOLVED), within=90, what="scoring's group to settle")
    processed_before = {name: await _processed(metrics[name], name) for name in (*PROFILE_REPLICAS, *SCORING_REPLICAS)}

    workspace, events = _events()
    purchases = [e for e in events if e["type"] == "purchase"]
    revenue = sum(Decimal(e["data"]["amount"]) for e in purchases)
    visits = len(events) - len(purchases)
    profile_db = await asyncpg.connect(stack.dsn("profile"))
    scoring_db = await asyncpg.connect(stack.dsn("scoring"))
    try:

        async def timeline() -> int:
            return int(await profile_db.fetchval("SELECT count(*) FROM timeline WHERE workspace = $1", workspace))

        async def scored_orders() -> int:
            return int(await scoring_db.fetchval("SELECT count(*) FROM orders WHERE workspace = $1", workspace))

        async def working(name: str, probe: Any, at_least: int) -> bool:
            """The replica has applied events of this run and the run is under way, not over."""
            return await probe() >= at_least and await _processed(metrics[name], name) > processed_before[name]

        await publish(stack.bootstrap, INBOUND, events[: TOTAL // 2])
        await wait_for(lambda: working("profile-3", timeline, 2000), within=90, what="profile-3 under way")
        replicas.kill_service("profile-3")
        assert await timeline() < TOTAL
        await publish(stack.bootstrap, INBOUND, events[TOTAL // 2 :])
        await wait_for(lambda: working("scoring-2", scored_orders, 1000), within=120, what="scoring-2 under way")
        replicas.kill_service("scoring-2")
        assert await scored_orders() < len(purchases)

        # The survivors take the killed members' partitions (after the session timeout) and finish the run.
        await wait_for(lambda: _at_least(timeline, TOTAL), within=240, interval=0.5, what="every event resolved")
        await wait_for(
            lambda: _at_least(scored_orders, len(purchases)), within=240, interval=0.5, what="every purchase scored"
        )
        # Every offset committed: whatever a killed member had in hand was redelivered, and is applied by now.
        await wait_for(lambda: _caught_up(stack.bootstrap, "flywheel-profile", INBOUND), within=120, what="profile")
        await wait_for(lambda: _caught_up(stack.bootstrap, "flywheel-scoring", RESOLVED), within=120, what="scoring")
        await wait_for(
            lambda: _scoring_visits(scoring_db, workspace, visits), within=60, interval=0.5, what="every visit scored"
        )

        assert await timeline() == TOTAL
        profile_figures = await profile_db.fetchrow(
            """SELECT count(*) AS customers, sum(orders) AS orders, sum(revenue) AS revenue, sum(visits) AS visits
                 FROM customers WHERE workspace = $1 AND merged_into IS NULL""",
            workspace,
        )
        expected = {"customers": CUSTOMERS, "orders": len(purchases), "revenue": revenue, "visits": visits}
        assert dict(profile_figures or {}) == expected
        scoring_figures = await scoring_db.fetchrow(
            """SELECT count(*) AS customers, sum(orders) AS orders, sum(revenue) AS revenue, sum(visits) AS visits
                 FROM customers WHERE workspace = $1""",
            workspace,
        )
        assert dict(scoring_figures or {}) == expected
        assert await scored_orders() == len(purchases)
    finally:
        await profile_db.close()
        await scoring_db.close()

    # The survivors hold every partition, and each did part of the run.
    await wait_for(lambda: _shared(metrics, ("profile", "profile-2"), INBOUND), within=60, what="profile's survivors")
    await wait_for(lambda: _shared(metrics, ("scoring",), RESOLVED), within=60, what="scoring's survivor")
    for name in ("profile", "profile-2", "scoring"):
        assert await _processed(metrics[name], name) > processed_before[name], name


def _events() -> tuple[str, list[dict[str, Any]]]:
    """TOTAL events of CUSTOMERS customers (two purchases to each visit), keyed by customer, so spread over
    every partition, each customer's in one."""
    workspace = f"scale-{uuid.uuid4().hex[:6]}"
    events = []
    for i in range(TOTAL):
        customer = {"external_id": f"c{i % CUSTOMERS}"}
        if i % 3 == 2:
            events.append(event("visit", workspace, customer, {"channel": "web"}, event_id=f"e{i}"))
        else:
            data = {"order_id": f"o{i}", "amount": f"{i % 97 + 1}.25"}
            events.append(event("purchase", workspace, customer, data, event_id=f"e{i}"))
    return workspace, events


async def _metric_samples(url: str) -> list[Any]:
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(url)).text
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


async def _held(url: str, topic: str) -> set[int]:
    """The partitions of `topic` a process's consumers hold: its consumer lag gauges (runtime/consumer_lag.py
    reports the assigned partitions while idle and forgets those that moved)."""
    return {
        int(sample.labels["partition"])
        for sample in await _metric_samples(url)
        if sample.name == "flywheel_consumer_lag" and sample.labels["topic"] == topic
    }


async def _shared(metrics: dict[str, str], names: tuple[str, ...], topic: str) -> bool:
    held = [await _held(metrics[name], topic) for name in names]
    disjoint = sum(len(partitions) for partitions in held) == len(set().union(*held))
    return all(held) and disjoint and set().union(*held) == set(range(PARTITIONS))


async def _processed(url: str, name: str) -> float:
    """Events whose effects a process committed, from its own metrics."""
    topic = INBOUND if name.startswith("profile") else RESOLVED
    samples = await _metric_samples(url)
    return float(
        sum(s.value for s in samples if s.name == "flywheel_consumer_processed_total" and s.labels["topic"] == topic)
    )


async def _at_least(probe: Any, n: int) -> bool:
    return bool(await probe() >= n)


async def _scoring_visits(conn: asyncpg.Connection, workspace: str, expected: int) -> bool:
    counted = await conn.fetchval("SELECT coalesce(sum(visits), 0) FROM customers WHERE workspace = $1", workspace)
    return bool(counted >= expected)


async def _caught_up(bootstrap: str, group: str, topic: str) -> bool:
    """The group's committed offset of every partition of `topic` is at the partition's end."""
    admin = AIOKafkaAdminClient(**kafka_options(bootstrap))
    consumer = AIOKafkaConsumer(**kafka_options(bootstrap), enable_auto_commit=False, group_id=None)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
        await admin.close()
    return all(tp in committed and committed[tp].offset == ends[tp] for tp in partitions)
