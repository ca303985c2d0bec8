"""Consumer lag (messages behind each partition's high watermark) as the flywheel_consumer_lag gauge, for the
partitions a consumer loop holds: after each committed batch, and while idle."""

from __future__ import annotations

import contextlib
from collections.abc import Set

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from runtime.telemetry import LAG


class LagReporter:
    def __init__(self, service: str, consumer: AIOKafkaConsumer) -> None:
        self._service = service
        self._consumer = consumer
        self._reported: set[TopicPartition] = set()

    def after_commit(self, last_offsets: dict[TopicPartition, int]) -> None:
        """Lag behind the last offset stored of each partition of a batch."""
        assigned = self._consumer.assignment()
        for tp, offset in last_offsets.items():
            highwater = self._consumer.highwater(tp) if tp in assigned else None
            if highwater is not None:
                self.report(tp, highwater - offset - 1)
        self.forget_moved_partitions(assigned)

    async def while_idle(self) -> None:
        """Best effort: a rebalance may take a partition away between the two calls."""
        assigned = self._consumer.assignment()
        for tp in assigned:
            try:
                highwater = self._consumer.highwater(tp)
                if highwater is not None:
                    position = await self._consumer.position(tp)
                    self.report(tp, max(highwater - position, 0))
            except (KafkaError, AssertionError):
                continue
        self.forget_moved_partitions(assigned)

    def report(self, tp: TopicPartition, lag: int) -> None:
        LAG.labels(self._service, tp.topic, str(tp.partition)).set(lag)
        self._reported.add(tp)

    def forget_moved_partitions(self, assigned: Set[TopicPartition]) -> None:
        """A partition that moved to another member is its to report: a last value left here would show
        as lag that never goes down."""
        for tp in self._reported - assigned:
            with contextlib.suppress(KeyError):
                LAG.remove(self._service, tp.topic, str(tp.partition))
        self._reported &= set(assigned)
