"""Concurrent requests' events sent to Kafka together: one produce request for every event the gateway was
given within a short window, each request still answered only once Kafka acknowledged its own events.

Most producers call `POST /v1/events` once per event. Sent one by one (aiokafka lingers per partition), each
event became a produce request of its own: at 200 requests/s the broker answered 200 produce requests a second
(acks=all) and the gateway paid for each. Here the events of a window (`linger_s` from the first one) are
appended to one closed batch per partition and handed to the producer at once, so they leave in one produce
request (aiokafka sends a node's ready batches together). Each event keeps a future of its own: it resolves
when its partition's batch is acknowledged, or fails with what failed that batch; an event too large for any
batch is sent on its own and fails alone (MessageSizeTooLargeError), so one request's failure is never
another's, whoever shares its window.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import RecordMetadata

from runtime.telemetry import KafkaHeaders

log = logging.getLogger(__name__)


ALONE_BYTES = 262_144  # an event this large fills a batch of its own: sent alone (a quarter of max_batch_size)


@dataclass(frozen=True)
class _Queued:
    topic: str
    key: bytes | None
    value: bytes
    headers: KafkaHeaders
    acked: asyncio.Future[Any]


class ProduceBatcher:
    """Sends the events queued within `linger_s` of each other in one go; `send` gives each its own future.

    One task hands windows to the producer, one after the other: while a window waits for room (the
    producer queues one batch per partition behind the one in flight), the next gathers every event that
    arrives meanwhile, so under load windows grow instead of queueing up (group commit)."""

    def __init__(
        self, producer: Callable[[], AIOKafkaProducer], linger_s: float, alone_bytes: int = ALONE_BYTES
    ) -> None:
        self._producer = producer
        self._linger_s = linger_s
        self._alone_bytes = alone_bytes
        self._queued: list[_Queued] = []
        self._handing_over: asyncio.Task[None] | None = None
        self._settling: set[asyncio.Task[None]] = set()
        self._partitioner = DefaultPartitioner()

    def send(self, topic: str, value: bytes, key: bytes | None, headers: KafkaHeaders) -> asyncio.Future[Any]:
        """Queue one event; the future resolves once Kafka acknowledged it, or fails with why it was not.
        Events queued together by one caller (a request's batch) leave in the same window, in order."""
        acked: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queued.append(_Queued(topic, key, value, headers, acked))
        if self._handing_over is None:
            self._handing_over = asyncio.create_task(self._hand_over_windows())
        return acked

    async def close(self) -> None:
        """Wait until every event queued is handed over and settled (shutdown: the producer stops after)."""
        while self._handing_over is not None or self._settling:
            await asyncio.gather(
                *([self._handing_over] if self._handing_over else []), *self._settling, return_exceptions=True
            )

    async def _hand_over_windows(self) -> None:
        try:
            while self._queued:
                await asyncio.sleep(self._linger_s)
                window, self._queued = self._queued, []
                sent: list[tuple[asyncio.Future[Any], list[_Queued]]] = []
                try:
                    await self._hand_over(window, sent)
                except Exception as exc:  # the broker is unreachable, the producer stopped...: the rest is not sent
                    log.warning("events not handed to the producer", extra={"error": repr(exc), "events": len(window)})
                    handed = {id(queued) for _, events in sent for queued in events}
                    for queued in window:
                        if id(queued) not in handed and not queued.acked.done():
                            queued.acked.set_exception(exc)
                settling = asyncio.create_task(self._settle_all(sent))
                self._settling.add(settling)
                settling.add_done_callback(self._settling.discard)
        finally:
            self._handing_over = None

    async def _settle_all(self, sent: list[tuple[asyncio.Future[Any], list[_Queued]]]) -> None:
        await asyncio.gather(*(self._settle(future, events) for future, events in sent))

    async def _hand_over(self, window: list[_Queued], sent: list[tuple[asyncio.Future[Any], list[_Queued]]]) -> None:
        """One closed batch per partition (more when one overflows), each handed to the producer and added to
        `sent` with the events it carries. An event larger than a whole batch goes alone through `send`."""
        producer = self._producer()
        by_partition: dict[tuple[str, int], list[_Queued]] = defaultdict(list)
        partitions: dict[str, list[int]] = {}
        for queued in window:
            if queued.topic not in partitions:
                partitions[queued.topic] = sorted(await producer.partitions_for(queued.topic))
            every = partitions[queued.topic]
            by_partition[(queued.topic, self._partitioner(queued.key, every, every))].append(queued)
        for (topic, partition), events in by_partition.items():
            batch, carried = producer.create_batch(), list[_Queued]()
            for queued in events:
                message = {"key": queued.key, "value": queued.value, "headers": queued.headers}
                if len(queued.value) > self._alone_bytes:
                    # Alone, through `send`: it checks the size against the request limit (an empty batch would
                    # take any record), so one too large is refused alone, never sinking a batch with others.
                    try:
                        sent.append((await producer.send(topic, partition=partition, **message), [queued]))
                    except Exception as exc:
                        queued.acked.set_exception(exc)
                    continue
                if batch.append(timestamp=None, **message) is None:  # full: hand it over, start the next
                    batch.close()  # closed: sent at once, no linger, nothing else appended
                    sent.append((await producer.send_batch(batch, topic, partition=partition), carried))
                    batch, carried = producer.create_batch(), list[_Queued]()
                    batch.append(timestamp=None, **message)  # an empty batch takes any record
                carried.append(queued)
            if carried:
                batch.close()
                sent.append((await producer.send_batch(batch, topic, partition=partition), carried))

    @staticmethod
    async def _settle(future: asyncio.Future[Any], events: list[_Queued]) -> None:
        """Each event of a batch gets the batch's outcome: its own RecordMetadata (the batch's first offset plus
        its place in it), or the batch's error."""
        try:
            first: RecordMetadata = await future
        except Exception as exc:
            for queued in events:
                if not queued.acked.done():
                    queued.acked.set_exception(exc)
            return
        for place, queued in enumerate(events):
            if not queued.acked.done():
                queued.acked.set_result(first._replace(offset=first.offset + place))
