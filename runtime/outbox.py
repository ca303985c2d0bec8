"""Transactional outbox: messages are written in the same transaction as the effects that cause them,
then published after commit. A crash between commit and publish only delays them: the relay finds
them on the next round. Consumers de-duplicate on event id, so a re-publish after a crash is harmless."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import msgspec
import orjson
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel

from contracts.codec import encode
from contracts.envelope import CONTENT_TYPE, Envelope
from runtime.db import Connection
from runtime.partitioning import partitions_of
from runtime.telemetry import OUTBOX_PUBLISHED, KafkaHeaders, inject_headers

log = logging.getLogger(__name__)

_RELAY_LOCK = 0x46_57_4F_42  # one relay at a time per database keeps publication in commit order
# Outbox rows written by database triggers (runtime migration 0004) notify this channel at commit.
COMMIT_CHANNEL = "flywheel_outbox"


@dataclass(frozen=True)
class OutboundMessage:
    topic: str
    key: bytes | None
    value: bytes | None
    headers: KafkaHeaders = field(default_factory=list)


def event_headers() -> KafkaHeaders:
    """The headers of an event a service publishes: its content type and the current trace context."""
    return inject_headers([("content-type", CONTENT_TYPE.encode())])


def event_message(
    topic: str,
    source: str,
    workspace: str,
    event_type: str,
    event_id: str,
    customer_id: str,
    data: BaseModel | dict[str, Any],
    time: str | dt.datetime,
    headers: KafkaHeaders | None = None,
    model: type[Envelope] | None = None,
) -> OutboundMessage:
    """One event a service publishes, as a structured-mode CloudEvent keyed `<workspace>:<customer_id>`
    (so one customer's events stay in order).

    A contract model as `data` is written without its empty fields. With `model` the whole envelope is
    validated by it and written by the contracts' codec; without, it is written as it stands (the
    caller validated `data`), which is what EventBatch does.
    """
    envelope = {
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "type": event_type,
        "time": time,
        "workspace": workspace,
        "datacontenttype": "application/json",
        "data": data.model_dump(mode="json", exclude_none=True) if isinstance(data, BaseModel) else data,
    }
    value = orjson.dumps(envelope) if model is None else encode(model.model_validate(envelope))
    key = f"{workspace}:{customer_id}".encode()
    return OutboundMessage(topic, key, value, event_headers() if headers is None else headers)


class EventBatch:
    """The events a service publishes for one workspace at one moment. A scoring refit can announce
    hundreds of thousands of changes at once, so the time and the trace headers are computed once for
    the batch, not per event."""

    def __init__(self, source: str, workspace: str, now: dt.datetime) -> None:
        self.source = source
        self.workspace = workspace
        self.messages: list[OutboundMessage] = []
        self._time = now.astimezone(dt.UTC).isoformat()
        self._headers = event_headers()

    def add(
        self, topic: str, event_type: str, event_id: str, customer_id: str, data: BaseModel | dict[str, Any]
    ) -> None:
        message = event_message(
            topic, self.source, self.workspace, event_type, event_id, customer_id, data, self._time, self._headers
        )
        self.messages.append(message)


async def write_outbox(conn: Connection, messages: Sequence[OutboundMessage], packed: bool = False) -> None:
    """Add messages to the outbox inside the caller's transaction (one COPY, not one INSERT each).

    `packed`: a topic's messages go into one row of flywheel_outbox_packed (their keys, values and headers as one
    MessagePack document) instead of one row each: a consumer batch of thousands of events then costs one row, one
    index entry and one delete per topic, and PostgreSQL one value to store instead of five per message. The relay
    publishes both tables' rows in id order (one sequence numbers both), a packed row's messages in their order."""
    by_topic: dict[str, list[OutboundMessage]] = defaultdict(list)
    if packed:
        for message in messages:
            by_topic[message.topic].append(message)
    single = [group[0] for group in by_topic.values() if len(group) == 1] if packed else messages
    if single:
        await conn.copy_records_to_table("flywheel_outbox", columns=_COLUMNS, records=[_row(m) for m in single])
    if groups := [(topic, group) for topic, group in by_topic.items() if len(group) > 1]:
        await conn.copy_records_to_table(
            "flywheel_outbox_packed",
            columns=["topic", "message_count", "messages"],
            records=[
                (topic, len(group), _PACK.encode([(m.key, m.value, m.headers) for m in group]))
                for topic, group in groups
            ],
        )


_COLUMNS = ["topic", "key", "value", "header_names", "header_values"]
_PACK = msgspec.msgpack.Encoder()
_UNPACK = msgspec.msgpack.Decoder(list[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]])


def _row(m: OutboundMessage) -> tuple[Any, ...]:
    return (m.topic, m.key, m.value, [n for n, _ in m.headers], [v for _, v in m.headers])


def messages_of(row: asyncpg.Record) -> list[OutboundMessage]:
    """The messages a row of a relay round holds: itself, or a packed row's, in the order they were written."""
    topic = row["topic"]
    if row["messages"] is None:
        headers = list(zip(row["header_names"], row["header_values"], strict=True))
        return [OutboundMessage(topic, row["key"], row["value"], headers)]
    return [OutboundMessage(topic, key, value, headers) for key, value, headers in _UNPACK.decode(row["messages"])]


# A round takes the rows of both tables in id order until it holds `$1` messages or more (at least one row): a
# packed row may hold thousands. The first `$1` rows of each table hold those rows (each holds one message or
# more); they are chosen on message_count, before any packed document is read.
_ROUND_SQL = """WITH head AS (
                    (SELECT id, 1 AS message_count, false AS packed FROM flywheel_outbox ORDER BY id LIMIT $1)
                    UNION ALL
                    (SELECT id, message_count, true FROM flywheel_outbox_packed ORDER BY id LIMIT $1)
                ), chosen AS (
                    SELECT id, packed FROM (SELECT id, packed, message_count,
                                                   sum(message_count) OVER (ORDER BY id) AS upto FROM head) AS counted
                     WHERE upto - message_count < $1
                )
                SELECT o.id, false AS packed, o.topic, o.key, o.value, o.header_names, o.header_values,
                       NULL::bytea AS messages
                  FROM chosen JOIN flywheel_outbox o USING (id) WHERE NOT chosen.packed
                UNION ALL
                SELECT p.id, true, p.topic, NULL, NULL, NULL, NULL, p.messages
                  FROM chosen JOIN flywheel_outbox_packed p USING (id) WHERE chosen.packed
                 ORDER BY id"""


class OutboxRelay:
    """Publishes committed outbox rows, oldest first, and deletes them once Kafka has acknowledged them."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: AIOKafkaProducer,
        service: str,
        batch: int,
        poll_s: float,
        listen_dsn: str | None = None,
    ) -> None:
        self._pool = pool
        self._listen_dsn = listen_dsn
        self._listener: asyncpg.Connection | None = None
        self._producer = producer
        self._service = service
        self._batch = batch
        self._poll_s = poll_s
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def drain(self) -> int:
        """Publish until the outbox is empty (or another relay holds the lock); returns messages published."""
        total = 0
        while True:
            published = await self._publish_round()
            total += published
            if published < self._batch:
                return total

    async def _publish_round(self) -> int:
        """Publish one round of rows; returns how many messages they held."""
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _RELAY_LOCK):
                return 0
            rows = await conn.fetch(_ROUND_SQL, self._batch)
            if not rows:
                return 0
            messages = [message for row in rows for message in messages_of(row)]
            await self._send(messages)
            await conn.execute(
                "DELETE FROM flywheel_outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows if not r["packed"]]
            )
            if packed := [r["id"] for r in rows if r["packed"]]:
                await conn.execute("DELETE FROM flywheel_outbox_packed WHERE id = ANY($1::bigint[])", packed)
        for topic, count in Counter(m.topic for m in messages).items():
            OUTBOX_PUBLISHED.labels(self._service, topic).inc(count)
        return len(messages)

    async def _send(self, messages: Sequence[OutboundMessage]) -> None:
        """Publish messages and wait until Kafka acknowledged all of them. One produce batch per partition
        rather than one send() per message: this is the relay's hot path. Partitions are chosen by key as the
        producer's own partitioner chooses them (runtime.partitioning, for the whole round at once), so a key
        lands where a plain send() would put it."""
        by_topic: dict[str, list[OutboundMessage]] = defaultdict(list)
        for m in messages:
            by_topic[m.topic].append(m)
        by_partition: dict[tuple[str, int], list[OutboundMessage]] = defaultdict(list)
        for topic, group in by_topic.items():
            candidates = sorted(await self._producer.partitions_for(topic))
            for m, partition in zip(group, partitions_of([m.key for m in group], candidates), strict=True):
                by_partition[(topic, partition)].append(m)
        acks = []
        for (topic, partition), group in by_partition.items():
            batch, size = self._producer.create_batch(), 0
            for m in group:
                message = {"key": m.key, "value": m.value, "headers": m.headers}
                if batch.append(timestamp=None, **message) is None:
                    if size:
                        acks.append(await self._producer.send_batch(batch, topic, partition=partition))
                        batch, size = self._producer.create_batch(), 0
                    if batch.append(timestamp=None, **message) is None:  # larger than a whole batch
                        acks.append(await self._producer.send(topic, partition=partition, **message))
                        continue
                size += 1
            if size:
                acks.append(await self._producer.send_batch(batch, topic, partition=partition))
        await asyncio.gather(*acks)

    async def _listen_for_commits(self) -> None:
        """Code that writes the outbox wakes the relay itself; rows written by database triggers come with a
        notification at commit instead, heard on a connection of its own (pooled connections keep no LISTEN).
        Without it (the database was unreachable) the poll still finds every row, a poll interval later."""
        if self._listen_dsn is None or (self._listener is not None and not self._listener.is_closed()):
            return
        try:
            self._listener = await asyncpg.connect(self._listen_dsn, timeout=5)
            await self._listener.add_listener(COMMIT_CHANNEL, lambda *_: self.wake())
        except Exception as exc:  # the relay must outlive database outages
            log.warning("outbox relay cannot listen for commits; polling only", extra={"error": repr(exc)})
            self._listener = None

    async def _stop_listening(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):  # closing on the way out: nothing left to save
                await self._listener.close(timeout=5)

    async def run(self, stopping: asyncio.Event) -> None:
        """Drain whenever woken (after a commit) and every poll interval (to recover after a crash)."""
        try:
            await self._run(stopping)
        finally:
            await self._stop_listening()

    async def _run(self, stopping: asyncio.Event) -> None:
        backoff = 0.2
        while True:
            await self._listen_for_commits()
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
