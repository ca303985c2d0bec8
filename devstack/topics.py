"""Create the topics a deployment needs (auto-creation is off on the local Apache Kafka)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code

from runtime.kafka import security_options
from runtime.settings import RuntimeSettings

log = logging.getLogger(__name__)

TOPIC_ALREADY_EXISTS = 36  # Kafka protocol error code
REQUEST_TIMEOUT_MS = 30_000
LEADER_WAIT_S = 30.0


class TopicLike(Protocol):
    """What ensure_topics reads; `contracts.topics.Topic` fits."""

    @property
    def name(self) -> str: ...
    @property
    def partitions(self) -> int: ...
    @property
    def retention_ms(self) -> int: ...


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int = 6
    retention_ms: int = 7 * 24 * 3600 * 1000


async def ensure_topics(bootstrap: str, specs: Iterable[TopicLike], settings: RuntimeSettings | None = None) -> None:
    """Create the topics that do not exist yet (replication factor 1, `retention.ms` set) and wait until
    every partition of each has a leader. Existing topics are left as they are.

    `settings` gives the security to connect with (FLYWHEEL_KAFKA_SECURITY_PROTOCOL, the SASL user, the CA);
    by default the process environment's, as every other Flywheel client."""
    wanted = {spec.name: spec for spec in specs}
    if not wanted:
        return
    security = security_options(settings if settings is not None else RuntimeSettings())
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=REQUEST_TIMEOUT_MS, **security)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for name, spec in wanted.items() if name not in existing]
        if missing:
            response = await admin.create_topics(
                [
                    NewTopic(
                        spec.name,
                        num_partitions=spec.partitions,
                        replication_factor=1,
                        topic_configs={"retention.ms": str(spec.retention_ms)},
                    )
                    for spec in missing
                ]
            )
            for topic, code, *message in response.topic_errors:
                if code == TOPIC_ALREADY_EXISTS:  # created concurrently by someone else
                    continue
                if code != 0:
                    raise for_code(code)(f"creating topic {topic}: {message[0] if message else ''}")
                log.info("created topic %s", topic)
        async with asyncio.timeout(LEADER_WAIT_S):
            await _wait_for_leaders(admin, list(wanted))
    finally:
        await admin.close()


async def _wait_for_leaders(admin: AIOKafkaAdminClient, names: list[str]) -> None:
    """New topics take a moment to show up in the broker's metadata with a leader per partition."""
    delay = 0.05
    while True:
        described = await admin.describe_topics(names)
        pending = [
            topic["topic"]
            for topic in described
            if topic["error_code"] != 0
            or not topic["partitions"]
            or any(partition["leader"] < 0 for partition in topic["partitions"])
        ]
        if not pending:
            return
        log.debug("waiting for leaders of %s", ", ".join(pending))
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.5)
