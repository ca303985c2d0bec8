"""The consumer loop's pure steps: the key/workspace check and decoding a batch into deliveries and
dead letters (no database, no broker: the loop is built with None for both)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from aiokafka.structs import ConsumerRecord, TopicPartition

from contracts.codec import decode_inbound
from contracts.envelope import Envelope
from contracts.topics import DEADLETTER, INBOUND
from runtime.consumer import ConsumerLoop, Delivery, HandlerResult, key_workspace_mismatch
from runtime.outbox import OutboundMessage
from runtime.settings import Settings
from runtime.telemetry import LAG

TRACE_HEADER = ("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")


def event_doc(workspace: str = "demo", event_id: str | None = None, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": "tests",
        "type": "visit",
        "time": "2024-03-01T12:00:00+00:00",
        "workspace": workspace,
        "data": {"customer": {"external_id": "u-1"}, "channel": "web", **data},
    }


def record(
    value: bytes | dict[str, Any] | None,
    *,
    key: bytes | None = b"demo:u-1",
    offset: int = 0,
    headers: Sequence[tuple[str, bytes]] = (),
) -> ConsumerRecord:
    raw = orjson.dumps(value) if isinstance(value, dict) else value
    return ConsumerRecord(
        topic=INBOUND,
        partition=3,
        offset=offset,
        timestamp=1_709_294_400_000,
        timestamp_type=0,
        key=key,
        value=raw,
        checksum=None,
        serialized_key_size=len(key) if key is not None else -1,
        serialized_value_size=len(raw) if raw is not None else -1,
        headers=list(headers),
    )


class InboundHandler:
    def decode(self, rec: ConsumerRecord) -> Envelope:
        return decode_inbound(rec.value)

    async def handle(self, conn: Any, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        raise AssertionError("decoding must not call the handler")


def decode(records: list[ConsumerRecord]) -> tuple[list[Delivery[Envelope]], list[OutboundMessage]]:
    loop: ConsumerLoop[Envelope] = ConsumerLoop(Settings(service_name="t"), InboundHandler(), None, None, None)  # type: ignore[arg-type]
    return loop._decode(records)


def headers_of(message: OutboundMessage) -> dict[str, bytes]:
    return dict(message.headers)


# --- key_workspace_mismatch -----------------------------------------------------------------------


def test_a_record_without_key_matches_any_workspace() -> None:
    assert key_workspace_mismatch(record(None, key=None), decode_inbound(orjson.dumps(event_doc()))) is None


@pytest.mark.parametrize("key", [b"demo:u-1", b"demo:a:b:c", b"demo:", b"demo"])
def test_a_key_naming_the_events_workspace_matches(key: bytes) -> None:
    assert key_workspace_mismatch(record(None, key=key), decode_inbound(orjson.dumps(event_doc("demo")))) is None


def test_a_key_naming_another_workspace_is_explained() -> None:
    event = decode_inbound(orjson.dumps(event_doc("demo")))

    message = key_workspace_mismatch(record(None, key=b"other:u-1"), event)

    assert message == "message key names workspace 'other' but the event belongs to 'demo'"


@pytest.mark.parametrize("key", [b"raw", b"demo-2:u-1", b"DEMO:u-1", b"\xff\xfe:u-1"])
def test_keys_that_do_not_name_the_workspace_exactly_mismatch(key: bytes) -> None:
    event = decode_inbound(orjson.dumps(event_doc("demo")))

    assert key_workspace_mismatch(record(None, key=key), event) is not None


# --- ConsumerLoop._decode -------------------------------------------------------------------------


def test_valid_records_become_deliveries_in_order() -> None:
    records = [record(event_doc(event_id=f"e-{n}"), offset=n) for n in range(3)]

    deliveries, dead = decode(records)

    assert dead == []
    assert [d.event.id for d in deliveries] == ["e-0", "e-1", "e-2"]
    assert [d.record for d in deliveries] == records
    assert all(d.event.type == "visit" for d in deliveries)


def test_a_delivery_exposes_the_records_trace_headers() -> None:
    (delivery,), _ = decode([record(event_doc(), headers=[TRACE_HEADER, ("other", b"x")])])

    assert delivery.trace_headers == [TRACE_HEADER]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"{not json", "malformed JSON"),
        (None, "empty message (no value)"),
        (b"[1, 2]", "an event must be a JSON object"),
        ({**event_doc(), "type": "teleport"}, "unknown event type 'teleport'"),
        (event_doc(channel=None), "invalid visit event: data.channel"),
        ({**event_doc(), "time": "2024-03-01T12:00:00"}, "invalid visit event: time"),  # no time zone
        (event_doc(workspace="other"), "message key names workspace 'demo' but the event belongs to 'other'"),
    ],
    ids=["bad-json", "no-value", "not-an-object", "unknown-type", "schema", "naive-time", "key-of-other-workspace"],
)
def test_an_invalid_record_becomes_a_dead_letter(value: bytes | dict[str, Any] | None, reason: str) -> None:
    rec = record(value, key=b"demo:u-1", offset=42, headers=[TRACE_HEADER])

    deliveries, (letter,) = decode([rec])

    assert deliveries == []
    assert letter.topic == DEADLETTER == "flywheel.deadletter"
    assert (letter.key, letter.value) == (rec.key, rec.value)
    assert letter.headers[0] == TRACE_HEADER  # the original headers are kept, first
    headers = headers_of(letter)
    assert reason in headers["flywheel-dlq-reason"].decode()
    assert headers["flywheel-dlq-service"] == b"t"
    assert headers["flywheel-dlq-topic"] == INBOUND.encode()
    assert headers["flywheel-dlq-partition"] == b"3"
    assert headers["flywheel-dlq-offset"] == b"42"
    assert "flywheel-dlq-time" in headers


def test_a_record_without_key_is_accepted() -> None:
    deliveries, dead = decode([record(event_doc(workspace="other"), key=None)])

    assert [d.event.workspace for d in deliveries] == ["other"]
    assert dead == []


def test_in_batch_duplicates_are_dropped_keeping_the_first() -> None:
    first = record(event_doc(event_id="e-1", channel="web"), offset=0)
    again = record(event_doc(event_id="e-1", channel="app"), offset=1)

    deliveries, dead = decode([first, again])

    assert [d.record.offset for d in deliveries] == [0]
    assert deliveries[0].event.data.channel == "web"
    assert dead == []  # a duplicate is not a dead letter


def test_the_same_event_id_in_two_workspaces_is_not_a_duplicate() -> None:
    records = [
        record(event_doc("demo", event_id="e-1"), key=b"demo:u-1", offset=0),
        record(event_doc("other", event_id="e-1"), key=b"other:u-1", offset=1),
    ]

    deliveries, _ = decode(records)

    assert [(d.event.workspace, d.event.id) for d in deliveries] == [("demo", "e-1"), ("other", "e-1")]


def test_a_mixed_batch_keeps_the_order_of_deliveries_and_of_dead_letters() -> None:
    records = [
        record(event_doc(event_id="e-1"), offset=10),
        record(b"garbage", offset=11),
        record(event_doc(event_id="e-2"), offset=12),
        record(event_doc(event_id="e-1"), offset=13),  # duplicate of offset 10
        record(None, offset=14),
        record(event_doc(event_id="e-3"), offset=15),
    ]

    deliveries, dead = decode(records)

    assert [(d.event.id, d.record.offset) for d in deliveries] == [("e-1", 10), ("e-2", 12), ("e-3", 15)]
    assert [headers_of(m)["flywheel-dlq-offset"] for m in dead] == [b"11", b"14"]
    assert [m.value for m in dead] == [b"garbage", None]


def test_an_invalid_record_does_not_claim_its_event_id() -> None:
    # the first copy is dead-lettered (key of another workspace); the second, valid one is still delivered
    doc = event_doc("demo", event_id="e-1")
    records = [record(doc, key=b"other:u-1", offset=0), record(doc, key=b"demo:u-1", offset=1)]

    deliveries, dead = decode(records)

    assert [d.record.offset for d in deliveries] == [1]
    assert len(dead) == 1


def test_lag_of_a_partition_that_moved_away_is_no_longer_reported() -> None:
    loop: ConsumerLoop[Envelope] = ConsumerLoop(Settings(service_name="lag-t"), InboundHandler(), None, None, None)  # type: ignore[arg-type]
    kept, moved = TopicPartition(INBOUND, 0), TopicPartition(INBOUND, 1)

    def reported() -> set[str]:
        return {s.labels["partition"] for m in LAG.collect() for s in m.samples if s.labels["service"] == "lag-t"}

    loop._report_lag(kept, 5)
    loop._report_lag(moved, 7)
    assert reported() == {"0", "1"}
    loop._forget_moved_partitions({kept})  # a rebalance gave partition 1 to another member
    assert reported() == {"0"}
