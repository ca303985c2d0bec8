"""The gateway's produce batching (services/gateway/produce_batching.py) on the session's real broker: events
queued together leave in shared produce batches, each future resolves only with its own batch's acknowledgement
(the record is then on the topic where the acknowledgement says), and a failed event fails alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError
from aiokafka.structs import RecordMetadata

from contracts.topics import INBOUND
from runtime.kafka import create_producer
from runtime.settings import RuntimeSettings
from services.gateway.produce_batching import ProduceBatcher
from tests.helpers import read_topic

HEADERS = [("content-type", b"application/cloudevents+json")]


def _doc(event_id: str) -> bytes:
    """JSON, as everything on inbound is (other tests' readers parse each record), though no event: profile
    dead-letters it."""
    return orjson.dumps({"id": event_id})


@pytest.fixture
async def producer(topics: str, broker_kind: str) -> AsyncIterator[AIOKafkaProducer]:
    settings = RuntimeSettings(kafka_bootstrap=topics, kafka_idempotent_producer=broker_kind == "kafka")
    producer = create_producer(settings)
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def test_concurrent_events_share_produce_batches_and_each_is_acknowledged_where_it_landed(
    producer: AIOKafkaProducer, topics: str
) -> None:
    batcher = ProduceBatcher(lambda: producer, linger_s=0.05)
    run = uuid.uuid4().hex[:8]
    values = [_doc(f"{run}-{i}") for i in range(60)]

    async def one_request(value: bytes) -> RecordMetadata:
        return await batcher.send(INBOUND, value, f"{run}:customer-{orjson.loads(value)['id']}".encode(), HEADERS)

    acks = await asyncio.gather(*(one_request(value) for value in values))
    await batcher.close()

    partitions = len(await producer.partitions_for(INBOUND))
    shared = {(ack.partition, ack.offset - place) for ack, place in _places(acks)}
    assert len(shared) <= partitions  # one window: at most one produce batch per partition
    records = await read_topic(topics, INBOUND, expect=len(values), match=lambda r: run.encode() in r.value)
    landed = {r.value: (r.partition, r.offset) for r in records}
    assert [landed[value] for value in values] == [(ack.partition, ack.offset) for ack in acks]


def _places(acks: list[RecordMetadata]) -> list[tuple[RecordMetadata, int]]:
    """Each acknowledgement with its place among the events acknowledged on its partition (in send order)."""
    seen: dict[int, int] = {}
    out = []
    for ack in acks:
        out.append((ack, seen.get(ack.partition, 0)))
        seen[ack.partition] = seen.get(ack.partition, 0) + 1
    return out


async def test_an_event_too_large_for_the_broker_fails_alone(producer: AIOKafkaProducer, topics: str) -> None:
    batcher = ProduceBatcher(lambda: producer, linger_s=0.05)
    run = uuid.uuid4().hex[:8]
    small = [_doc(f"{run}-{i}") for i in range(5)]
    too_large = _doc(run + "x" * 5_000_000)  # beyond max_request_size (runtime/kafka.py)
    queued = [batcher.send(INBOUND, value, f"{run}:c-{i}".encode(), HEADERS) for i, value in enumerate(small)]
    refused = batcher.send(INBOUND, too_large, f"{run}:c-0".encode(), HEADERS)  # the partition of small[0]
    queued += [batcher.send(INBOUND, _doc(f"{run}-after"), f"{run}:c-0".encode(), HEADERS)]

    results = await asyncio.gather(*queued, refused, return_exceptions=True)
    assert isinstance(results[-1], MessageSizeTooLargeError)
    assert not any(isinstance(result, BaseException) for result in results[:-1])
    records = await read_topic(topics, INBOUND, expect=6, match=lambda r: run.encode() in r.value)
    assert sorted(r.value for r in records) == sorted([*small, _doc(f"{run}-after")])


async def test_a_window_that_cannot_reach_the_producer_fails_its_own_events_only(
    producer: AIOKafkaProducer, topics: str
) -> None:
    broken = True

    def the_producer() -> AIOKafkaProducer:
        if broken:
            raise ConnectionError("the broker is not available")
        return producer

    batcher = ProduceBatcher(the_producer, linger_s=0.02)
    run = uuid.uuid4().hex[:8]
    failing = [batcher.send(INBOUND, _doc(f"{run}-lost-{i}"), f"{run}:c-{i}".encode(), HEADERS) for i in range(3)]
    results = await asyncio.gather(*failing, return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)

    broken = False
    kept = [batcher.send(INBOUND, _doc(f"{run}-kept-{i}"), f"{run}:c-{i}".encode(), HEADERS) for i in range(3)]
    await asyncio.gather(*kept)
    records = await read_topic(topics, INBOUND, expect=3, match=lambda r: run.encode() in r.value)
    assert sorted(r.value for r in records) == [_doc(f"{run}-kept-{i}") for i in range(3)]
