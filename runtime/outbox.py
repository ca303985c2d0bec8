"""Transactional outbox: messages are written in the same transaction as the effects that cause them,
then published after commit. A crash between commit and publish only delays them: the relay finds
them on the next round. Consumers de-duplicate on event id, so a re-publish after a crash is harmless."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaProducer

from runtime.db import Connection
from runtime.telemetry import OUTBOX_PUBLISHED, KafkaHeaders

log = logging.getLogger(__name__)

_RELAY_LOCK = 0x46_57_4F_42  # one relay at a time per database keeps publication in commit order


@dataclass(frozen=True)
class OutboundMessage:
    topic: str
    key: bytes | None
    value: bytes | None
    headers: KafkaHeaders = field(default_factory=list)


def _encode_headers(headers: KafkaHeaders) -> list[list[str]]:
    return [[name, base64.b64encode(value).decode()] for name, value in headers]


def _decode_headers(raw: list[list[str]]) -> KafkaHeaders:
    return [(name, base64.b64decode(value)) for name, value in raw]


async def write_outbox(conn: Connection, messages: Sequence[OutboundMessage]) -> None:
    """Add messages to the outbox inside the caller's transaction (one COPY, not one INSERT each)."""
    if not messages:
        return
    await conn.copy_records_to_table(
        "flywheel_outbox",
        columns=["topic", "key", "value", "headers"],
        records=[(m.topic, m.key, m.value, _encode_headers(m.headers)) for m in messages],
    )


class OutboxRelay:
    """Publishes committed outbox rows, oldest first, and deletes them once Kafka has acknowledged them."""

    def __init__(self, pool: asyncpg.Pool, producer: AIOKafkaProducer, service: str, batch: int, poll_s: float) -> None:
        self._pool = pool
        self._producer = producer
        self._service = service
        self._batch = batch
        self._poll_s = poll_s
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def drain(self) -> int:
        """Publish until the outbox is empty (or another relay holds the lock); returns rows published."""
        total = 0
        while True:
            published = await self._publish_round()
            total += published
            if published < self._batch:
                return total

    async def _publish_round(self) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _RELAY_LOCK):
                return 0
            rows = await conn.fetch(
                "SELECT id, topic, key, value, headers FROM flywheel_outbox ORDER BY id LIMIT $1", self._batch
            )
            if not rows:
                return 0
            sends = [
                await self._producer.send(
                    row["topic"], value=row["value"], key=row["key"], headers=_decode_headers(row["headers"])
                )
                for row in rows
            ]
            await asyncio.gather(*sends)
            await conn.execute("DELETE FROM flywheel_outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows])
        for row in rows:
            OUTBOX_PUBLISHED.labels(self._service, row["topic"]).inc()
        return len(rows)

    async def run(self, stopping: asyncio.Event) -> None:
        """Drain whenever woken (after a commit) and every poll interval (to recover after a crash)."""
        backoff = 0.2
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_s)
            self._wake.clear()
            try:
                await self.drain()
                backoff = 0.2
            except Exception as exc:  # the relay must outlive broker and database outages
                log.warning("outbox relay round failed; retrying", extra={"error": repr(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            if stopping.is_set():
                await self.drain()
                return
