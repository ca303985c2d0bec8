"""Kafka clients configured the one way Flywheel uses them."""

from __future__ import annotations

from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from runtime.settings import Settings
from runtime.telemetry import KafkaHeaders


def create_producer(settings: Settings) -> AIOKafkaProducer:
    """acks=all and idempotent: a send that succeeded is on every in-sync replica, once."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        acks="all",
        enable_idempotence=settings.kafka_idempotent_producer,
        linger_ms=5,
        max_batch_size=1_048_576,
        max_request_size=4_194_304,
        compression_type=None,
        client_id=f"flywheel-{settings.service_name}",
    )


def create_consumer(settings: Settings, *topics: str) -> AIOKafkaConsumer:
    """Offsets are committed by the consumer loop only after a batch's effects are durable."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=settings.group_id,
        client_id=f"flywheel-{settings.service_name}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_partition_fetch_bytes=4_194_304,
        fetch_max_bytes=52_428_800,
        max_poll_interval_ms=300_000,
        # A member learns of a rebalance from its next heartbeat, and the whole group waits for the
        # slowest to rejoin: every member started or stopped pauses consumption for up to one interval
        # per rebalance (aiokafka's default is 3 s; a process joins with several consumers).
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_ms,
    )


def deadletter_headers(service: str, reason: str, record: ConsumerRecord[bytes, bytes]) -> KafkaHeaders:
    """The original headers plus who rejected the message, why and when (contracts.internal)."""
    original = [(k, v) for k, v in (record.headers or ()) if not k.startswith("flywheel-dlq-")]
    return [
        *original,
        ("flywheel-dlq-service", service.encode()),
        ("flywheel-dlq-reason", reason[:2000].encode()),
        ("flywheel-dlq-time", datetime.now(UTC).isoformat().encode()),
        ("flywheel-dlq-topic", record.topic.encode()),
        ("flywheel-dlq-partition", str(record.partition).encode()),
        ("flywheel-dlq-offset", str(record.offset).encode()),
    ]
