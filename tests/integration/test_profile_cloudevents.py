"""CloudEvents' Kafka modes into profile (Kafka protocol binding): binary mode (`ce_*` headers, the value the
event's data), structured mode, and events without `time` (the record's timestamp, recorded as such), against
a real PostgreSQL and a real Kafka-protocol broker. What flows on (the timeline, `flywheel.events.resolved`) is
the structured event; a dead letter keeps the original bytes and headers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from contracts.topics import DEADLETTER, INBOUND, RESOLVED
from tests.helpers import event, kafka_options, read_topic, wait_for
from tests.integration.conftest import RunningService

Headers = list[tuple[str, bytes]]


def new_workspace() -> str:
    return f"ce-{uuid.uuid4().hex[:10]}"


async def send(
    bootstrap: str, messages: list[tuple[bytes, bytes | None, Headers]], timestamp_ms: int | None = None
) -> None:
    """(key, value, headers) as any Kafka client would send them."""
    producer = AIOKafkaProducer(**kafka_options(bootstrap), acks="all")
    await producer.start()
    try:
        for key, value, headers in messages:
            await producer.send_and_wait(INBOUND, value, key=key, headers=headers, timestamp_ms=timestamp_ms)
    finally:
        await producer.stop()


def binary(ws: str, event_type: str, data: dict[str, Any], **attributes: str) -> tuple[Headers, bytes]:
    names = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "erp", "type": event_type, "workspace": ws}
    headers = [(f"ce_{name}", value.encode()) for name, value in {**names, **attributes}.items()]
    return [*headers, ("content-type", b"application/json; charset=utf-8")], orjson.dumps(data)


async def customer(profile: RunningService, ws: str, check: Any, **identifier: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        found = await profile.client.get(f"/internal/v1/workspaces/{ws}/customers", params=identifier)
        view: dict[str, Any] | None = found.json() if found.status_code == 200 else None
        return view if view is not None and check(view) else None

    return await wait_for(probe, what=f"customer {identifier} in {ws}")


async def test_binary_structured_and_timeless_events_reach_the_profile(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    key = f"{ws}:bin@example.com".encode()
    purchase_headers, purchase_value = binary(
        ws, "purchase", {"customer": {"email": "bin@example.com"}, "order_id": "o-1", "amount": 19.999999}
    )
    visit_headers, visit_value = binary(
        ws, "visit", {"customer": {"email": "bin@example.com"}, "channel": "web"}, time="2026-01-02T03:04:05Z"
    )
    structured = event("visit", ws, {"email": "bin@example.com"}, {"channel": "app"})
    timeless = event("identify", ws, {"email": "bin@example.com"}, {"traits": {"city": "Oslo"}})
    del timeless["time"]
    sent_at = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    structured_headers: Headers = [("content-type", b"application/cloudevents+json")]
    await send(
        bootstrap,
        [
            (key, purchase_value, purchase_headers),
            (key, visit_value, visit_headers),
            (key, orjson.dumps(structured), structured_headers),
            (key, orjson.dumps(timeless), structured_headers),
        ],
        timestamp_ms=int(sent_at.timestamp() * 1000),
    )
    view = await customer(profile, ws, lambda v: v["stats"]["visits"] == 2 and v["traits"], email="bin@example.com")
    assert view["stats"]["orders"] == 1 and view["stats"]["revenue"] == "19.999999"  # the data's digits as sent
    assert view["traits"] == {"city": "Oslo"}

    timeline = (
        await profile.client.get(f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}/timeline")
    ).json()
    assert len(timeline["items"]) == 4
    resolved = await read_topic(bootstrap, RESOLVED, expect=4, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    by_type = {doc["type"]: doc for doc in (orjson.loads(r.value) for r in resolved) if doc["type"] != "visit"}
    purchase = by_type["purchase"]
    assert purchase["specversion"] == "1.0" and purchase["workspace"] == ws  # structured, attributes from headers
    assert purchase["datacontenttype"] == "application/json; charset=utf-8"
    assert purchase["time"] == "2026-11-01T12:00:00.000Z" and purchase["timesource"] == "kafka-createtime"
    assert purchase["customerid"] == view["customer_id"]
    identify = by_type["identify"]
    assert identify["time"] == "2026-11-01T12:00:00.000Z" and identify["timesource"] == "kafka-createtime"


async def test_binary_refusals_are_dead_lettered_with_a_reason(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    marker = uuid.uuid4().hex
    data = {"customer": {"email": "x@example.com"}, "channel": "web", "marker": marker}
    no_workspace_headers, value = binary(ws, "visit", data)
    no_workspace_headers = [h for h in no_workspace_headers if h[0] != "ce_workspace"]
    foreign_headers, _ = binary(ws, "visit", data)  # keyed by another workspace: refused as a structured one is
    good_headers, good_value = binary(ws, "visit", {"customer": {"email": "x@example.com"}, "channel": "web"})
    await send(
        bootstrap,
        [
            (f"{ws}:x".encode(), value, no_workspace_headers),
            (b"someone-else:x@example.com", value, foreign_headers),
            (f"{ws}:x".encode(), good_value, good_headers),
        ],
    )
    await customer(profile, ws, lambda v: v["stats"]["visits"] == 1, email="x@example.com")
    dead = await read_topic(bootstrap, DEADLETTER, expect=2, match=lambda r: marker.encode() in (r.value or b""))
    reasons = {}
    for record in dead:
        headers = dict(record.headers)
        assert record.value == value  # the original bytes, not the structured form
        assert headers["ce_specversion"] == b"1.0"  # and the original headers
        reasons[record.key] = headers["flywheel-dlq-reason"].decode()
    assert "needs the ce_workspace header" in reasons[f"{ws}:x".encode()]
    assert "key names another workspace" in reasons[b"someone-else:x@example.com"]
