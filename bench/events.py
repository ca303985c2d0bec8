"""The benchmark's events: realistic purchases, the same for every measurement (pure, no I/O).

About `repeat_share` (default 10%) of the events come from a customer seen earlier in the run; the rest
each introduce a new customer. Every customer carries an `external_id` and an `email`, so profile's
identity resolution links two identifiers per new customer, as a real shop would send.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import orjson

from contracts.partition import document_partition_key

SOURCE = "flywheel-bench"
BASE_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SENT_AT_FIELD = "bench_sent_at_ns"  # an extra data field: allowed by the contract, kept in timeline.event
_SKUS = ("sku-shirt", "sku-shoes", "sku-socks", "sku-hat", "sku-bag", "sku-belt")


def customer(index: int) -> dict[str, str]:
    return {"external_id": f"u{index}", "email": f"user{index}@example.com"}


def generate(
    workspace: str, n: int, *, seed: int = 7, repeat_share: float = 0.10, prefix: str = "e"
) -> list[dict[str, Any]]:
    """`n` purchase CloudEvents of `workspace` (ids `<prefix>-<i>`, order ids unique per event)."""
    rng = random.Random(seed)
    customers = 0
    docs: list[dict[str, Any]] = []
    for i in range(n):
        if customers and rng.random() < repeat_share:
            who = rng.randrange(customers)
        else:
            who = customers
            customers += 1
        quantity = rng.randint(1, 3)
        unit_cents = rng.randint(500, 15_000)
        unit_price = f"{unit_cents // 100}.{unit_cents % 100:02d}"
        total = quantity * unit_cents
        docs.append(
            {
                "specversion": "1.0",
                "id": f"{prefix}-{i}",
                "source": SOURCE,
                "type": "purchase",
                "time": (BASE_TIME + dt.timedelta(milliseconds=i)).isoformat(),
                "workspace": workspace,
                "data": {
                    "customer": customer(who),
                    "order_id": f"{prefix}-o{i}",
                    "amount": f"{total // 100}.{total % 100:02d}",
                    "currency": "EUR",
                    "channel": "web",
                    "items": [{"sku": rng.choice(_SKUS), "quantity": quantity, "unit_price": unit_price}],
                },
            }
        )
    return docs


def key_of(doc: dict[str, Any]) -> bytes:
    """The Kafka key every producer of inbound events uses (contracts/partition.py): `<workspace>:<subject>`."""
    return document_partition_key(doc)


def encode(doc: dict[str, Any]) -> bytes:
    return orjson.dumps(doc)


def encoded(docs: list[dict[str, Any]]) -> list[tuple[bytes, bytes]]:
    """(key, value) pairs ready for a Kafka producer."""
    return [(key_of(doc), encode(doc)) for doc in docs]


def stamped(doc: dict[str, Any], sent_at_ns: int) -> dict[str, Any]:
    """A copy of `doc` carrying its send time (wall clock, ns) in `data.bench_sent_at_ns`."""
    return {**doc, "data": {**doc["data"], SENT_AT_FIELD: sent_at_ns}}


def distinct_customers(docs: list[dict[str, Any]]) -> int:
    return len({doc["data"]["customer"]["external_id"] for doc in docs})


TimelineRecord = tuple[str, str, str, str, dt.datetime, str, str]


def timeline_record(doc: dict[str, Any]) -> TimelineRecord:
    """A row shaped like profile's `timeline` (received_at left to its default), the event as JSON text."""
    return (
        doc["workspace"],
        doc["id"],
        f"c-{doc['data']['customer']['external_id']}",
        doc["type"],
        dt.datetime.fromisoformat(doc["time"]),
        doc["source"],
        orjson.dumps(doc).decode(),
    )


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
