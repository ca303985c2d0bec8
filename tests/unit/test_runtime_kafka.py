"""Dead-letter headers: the original headers plus who rejected a message, why, when, and where from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aiokafka.structs import ConsumerRecord

from contracts.topics import DEADLETTER as DEADLETTER_TOPIC
from runtime.kafka import deadletter_headers

DLQ_NAMES = [
    "flywheel-dlq-service",
    "flywheel-dlq-reason",
    "flywheel-dlq-time",
    "flywheel-dlq-topic",
    "flywheel-dlq-partition",
    "flywheel-dlq-offset",
]


def record(
    headers: Sequence[tuple[str, bytes]] | None = (), *, partition: int = 2, offset: int = 1234
) -> ConsumerRecord:
    return ConsumerRecord(
        topic="flywheel.events.inbound",
        partition=partition,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"demo:u-1",
        value=b"{}",
        checksum=None,
        serialized_key_size=8,
        serialized_value_size=2,
        headers=list(headers) if headers is not None else None,
    )


def test_deadletter_topic_is_flywheel_deadletter() -> None:
    assert DEADLETTER_TOPIC == "flywheel.deadletter"


def test_deadletter_headers_append_who_why_when_and_where_after_the_original_headers() -> None:
    original = [("traceparent", b"00-abc-def-01"), ("content-type", b"application/json")]

    headers = deadletter_headers("profile", "malformed JSON", record(original, partition=2, offset=1234))

    assert headers[:2] == original
    assert [name for name, _ in headers[2:]] == DLQ_NAMES
    values = dict(headers)
    assert values["flywheel-dlq-service"] == b"profile"
    assert values["flywheel-dlq-reason"] == b"malformed JSON"
    assert values["flywheel-dlq-topic"] == b"flywheel.events.inbound"
    assert values["flywheel-dlq-partition"] == b"2"
    assert values["flywheel-dlq-offset"] == b"1234"


def test_deadletter_time_is_now_in_utc() -> None:
    before = dt.datetime.now(dt.UTC)
    headers = dict(deadletter_headers("profile", "why", record()))
    after = dt.datetime.now(dt.UTC)

    stamped = dt.datetime.fromisoformat(headers["flywheel-dlq-time"].decode())

    assert stamped.utcoffset() == dt.timedelta(0)
    assert before <= stamped <= after


def test_deadletter_headers_of_a_record_without_headers() -> None:
    no_headers: list[Sequence[tuple[str, bytes]] | None] = [None, []]
    for headers in no_headers:
        assert [name for name, _ in deadletter_headers("t", "why", record(headers))] == DLQ_NAMES


def test_dead_lettering_again_replaces_the_previous_dead_letter_headers() -> None:
    first = deadletter_headers("profile", "first reason", record([("traceparent", b"tp")]))

    second = deadletter_headers("scoring", "second reason", record(first))

    assert [name for name, _ in second] == ["traceparent", *DLQ_NAMES]
    values = dict(second)
    assert (values["flywheel-dlq-service"], values["flywheel-dlq-reason"]) == (b"scoring", b"second reason")


def test_a_long_reason_is_cut_to_2000_characters() -> None:
    headers = dict(deadletter_headers("t", "x" * 5000, record()))

    assert headers["flywheel-dlq-reason"] == b"x" * 2000


def test_a_reason_is_utf8_encoded() -> None:
    headers = dict(deadletter_headers("t", "bad trait 'Größe' ✗", record()))

    assert headers["flywheel-dlq-reason"].decode("utf-8") == "bad trait 'Größe' ✗"
