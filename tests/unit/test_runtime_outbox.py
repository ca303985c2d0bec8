"""Outbox rows store Kafka headers as JSON: names as text, values base64, bytes kept exactly."""

from __future__ import annotations

import orjson
import pytest

from runtime.outbox import OutboundMessage, _decode_headers, _encode_headers
from runtime.telemetry import KafkaHeaders

CASES: dict[str, KafkaHeaders] = {
    "none": [],
    "text": [("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")],
    "empty-value": [("flag", b"")],
    "every-byte": [("blob", bytes(range(256)))],
    "not-utf8": [("x", b"\xff\xfe\x00\x80")],
    "repeated-names-in-order": [("a", b"1"), ("b", b"2"), ("a", b"3")],
    "unicode-name": [("grüße-✓", "wört ✓".encode())],
}


@pytest.mark.parametrize("headers", CASES.values(), ids=CASES.keys())
def test_headers_round_trip_through_json(headers: KafkaHeaders) -> None:
    stored = orjson.loads(orjson.dumps(_encode_headers(headers)))  # what a jsonb column gives back

    assert _decode_headers(stored) == headers


def test_encoded_headers_are_pairs_of_strings() -> None:
    encoded = _encode_headers([("blob", b"\x00\xff"), ("flag", b"")])

    assert encoded == [["blob", "AP8="], ["flag", ""]]


def test_outbound_messages_do_not_share_a_default_header_list() -> None:
    first = OutboundMessage(topic="t", key=None, value=None)
    second = OutboundMessage(topic="t", key=None, value=None)

    first.headers.append(("a", b"1"))

    assert second.headers == []
