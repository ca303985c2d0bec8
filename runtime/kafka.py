"""Kafka clients configured the one way Flywheel uses them, and the security every client of them uses."""

from __future__ import annotations

import os
import ssl
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.helpers import create_ssl_context
from aiokafka.structs import ConsumerRecord

from runtime.settings import RuntimeSettings
from runtime.telemetry import KafkaHeaders

SASL_PROTOCOLS = ("SASL_PLAINTEXT", "SASL_SSL")
TLS_PROTOCOLS = ("SSL", "SASL_SSL")


class KafkaSettingsError(ValueError):
    """The Kafka security settings contradict each other or name files that cannot be used: the message
    names every variable to fix. Raised before any connection is tried, so a process fails at start-up."""


def security_options(settings: RuntimeSettings) -> dict[str, Any]:
    """The security keyword arguments of every aiokafka client (producer, consumer, admin client), from
    FLYWHEEL_KAFKA_SECURITY_PROTOCOL, _SASL_* and _SSL_*. Raises KafkaSettingsError on a bad combination."""
    protocol = settings.kafka_security_protocol
    username, password = settings.kafka_sasl_username or None, settings.kafka_sasl_password or None
    cafile, certfile, keyfile = (
        settings.kafka_ssl_cafile or None,
        settings.kafka_ssl_certfile or None,
        settings.kafka_ssl_keyfile or None,
    )
    problems: list[str] = []
    if protocol in SASL_PROTOCOLS:
        if username is None:
            problems.append(f"FLYWHEEL_KAFKA_SECURITY_PROTOCOL={protocol} needs FLYWHEEL_KAFKA_SASL_USERNAME")
        if password is None:
            problems.append(f"FLYWHEEL_KAFKA_SECURITY_PROTOCOL={protocol} needs FLYWHEEL_KAFKA_SASL_PASSWORD")
    else:
        # Credentials given but never sent: the operator believes the connection is authenticated.
        for name, value in (("USERNAME", username), ("PASSWORD", password)):
            if value is not None:
                problems.append(
                    f"FLYWHEEL_KAFKA_SASL_{name} is set, but FLYWHEEL_KAFKA_SECURITY_PROTOCOL={protocol} does not "
                    "use SASL (SASL_SSL does)"
                )
    files = {"CAFILE": cafile, "CERTFILE": certfile, "KEYFILE": keyfile}
    if protocol in TLS_PROTOCOLS:
        if (certfile is None) != (keyfile is None):
            problems.append(
                "FLYWHEEL_KAFKA_SSL_CERTFILE and FLYWHEEL_KAFKA_SSL_KEYFILE go together (mutual TLS): "
                "set both or neither"
            )
        for name, path in files.items():
            if path is not None and not os.access(path, os.R_OK):
                problems.append(f"FLYWHEEL_KAFKA_SSL_{name}={path} cannot be read (missing, or no permission)")
    else:
        problems += [
            f"FLYWHEEL_KAFKA_SSL_{name} is set, but FLYWHEEL_KAFKA_SECURITY_PROTOCOL={protocol} does not use TLS "
            "(SSL or SASL_SSL do)"
            for name, path in files.items()
            if path is not None
        ]
    if problems:
        raise KafkaSettingsError("bad Kafka security settings: " + "; ".join(problems))
    options: dict[str, Any] = {"security_protocol": protocol}
    if protocol in TLS_PROTOCOLS:
        try:
            # Without a CA file the system's trusted CAs verify the brokers; the host name is always checked.
            options["ssl_context"] = create_ssl_context(cafile=cafile, certfile=certfile, keyfile=keyfile)
        except (ssl.SSLError, OSError) as exc:
            named = ", ".join(f"FLYWHEEL_KAFKA_SSL_{name}={path}" for name, path in files.items() if path)
            raise KafkaSettingsError(f"bad Kafka TLS files ({named}): {exc}") from exc
    if protocol in SASL_PROTOCOLS:
        options |= {
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
        }
    return options


def client_options(settings: RuntimeSettings) -> dict[str, Any]:
    """`bootstrap_servers` plus security_options: what any aiokafka client of this deployment is given."""
    return {"bootstrap_servers": settings.kafka_bootstrap, **security_options(settings)}


def create_producer(settings: RuntimeSettings) -> AIOKafkaProducer:
    """acks=all and idempotent: a send that succeeded is on every in-sync replica, once."""
    return AIOKafkaProducer(
        **client_options(settings),
        acks="all",
        enable_idempotence=settings.kafka_idempotent_producer,
        linger_ms=5,
        max_batch_size=1_048_576,
        max_request_size=4_194_304,
        compression_type=None,
        client_id=f"flywheel-{settings.service_name}",
    )


def create_consumer(settings: RuntimeSettings, *topics: str) -> AIOKafkaConsumer:
    """Offsets are committed by the consumer loop only after a batch's effects are durable."""
    return AIOKafkaConsumer(
        *topics,
        **client_options(settings),
        group_id=settings.group_id,
        client_id=f"flywheel-{settings.service_name}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_partition_fetch_bytes=4_194_304,
        # Micro-batching, where configured (fetch_min_bytes > 1): a trickle of events waits up to fetch_max_wait_ms
        # to share one batch (one transaction, outbox round and offset commit) instead of paying for one each.
        fetch_min_bytes=settings.consumer_fetch_min_bytes,
        fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
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
