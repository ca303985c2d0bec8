"""Purchase to enrolment (bench/freshness.py): the Kafka timestamps of each crossing customer's resolved purchase,
`segment.entered` and `journey.entered`, read as they are published, and the latencies they give."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from bench.report import Measurement, latency_summary
from contracts.topics import JOURNEY_ENROLMENTS, RESOLVED, SCORING_CHANGES
from runtime.kafka import client_options
from runtime.settings import RuntimeSettings

SEGMENT = {"name": "Repeat buyers", "condition": {"field": "stats.orders", "op": "gte", "value": 2}}


@dataclass
class Seen:
    """Kafka timestamps (ms) per crossing customer: its crossing purchase resolved, `segment.entered`, and
    `journey.entered`."""

    resolved: dict[str, int] = field(default_factory=dict)
    entered_segment: dict[str, int] = field(default_factory=dict)
    enrolled: dict[str, int] = field(default_factory=dict)


class Watcher:
    """Reads the resolved, scoring-change and journey-enrolment topics from their ends during the run and keeps
    the Kafka timestamp (ms) of each crossing customer's first resolved purchase, `segment.entered` and
    `journey.entered`."""

    TOPICS = (RESOLVED, SCORING_CHANGES, JOURNEY_ENROLMENTS)

    def __init__(self, bootstrap: str, workspace: str, customers: set[str]) -> None:
        self._keys = {f"{workspace}:{customer_id}".encode(): customer_id for customer_id in customers}
        options = client_options(RuntimeSettings(kafka_bootstrap=bootstrap))
        self._consumer = AIOKafkaConsumer(
            *self.TOPICS, **options, group_id=None, enable_auto_commit=False, auto_offset_reset="latest"
        )
        self.seen = Seen()
        self._task: asyncio.Task[None] | None = None
        self._expected = len(customers)
        self._all_enrolled = asyncio.Event()

    async def start(self) -> None:
        await self._consumer.start()
        deadline = time.monotonic() + 30
        while len({tp.topic for tp in self._consumer.assignment()}) < len(self.TOPICS):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no partitions of {self.TOPICS} assigned within 30 s")
            await asyncio.sleep(0.05)
        for tp in self._consumer.assignment():  # the ends now, before the first watched purchase is sent
            await self._consumer.position(tp)
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=100, max_records=10_000)
            for records in batch.values():
                for record in records:
                    customer_id = self._keys.get(record.key)
                    if customer_id is not None:
                        self._note(record.topic, customer_id, record)

    def _note(self, topic: str, customer_id: str, record: Any) -> None:
        seen = self.seen
        if topic == RESOLVED:
            seen.resolved.setdefault(customer_id, record.timestamp)
            return
        kind = orjson.loads(record.value)["type"]
        if topic == SCORING_CHANGES and kind == "segment.entered":
            seen.entered_segment.setdefault(customer_id, record.timestamp)
        elif topic == JOURNEY_ENROLMENTS and kind == "journey.entered":
            seen.enrolled.setdefault(customer_id, record.timestamp)
            if len(seen.enrolled) >= self._expected:
                self._all_enrolled.set()

    async def wait_for(self, enrolments: int, within: float) -> None:
        """Until `enrolments` customers were enrolled, or `within` seconds."""
        self._expected = enrolments
        if len(self.seen.enrolled) >= enrolments:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_enrolled.wait(), timeout=within)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()


def _hop(start: dict[str, float], end: dict[str, int]) -> dict[str, float]:
    """Milliseconds from `start` (ms) to `end` (ms) for each customer with both."""
    return latency_summary([end[c] - start[c] for c in start.keys() & end.keys()])


def freshness_measurement(sent_ns: dict[str, int], seen: Seen, segment_id: str, journey_id: str) -> Measurement:
    """Each crossing purchase's send time (`sent_ns`, per customer) to its enrolment, and the parts."""
    sent_ms = {customer_id: ns / 1e6 for customer_id, ns in sent_ns.items()}
    summary = _hop(sent_ms, seen.enrolled)
    resolved_ms = {c: float(t) for c, t in seen.resolved.items() if c in sent_ms}
    segment_ms = {c: float(t) for c, t in seen.entered_segment.items() if c in sent_ms}
    enrolled = len(sent_ms.keys() & seen.enrolled.keys())
    return Measurement(
        "freshness",
        summary.get("p99", math.nan),
        "ms p99",
        len(sent_ms),
        {
            "purchase_to_enrolment_ms": summary,
            "enrolled": enrolled,
            "entered_segment": len(segment_ms),
            "not_enrolled_within_drain": len(sent_ms) - enrolled,
            "parts_ms": {
                "send_to_resolved (profile)": _hop(sent_ms, seen.resolved),
                "resolved_to_segment_entered (scoring)": _hop(resolved_ms, seen.entered_segment),
                "segment_entered_to_journey_entered (journey)": _hop(segment_ms, seen.enrolled),
            },
            "segment": {**SEGMENT, "segment_id": segment_id},
            "journey_id": journey_id,
            "note": "a crossing purchase's send time (wall clock) to the Kafka timestamp of its journey.entered "
            "(stamped by journey's outbox relay as it publishes, after the enrolment committed); the parts "
            "use the Kafka timestamps of the resolved purchase and of segment.entered",
        },
    )


async def behind(bootstrap: str, groups: Sequence[str]) -> dict[str, int]:
    """Messages each consumer group has yet to commit, over every partition it has committed on."""
    options = client_options(RuntimeSettings(kafka_bootstrap=bootstrap))
    admin = AIOKafkaAdminClient(**options)
    consumer = AIOKafkaConsumer(**options, group_id=None, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        committed = {group: await admin.list_consumer_group_offsets(group) for group in groups}
        partitions = {tp for offsets in committed.values() for tp in offsets}
        ends: dict[TopicPartition, int] = await consumer.end_offsets(list(partitions)) if partitions else {}
        return {
            group: sum(max(ends[tp] - meta.offset, 0) for tp, meta in offsets.items() if meta.offset >= 0)
            for group, offsets in committed.items()
        }
    finally:
        await consumer.stop()
        await admin.close()


async def wait_drained(bootstrap: str, groups: Sequence[str], within: float) -> tuple[float, dict[str, int]]:
    """Seconds until every group has committed everything on its topics (twice in a row, a second apart: what
    one service publishes another then reads), or `within`; with what each group still had to do then."""
    started = time.monotonic()
    quiet = 0
    while True:
        left = await behind(bootstrap, groups)
        quiet = quiet + 1 if not any(left.values()) else 0
        if quiet >= 2 or time.monotonic() - started > within:
            return time.monotonic() - started, left
        await asyncio.sleep(1.0)
