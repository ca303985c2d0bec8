"""Reading `flywheel.deadletter` for `flywheel deadletter`: every partition from its beginning (or from
`--since`) up to the end offsets taken at start, by a plain consumer without a group, so nothing is
committed and reading twice reads the same letters."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from cli.deadletter_select import DeadLetter, Selection, dead_letter
from cli.kafka_producer import why_unusable
from contracts.topics import DEADLETTER
from runtime.kafka import client_options
from runtime.settings import RuntimeSettings

# A broker that does not answer this long is treated as unreachable.
TIMEOUT_S = 15.0
# `--since` seeks by the records' timestamps, taken by the producing host; the filter then uses the
# dead-letter time header. The margin covers clock skew between the two so no letter is missed.
SEEK_MARGIN = dt.timedelta(minutes=5)
ASK_END = 5  # fetches that may go by without telling a partition's end (then the listed end stands)


class DeadLetterError(Exception):
    """The command cannot go on (broker unreachable, topic missing); the message says why."""


async def unreachable(settings: RuntimeSettings, exc: BaseException) -> DeadLetterError:
    return DeadLetterError(f"cannot reach Kafka at {settings.kafka_bootstrap}: {await why_unusable(settings, exc)}")


async def read_letters(settings: RuntimeSettings, selection: Selection, limit: int | None) -> list[DeadLetter]:
    """The matching letters, oldest first, among those on the topic when the command started."""
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        group_id=None,
        client_id="flywheel-deadletter",
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=4_194_304,
        fetch_max_wait_ms=100,  # an empty fetch answers soon, with the partition's end
    )
    try:
        await asyncio.wait_for(consumer.start(), TIMEOUT_S)
    except (KafkaError, OSError, TimeoutError) as exc:
        await consumer.stop()
        raise await unreachable(settings, exc) from exc
    try:
        # The consumer's own metadata covers only topics it already tracks (partitions_for_topic is None
        # on Apache Kafka right after start): ask the cluster, the way `consumer.topics()` does.
        cluster = await asyncio.wait_for(consumer._client.fetch_all_metadata(), TIMEOUT_S)
        if DEADLETTER not in cluster.topics():
            raise DeadLetterError(f"topic {DEADLETTER} does not exist at {settings.kafka_bootstrap}")
        partitions = sorted(TopicPartition(DEADLETTER, p) for p in cluster.partitions_for_topic(DEADLETTER) or ())
        consumer.assign(partitions)
        ends: dict[TopicPartition, int] = await asyncio.wait_for(consumer.end_offsets(partitions), TIMEOUT_S)
        starts = await _start_offsets(consumer, partitions, ends, selection.since)
        found: list[DeadLetter] = []
        for tp in partitions:  # partition by partition: oldest first within each
            start = starts[tp]
            if start is None:
                continue
            consumer.pause(*(p for p in partitions if p != tp))
            consumer.resume(tp)
            consumer.seek(tp, start)
            await _read_partition(consumer, tp, ends[tp], selection, found, limit)
            if limit is not None and len(found) >= limit:
                break
        return found
    finally:
        await consumer.stop()


async def _start_offsets(
    consumer: AIOKafkaConsumer,
    partitions: Sequence[TopicPartition],
    ends: dict[TopicPartition, int],
    since: dt.datetime | None,
) -> dict[TopicPartition, int | None]:
    """Where to start reading each partition; None where there is nothing to read."""
    beginnings: dict[TopicPartition, int] = await asyncio.wait_for(consumer.beginning_offsets(partitions), TIMEOUT_S)
    if since is None:
        return {tp: None if beginnings[tp] >= ends[tp] else beginnings[tp] for tp in partitions}
    at_ms = max(int((since - SEEK_MARGIN).timestamp() * 1000), 0)
    found = await asyncio.wait_for(consumer.offsets_for_times(dict.fromkeys(partitions, at_ms)), TIMEOUT_S)
    # None: no record that recent there.
    return {tp: None if found.get(tp) is None else max(found[tp].offset, beginnings[tp]) for tp in partitions}


async def _read_partition(
    consumer: AIOKafkaConsumer,
    tp: TopicPartition,
    listed_end: int,
    selection: Selection,
    found: list[DeadLetter],
    limit: int | None,
) -> None:
    """Read `tp` from its position up to the end it had at start.

    That end is the larger of the listed end offset and the end the first fetch answers with: some
    Kafka-protocol brokers (the in-memory dev broker) list the start of the last batch plus one.
    """
    end, end_known, asked = listed_end, False, 0
    stalled_at = time.monotonic() + TIMEOUT_S * 2
    while True:
        position = await consumer.position(tp)
        if position >= end and (end_known or asked >= ASK_END):
            return
        batch = await consumer.getmany(tp, timeout_ms=500, max_records=1000)
        if not end_known:
            asked += 1
            lso, highwater = consumer.last_stable_offset(tp), consumer.highwater(tp)
            fetched_end = lso if lso is not None and lso >= 0 else highwater
            if fetched_end is not None:
                end, end_known = max(end, fetched_end), True
        records = batch.get(tp, [])
        if records:
            stalled_at = time.monotonic() + TIMEOUT_S * 2
        elif time.monotonic() > stalled_at:
            raise DeadLetterError(f"reading {DEADLETTER} stalled at {tp.partition}:{position} (end {end})")
        for record in records:
            if record.offset >= end:
                return
            letter = dead_letter(
                tp.partition, record.offset, record.timestamp, record.key, record.value, record.headers
            )
            if selection.matches(letter):
                found.append(letter)
                if limit is not None and len(found) >= limit:
                    return
