"""Helpers shared by integration and end-to-end tests: events, a plain Kafka client, polling."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from contracts.partition import NoCustomerIdentifier, document_partition_key
from runtime.kafka import client_options
from runtime.settings import RuntimeSettings

T = TypeVar("T")


def kafka_options(bootstrap: str) -> dict[str, Any]:
    """`bootstrap_servers` and the security options of the session's broker (FLYWHEEL_KAFKA_* in the
    environment: the broker fixture sets them for a secured Apache Kafka), for the tests' own Kafka clients."""
    return client_options(RuntimeSettings(kafka_bootstrap=bootstrap))


async def wait_for(
    probe: Callable[[], Awaitable[T | None]], *, within: float = 30.0, interval: float = 0.05, what: str = "condition"
) -> T:
    """Poll `probe` until it returns something truthy, or fail after `within` seconds."""
    deadline = time.monotonic() + within
    last: T | None = None
    while time.monotonic() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {within}s waiting for {what}; last value: {last!r}")


def event(
    event_type: str,
    workspace: str,
    customer: dict[str, str],
    data: dict[str, Any] | None = None,
    *,
    event_id: str | None = None,
    time: dt.datetime | str | None = None,
) -> dict[str, Any]:
    when = time or dt.datetime.now(dt.UTC)
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": "tests",
        "type": event_type,
        "time": when if isinstance(when, str) else when.isoformat(),
        "workspace": workspace,
        "data": {"customer": customer, **(data or {})},
    }


def merged_event(workspace: str, survivor_id: str, merged_id: str, time: dt.datetime) -> dict[str, Any]:
    """Profile's `profile.merged` lifecycle event: `merged_id` merged into `survivor_id` (same email)."""
    return {
        "specversion": "1.0",
        "id": f"profile.merged:{merged_id}-{workspace}",
        "source": "flywheel.profile",
        "type": "profile.merged",
        "time": time.isoformat(),
        "workspace": workspace,
        "data": {"survivor_id": survivor_id, "merged_id": merged_id, "reason": "same email"},
    }


def key_of(doc: dict[str, Any]) -> bytes:
    """The contract's key (contracts/partition.py); a document naming no customer (tests publish broken ones on
    purpose) gets `<workspace>:-`."""
    try:
        return document_partition_key(doc)
    except NoCustomerIdentifier:
        return f"{doc.get('workspace')}:-".encode()


def purchases(workspace: str, total: int, customers: int) -> list[dict[str, Any]]:
    """`total` purchases spread over `customers` customers (by external id), ids `e<n>`, orders `o<n>`: the
    crash and chaos tests' stream, whose exact totals they check."""
    return [
        event(
            "purchase",
            workspace,
            {"external_id": f"c{n % customers}"},
            {"order_id": f"o{n}", "amount": f"{n % 97 + 1}.25"},
            event_id=f"e{n}",
        )
        for n in range(total)
    ]


async def publish(bootstrap: str, topic: str, messages: Iterable[dict[str, Any] | bytes]) -> int:
    """Publish with a plain aiokafka producer, the way any outside producer would."""
    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all", linger_ms=5, max_batch_size=1_048_576)
    await producer.start()
    count = 0
    try:
        futures = []
        for message in messages:
            if isinstance(message, bytes):
                futures.append(await producer.send(topic, message, key=b"raw"))
            else:
                futures.append(await producer.send(topic, orjson.dumps(message), key=key_of(message)))
            count += 1
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return count


async def read_topic(
    bootstrap: str, topic: str, *, expect: int, within: float = 30.0, match: Callable[[Any], bool] = lambda _: True
) -> list[Any]:
    """Read a topic from the start until `expect` matching records arrived (fails after `within` seconds)."""
    consumer = AIOKafkaConsumer(
        topic, **kafka_options(bootstrap), auto_offset_reset="earliest", enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    found: list[Any] = []
    try:
        deadline = time.monotonic() + within
        while len(found) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            found.extend(r for records in batch.values() for r in records if match(r))
    finally:
        await consumer.stop()
    if len(found) < expect:
        raise AssertionError(f"expected {expect} records on {topic}, found {len(found)}")
    return found


def zone_where_it_is_midday(now: dt.datetime) -> str:
    """A fixed-offset IANA zone in which `now` is about noon: journey templates' quiet hours (21:00 to 08:00)
    would otherwise hold their messages and invites back whenever the suite runs at night in UTC."""
    offset = 12 - now.astimezone(dt.UTC).hour  # -11 .. +12, all of which Etc/GMT names
    # Etc/GMT names count the other way round: Etc/GMT-3 is three hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"
