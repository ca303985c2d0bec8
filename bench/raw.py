"""The machine's raw limits: plain aiokafka produce and consume, plain asyncpg COPY."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.events import TimelineRecord, batches
from bench.report import Measurement, rate
from devstack.topics import TopicSpec, ensure_topics
from runtime.kafka import client_options, create_producer
from runtime.settings import RuntimeSettings

PARTITIONS = 6  # as flywheel.events.inbound
COPY_CHUNK = 5_000  # one COPY (one transaction, one commit) per chunk: FLYWHEEL_CONSUMER_MAX_RECORDS
COLUMNS = ["workspace", "event_id", "customer_id", "type", "occurred_at", "source", "event"]


def producer(bootstrap: str, idempotent: bool) -> AIOKafkaProducer:
    """A producer with exactly the runtime's settings (acks=all, linger 5 ms, 1 MiB batches)."""
    return create_producer(
        RuntimeSettings(kafka_bootstrap=bootstrap, kafka_idempotent_producer=idempotent, service_name="bench")
    )


async def produce_all(kafka: AIOKafkaProducer, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    """Send everything as fast as the client takes it, then wait for every ack."""
    futures: list[asyncio.Future[Any]] = []
    for key, value in messages:
        futures.append(await kafka.send(topic, value, key=key))
    await asyncio.gather(*futures)


async def raw_kafka(bootstrap: str, idempotent: bool, messages: list[tuple[bytes, bytes]]) -> list[Measurement]:
    """Produce the messages to a fresh topic, then consume them back from the start."""
    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [TopicSpec(topic, partitions=PARTITIONS, retention_ms=3_600_000)])
    kafka = producer(bootstrap, idempotent)
    await kafka.start()
    try:
        started = time.perf_counter()
        await produce_all(kafka, topic, messages)
        produce_s = time.perf_counter() - started
    finally:
        await kafka.stop()
    size = sum(len(k) + len(v) for k, v in messages)
    produced = Measurement(
        "raw_produce",
        rate(len(messages), produce_s),
        "events/s",
        len(messages),
        {"seconds": round(produce_s, 3), "mb_per_s": round(size / produce_s / 1e6, 2), "topic_partitions": PARTITIONS},
    )
    consume_s, got = await _consume(bootstrap, topic, len(messages))
    consumed = Measurement(
        "raw_consume",
        rate(got, consume_s),
        "events/s",
        got,
        {"seconds": round(consume_s, 3), "note": "read_committed, from earliest, no group (no offset commits)"},
    )
    return [produced, consumed]


async def _consume(bootstrap: str, topic: str, expect: int, within: float = 300.0) -> tuple[float, int]:
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(RuntimeSettings(kafka_bootstrap=bootstrap)),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_partition_fetch_bytes=4_194_304,  # as runtime.kafka.create_consumer
        fetch_max_bytes=52_428_800,
    )
    await consumer.start()
    got = 0
    try:
        started = time.perf_counter()
        deadline = started + within
        while got < expect and time.perf_counter() < deadline:
            batch = await consumer.getmany(timeout_ms=100, max_records=5_000)
            got += sum(len(records) for records in batch.values())
        return time.perf_counter() - started, got
    finally:
        await consumer.stop()


async def raw_copy(dsn: str, records: list[TimelineRecord]) -> Measurement:
    """COPY the rows into a fresh table shaped like profile's timeline (same keys, index and defaults)."""
    table = f"bench_timeline_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"CREATE TABLE {table} (LIKE timeline INCLUDING ALL)")
        started = time.perf_counter()
        for chunk in batches(records, COPY_CHUNK):
            await conn.copy_records_to_table(table, columns=COLUMNS, records=chunk)
        seconds = time.perf_counter() - started
        await conn.execute(f"DROP TABLE {table}")
    finally:
        await conn.close()
    return Measurement(
        "raw_copy",
        rate(len(records), seconds),
        "rows/s",
        len(records),
        {"seconds": round(seconds, 3), "chunk_rows": COPY_CHUNK, "note": "one COPY and one commit per chunk"},
    )
