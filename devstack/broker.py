"""What `make run` and the tests need from a Kafka-protocol broker, and how to pick one."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

log = logging.getLogger(__name__)

BrokerKind = Literal["kafka", "embedded"]
BROKER_KINDS: tuple[BrokerKind, ...] = ("kafka", "embedded")


@runtime_checkable
class Broker(Protocol):
    @property
    def bootstrap(self) -> str:
        """`host:port` for Kafka clients."""
        ...

    def start(self) -> None:
        """Start the broker (a no-op when it already runs) and return once it answers clients."""
        ...

    def stop(self) -> None:
        """Stop the broker (a no-op when it does not run)."""
        ...

    def kill(self) -> None:
        """SIGKILL, as a crash: what the broker had not written is its recovery's business (chaos tests)."""
        ...

    def is_running(self) -> bool: ...


def make_broker(kind: str, home: Path, port: int) -> Broker:
    """`kind` "kafka": Apache Kafka (KRaft) keeping its data under `home`;
    "embedded": the in-memory tansu broker (data is lost when it stops)."""
    if kind == "kafka":
        from devstack.kafka import LocalKafka

        return LocalKafka(home, port)
    if kind == "embedded":
        from devstack.embedded_broker import EmbeddedBroker

        return EmbeddedBroker(home, port)
    raise ValueError(f"unknown broker kind {kind!r}; expected one of {', '.join(BROKER_KINDS)}")


def answers_metadata(bootstrap: str, timeout: float = 5.0, security: Mapping[str, Any] | None = None) -> bool:
    """Whether a Kafka client can bootstrap from `bootstrap` and read cluster metadata (`security`: the
    client's security options, runtime.kafka.security_options; none: PLAINTEXT).

    Runs aiokafka on its own event loop in a worker thread, so it is safe to call from sync code
    and from inside a running event loop alike.
    """

    async def probe() -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000), **(security or {})
        )
        try:
            await admin.start()
            await admin.list_topics()
        finally:
            await admin.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="broker-probe") as pool:
        try:
            pool.submit(asyncio.run, asyncio.wait_for(probe(), timeout)).result()
        except Exception as exc:
            log.debug("%s does not answer yet: %r", bootstrap, exc)
            return False
    return True
