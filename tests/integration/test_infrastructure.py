"""The local infrastructure the other integration tests stand on: PostgreSQL and a Kafka-protocol broker."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from contracts.topics import TOPICS
from devstack.postgres import LocalPostgres
from devstack.topics import TopicSpec, ensure_topics
from tests.helpers import kafka_options


async def test_postgres_answers_over_tcp(postgres: LocalPostgres) -> None:
    conn = await asyncpg.connect(postgres.dsn("postgres"))
    try:
        assert await conn.fetchval("select 1") == 1
    finally:
        await conn.close()


async def test_ensure_databases_creates_missing_ones(postgres: LocalPostgres) -> None:
    name = f"devstack_{uuid.uuid4().hex[:8]}"
    postgres.ensure_databases([name])
    postgres.ensure_databases([name])  # already there: nothing to do
    conn = await asyncpg.connect(postgres.dsn(name))
    try:
        assert await conn.fetchval("select current_database()") == name
    finally:
        await conn.close()


async def test_ensure_topics_then_produce_and_consume(bootstrap: str) -> None:
    topic = TopicSpec(f"devstack.smoke.{uuid.uuid4().hex[:8]}", partitions=3, retention_ms=3_600_000)
    await ensure_topics(bootstrap, [topic])
    await ensure_topics(bootstrap, [topic])  # already there: tolerated

    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic.name, b"hello", key=b"customer-1")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic.name,
        **kafka_options(bootstrap),
        group_id=f"devstack-smoke-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        session_timeout_ms=6000,  # the embedded broker holds a JoinGroup for about half of this
        heartbeat_interval_ms=2000,
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=30)
    finally:
        await consumer.stop()
    assert (message.key, message.value) == (b"customer-1", b"hello")


async def test_ensure_topics_accepts_the_catalogue(bootstrap: str) -> None:
    await ensure_topics(bootstrap, TOPICS)
    admin = AIOKafkaAdminClient(**kafka_options(bootstrap))
    await admin.start()
    try:
        described = {topic["topic"]: topic for topic in await admin.describe_topics([t.name for t in TOPICS])}
    finally:
        await admin.close()
    for topic in TOPICS:
        assert len(described[topic.name]["partitions"]) == topic.partitions
