"""The consumer loop every service runs: batches in, one transaction per batch, offsets after commit.

For each batch fetched with `getmany`:
1. decode every message; one that can never be an event (bad JSON, schema violation, unknown type,
   key of another workspace) becomes a dead letter;
2. in one database transaction: record (workspace, event id) as processed, skipping those seen before,
   let the handler apply the fresh events, and write what it publishes plus every dead letter to
   the outbox;
3. commit the offsets, then wake the outbox relay.
An event the handler rejects (dead-lettered, no effect) is not kept as processed, so a replay of its
dead letter after the cause is fixed takes effect.
A failed batch (runtime/consumer_failures.py tells which kind of failure it was):
- transient (database or broker unreachable, deadlocks): the whole batch runs again, with back-off;
- a workspace's (a statement timeout, too many query arguments): the batch runs again at most
  FLYWHEEL_TENANT_FAILURE_RETRIES times, then one workspace at a time, each in its own transaction; the
  events of a workspace whose part still fails so are dead-lettered with the reason, and the other
  workspaces' events flow on;
- any other: the batch's messages are handled one by one, and the message that still fails is
  dead-lettered with the error's kind as its reason (its type and SQLSTATE: an error's message may quote
  the personal value that caused it, so neither reasons nor logs carry it; runtime.logs).
The loop goes on either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeAlias, TypeVar

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.structs import ConsumerRecord
from opentelemetry import trace

from contracts.codec import InvalidEvent
from contracts.envelope import Envelope
from contracts.topics import DEADLETTER
from runtime.consumer_failures import (
    TRANSIENT_ERRORS,
    FailureKind,
    RetryBatch,
    failure_kind,
    workspace_failure_reason,
)
from runtime.consumer_lag import LagReporter
from runtime.db import Connection
from runtime.kafka import deadletter_headers
from runtime.logs import error_kind
from runtime.outbox import OutboundMessage, OutboxRelay, write_outbox
from runtime.settings import RuntimeSettings
from runtime.telemetry import (
    BATCH_SECONDS,
    BATCH_SIZE,
    CONSUMED,
    DEADLETTERED,
    DUPLICATES,
    PROCESSED,
    RETRIES,
    WORKSPACE_FAILURES,
    KafkaHeaders,
    extract_context,
    trace_headers_of,
    tracer,
)

log = logging.getLogger(__name__)

E = TypeVar("E", bound=Envelope)
Record: TypeAlias = ConsumerRecord  # aiokafka ships no type information

__all__ = [
    "TRANSIENT_ERRORS",
    "ConsumerLoop",
    "Decoded",
    "Delivery",
    "Handler",
    "HandlerResult",
    "Rejection",
    "RetryBatch",
]


@dataclass(frozen=True)
class Decoded(Generic[E]):
    """What a handler's `decode` returns for an event whose structured bytes are not the record's value (a
    CloudEvents binary-mode message, or one without `time` that the decoder completed): those bytes flow on."""

    event: E
    value: bytes


@dataclass(frozen=True)
class Delivery(Generic[E]):
    """A decoded event and the Kafka record it came in."""

    event: E
    record: Record
    structured: bytes | None = None  # the event's structured JSON when it is not the record's value (Decoded)

    @property
    def value(self) -> bytes:
        """The event as structured CloudEvents JSON: what is stored and republished (a dead letter keeps the
        record's own value and headers)."""
        return self.structured if self.structured is not None else self.record.value

    @property
    def trace_headers(self) -> KafkaHeaders:
        return trace_headers_of(self.record.headers)


@dataclass(frozen=True)
class Rejection:
    """An event the handler refuses for good (e.g. an attribute of the wrong type), with the reason."""

    record: Record
    reason: str


@dataclass
class HandlerResult:
    publish: list[OutboundMessage] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)  # run once the batch committed (metrics)


class Handler(Protocol[E]):
    """What a service plugs into the loop. `handle` must not write effects for events it rejects."""

    def decode(self, record: Record) -> E | Decoded[E]:
        """Parse one record; raise contracts.codec.InvalidEvent when it can never be valid. A Decoded says the
        event's structured bytes are not the record's value."""
        ...

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[E]]) -> HandlerResult:
        """Apply fresh (never seen) events inside the batch transaction `conn` is in."""
        ...


def _by_workspace(deliveries: Sequence[Delivery[E]]) -> list[tuple[str, list[Delivery[E]]]]:
    """The deliveries by workspace, in the order of the batch, workspaces in name order (as runtime.handlers
    takes them, so that per-workspace locks are taken in one order everywhere)."""
    grouped: dict[str, list[Delivery[E]]] = defaultdict(list)
    for delivery in deliveries:
        grouped[delivery.event.workspace].append(delivery)
    return sorted(grouped.items())


def key_workspace_mismatch(record: Record, event: Envelope) -> str | None:
    """Why the record's key does not belong to the event's workspace. The key is not quoted: a producer
    may key by a personal identifier (an email) where the workspace should come first."""
    if record.key is None:
        return None
    key_workspace = record.key.split(b":", 1)[0].decode("utf-8", "replace")
    if key_workspace != event.workspace:
        return f"the message key names another workspace than the event's ({event.workspace!r})"
    return None


@dataclass(frozen=True)
class Fetched(Generic[E]):
    """One fetched batch: the records by partition and in order, decoded, plus the dead letters of the
    records that could not be decoded."""

    batch: dict[TopicPartition, list[Record]]
    records: list[Record]
    deliveries: list[Delivery[E]]
    dead: list[OutboundMessage]


class ConsumerLoop(Generic[E]):
    def __init__(
        self,
        settings: RuntimeSettings,
        handler: Handler[E],
        pool: asyncpg.Pool,
        consumer: AIOKafkaConsumer,
        relay: OutboxRelay,
    ) -> None:
        self._settings = settings
        self._handler = handler
        self._pool = pool
        self._consumer = consumer
        self._relay = relay
        self._service = settings.service_name
        self._lag = LagReporter(self._service, consumer)
        # A handler whose batches publish thousands of messages (profile's inbound) packs them into one outbox row
        # per topic (runtime.outbox.write_outbox); the others keep one row per message.
        self._packs_outbox: bool = getattr(handler, "packs_outbox", False)

    async def run(self, stopping: asyncio.Event) -> None:
        """Consume until `stopping` is set; the batch in hand is finished and committed first.

        The next batch is fetched and decoded while the current one's transaction runs (a pipeline
        one batch deep); it is only ever stored after the current one committed.
        """
        next_batch: asyncio.Task[Fetched[E] | None] | None = None
        try:
            while not stopping.is_set():
                fetched = await (next_batch or self._fetch())
                next_batch = None
                if fetched is None:
                    continue
                next_batch = asyncio.create_task(self._fetch())
                if not await self._process_with_retry(fetched, stopping):
                    return  # stopping while the batch could not be stored: it is redelivered on restart
                await self._commit(fetched.batch)
                self._relay.wake()
        finally:
            if next_batch is not None:
                next_batch.cancel()  # fetched but not stored, so not committed: redelivered on restart
                with contextlib.suppress(asyncio.CancelledError, KafkaError):
                    await next_batch

    async def _fetch(self) -> Fetched[E] | None:
        """The next batch, decoded; None when there is nothing (or the broker could not be reached)."""
        try:
            batch = await self._consumer.getmany(
                timeout_ms=self._settings.consumer_poll_ms, max_records=self._settings.consumer_max_records
            )
        except KafkaError as exc:
            log.warning("fetch failed; retrying", extra={"error": error_kind(exc)})
            await asyncio.sleep(self._settings.retry_initial_s)
            return None
        if not batch:
            await self._lag.while_idle()
            return None
        records = [record for tp in sorted(batch) for record in batch[tp]]
        deliveries, dead = self._decode(records)
        return Fetched(batch, records, deliveries, dead)

    async def _commit(self, batch: dict[TopicPartition, list[Record]]) -> None:
        offsets = {tp: records[-1].offset + 1 for tp, records in batch.items()}
        try:
            await self._consumer.commit(offsets)
        except KafkaError as exc:
            # The partitions moved to another member (rebalance): it will redeliver, and de-duplication
            # on event id makes that harmless.
            log.warning("offset commit failed; batch will be redelivered", extra={"error": error_kind(exc)})
        self._lag.after_commit({tp: records[-1].offset for tp, records in batch.items()})

    async def _process_with_retry(self, fetched: Fetched[E], stopping: asyncio.Event) -> bool:
        records = fetched.records
        topic = records[0].topic
        CONSUMED.labels(self._service, topic).inc(len(records))
        BATCH_SIZE.labels(self._service, topic).observe(len(records))
        backoff = self._settings.retry_initial_s
        workspace_failures = 0  # attempts that failed on a workspace's own statement
        links = [trace.Link(span_ctx) for span_ctx in self._span_contexts(records[:64])]
        while True:
            started = time.perf_counter()
            try:
                with tracer().start_as_current_span(f"process {topic}", links=links) as span:
                    span.set_attribute("messaging.batch.message_count", len(records))
                    if workspace_failures < self._settings.tenant_failure_retries:
                        await self._process_batch(fetched)
                    else:
                        await self._process_by_workspace(fetched, workspace_failures + 1)
                BATCH_SECONDS.labels(self._service, topic).observe(time.perf_counter() - started)
                return True
            except Exception as exc:
                kind, details = failure_kind(exc), {"error": error_kind(exc), "backoff_s": backoff}
                if kind is FailureKind.WORKSPACE:
                    workspace_failures += 1
                    WORKSPACE_FAILURES.labels(self._service, topic).inc()
                    log.warning(
                        "batch failed on a workspace's statement; retrying, then isolating workspaces",
                        extra={**details, "attempts": workspace_failures},
                    )
                else:
                    RETRIES.labels(self._service, topic).inc()
                    if kind is FailureKind.TRANSIENT:
                        log.warning("batch failed transiently; retrying", extra=details)
                    else:  # isolating failed itself (e.g. writing a dead letter): nothing is lost by trying again
                        log.exception("isolating the batch's failures failed; retrying", extra=details)
            if stopping.is_set():
                return False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self._settings.retry_max_s)

    @staticmethod
    def _span_contexts(records: Sequence[Record]) -> list[trace.SpanContext]:
        contexts = []
        for record in records:
            span_ctx = trace.get_current_span(extract_context(record.headers)).get_span_context()
            if span_ctx.is_valid:
                contexts.append(span_ctx)
        return contexts

    async def _process_batch(self, fetched: Fetched[E]) -> None:
        """The whole batch in one transaction; a message's failure isolates the messages (raises the rest)."""
        try:
            await self._process(fetched.records, fetched.deliveries, fetched.dead)
        except Exception as exc:
            if failure_kind(exc) is not FailureKind.MESSAGE:
                raise
            log.exception("batch failed; isolating the failing message")
            await self._process_one_by_one(fetched.records)

    async def _process_by_workspace(self, fetched: Fetched[E], attempts: int) -> None:
        """Each workspace's events in a transaction of their own: a workspace whose part fails on its own
        statement again has its events dead-lettered, and the others' events flow on. A transient failure
        meanwhile runs this again: what was processed is not processed twice (its events are claimed), but a
        dead letter may be written twice."""
        log.warning("isolating the batch's workspaces", extra={"attempts": attempts})
        await self._write_dead(fetched.dead)
        for workspace, deliveries in _by_workspace(fetched.deliveries):
            records = [d.record for d in deliveries]

            def reason(exc: BaseException, workspace: str = workspace) -> str:
                return workspace_failure_reason(workspace, attempts, exc)

            try:
                await self._process(records, deliveries, [])
            except Exception as exc:
                kind = failure_kind(exc)
                if kind is FailureKind.TRANSIENT:
                    raise
                if kind is FailureKind.WORKSPACE:
                    await self._write_dead([self._deadletter(r, reason(exc), "workspace_failure") for r in records])
                else:
                    log.exception("a workspace's part failed; isolating the failing message")
                    await self._process_one_by_one(records, workspace_reason=reason)

    async def _process_one_by_one(
        self, records: Sequence[Record], workspace_reason: Callable[[BaseException], str] | None = None
    ) -> None:
        """Each message in its own transaction; one that fails for its own sake is dead-lettered. A workspace's
        failure (a statement timeout...) is raised to be retried, unless the workspaces are being isolated:
        then the message is dead-lettered too, with `workspace_reason`."""
        for record in records:
            try:
                await self._process([record], *self._decode([record]))
            except Exception as exc:
                kind = failure_kind(exc)
                if kind is FailureKind.TRANSIENT or (kind is FailureKind.WORKSPACE and workspace_reason is None):
                    raise
                if kind is FailureKind.WORKSPACE:
                    assert workspace_reason is not None
                    letter = self._deadletter(record, workspace_reason(exc), "workspace_failure")
                else:
                    log.exception("message failed; dead-lettering it")
                    letter = self._deadletter(record, f"handler error: {error_kind(exc)}", "handler_error")
                await self._write_dead([letter])

    async def _write_dead(self, dead: Sequence[OutboundMessage]) -> None:
        if dead:
            async with self._pool.acquire() as conn, conn.transaction():
                await write_outbox(conn, dead)

    def _decode(self, records: Sequence[Record]) -> tuple[list[Delivery[E]], list[OutboundMessage]]:
        deliveries: list[Delivery[E]] = []
        dead: list[OutboundMessage] = []
        seen: set[tuple[str, str]] = set()
        for record in records:
            try:
                decoded = self._handler.decode(record)
                event, structured = (decoded.event, decoded.value) if isinstance(decoded, Decoded) else (decoded, None)
                mismatch = key_workspace_mismatch(record, event)
                if mismatch:
                    raise InvalidEvent(mismatch)
            except InvalidEvent as exc:
                dead.append(self._deadletter(record, exc.reason, "invalid"))
                continue
            except Exception as exc:  # a decoder bug must not stop the partition either
                log.exception("decoding failed unexpectedly")
                dead.append(self._deadletter(record, f"decode error: {error_kind(exc)}", "decode_error"))
                continue
            identity = (event.workspace, event.id)
            if identity in seen:
                DUPLICATES.labels(self._service, record.topic).inc()
                continue
            seen.add(identity)
            deliveries.append(Delivery(event, record, structured))
        return deliveries, dead

    async def _process(
        self, records: Sequence[Record], deliveries: Sequence[Delivery[E]], dead: Sequence[OutboundMessage]
    ) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            fresh = await self._claim(conn, deliveries)
            result = await self._handler.handle(conn, fresh) if fresh else HandlerResult()
            await self._unclaim(conn, fresh, result.rejected)
            rejected = [self._deadletter(r.record, r.reason, "rejected") for r in result.rejected]
            await write_outbox(conn, [*result.publish, *dead, *rejected], packed=self._packs_outbox)
        for callback in result.after_commit:
            callback()
        topic = records[0].topic
        PROCESSED.labels(self._service, topic).inc(len(fresh) - len(result.rejected))
        DUPLICATES.labels(self._service, topic).inc(len(deliveries) - len(fresh))

    @staticmethod
    async def _claim(conn: Connection, deliveries: Sequence[Delivery[E]]) -> list[Delivery[E]]:
        """Mark events processed; returns those never processed before (the de-duplication step)."""
        if not deliveries:
            return []
        rows = await conn.fetch(
            """INSERT INTO flywheel_processed_events (workspace, event_id)
               SELECT * FROM unnest($1::text[], $2::text[])
               ON CONFLICT DO NOTHING RETURNING workspace, event_id""",
            [d.event.workspace for d in deliveries],
            [d.event.id for d in deliveries],
        )
        claimed = {(r["workspace"], r["event_id"]) for r in rows}
        return [d for d in deliveries if (d.event.workspace, d.event.id) in claimed]

    @staticmethod
    async def _unclaim(conn: Connection, fresh: Sequence[Delivery[E]], rejections: Sequence[Rejection]) -> None:
        """A rejected event had no effect: forget its id, so that once the cause is fixed (a setting, a
        definition) its dead letter can be replayed (`flywheel deadletter replay`) and is processed, not
        skipped as a duplicate."""
        if not rejections:
            return
        positions = {(r.record.topic, r.record.partition, r.record.offset) for r in rejections}
        events = [d.event for d in fresh if (d.record.topic, d.record.partition, d.record.offset) in positions]
        await conn.execute(
            """DELETE FROM flywheel_processed_events
                WHERE (workspace, event_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))""",
            [e.workspace for e in events],
            [e.id for e in events],
        )

    def _deadletter(self, record: Record, reason: str, kind: str) -> OutboundMessage:
        DEADLETTERED.labels(self._service, record.topic, kind).inc()
        log.warning(
            "dead-lettered a message",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset, "reason": reason},
        )
        return OutboundMessage(
            topic=DEADLETTER,
            key=record.key,
            value=record.value,
            headers=deadletter_headers(self._service, reason, record),
        )
