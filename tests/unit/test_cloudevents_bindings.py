"""CloudEvents bindings turned into the structured form (contracts/cloudevents.py): HTTP and Kafka binary mode,
media types with parameters, budgets, and the receipt time of an event sent without `time`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

from contracts.cloudevents import (
    MAX_ATTRIBUTE_HEADERS,
    MAX_ATTRIBUTE_VALUE,
    BindingError,
    Receipt,
    binary_field,
    complete_http_event,
    decode_inbound_message,
    http_binary_attributes,
    http_binary_document,
    http_mode,
    kafka_binary_value,
    kafka_receipt,
)
from contracts.codec import InvalidEvent
from contracts.inbound import PurchaseEvent, VisitEvent
from contracts.media_type import UnsupportedMediaType, parse_media_type

AT = dt.datetime(2026, 12, 7, 10, 0, 0, 123000, tzinfo=dt.UTC)
RECEIPT = Receipt(AT, "kafka-createtime")
DATA = b'{"customer": {"email": "ada@example.com"}, "order_id": "o-1", "amount": 12.345678}'


def kafka_headers(**attributes: str) -> list[tuple[str, bytes]]:
    base = {"specversion": "1.0", "id": "e-1", "source": "shop", "type": "purchase", "workspace": "demo"}
    return [(f"ce_{name}", value.encode()) for name, value in {**base, **attributes}.items()]


def http_headers(*pairs: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.encode(), value.encode()) for name, value in pairs]


# --- media types and modes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "essence", "charset"),
    [
        ("application/json", "application/json", None),
        ("application/json; charset=utf-8", "application/json", "utf-8"),
        ('Application/JSON; Charset="UTF-8"', "application/json", "utf-8"),
        ("application/cloudevents+json; charset=utf-8", "application/cloudevents+json", "utf-8"),
        ("application/cloudevents-batch+json", "application/cloudevents-batch+json", None),
    ],
)
def test_media_types_with_parameters_are_read(value: str, essence: str, charset: str | None) -> None:
    media = parse_media_type(value)
    assert (media.essence, media.charset) == (essence, charset)


@pytest.mark.parametrize("value", ["application/json; charset=latin-1", "application/json; charset=utf-16", "x" * 300])
def test_other_charsets_and_monsters_are_refused(value: str) -> None:
    with pytest.raises(UnsupportedMediaType) as refused:
        parse_media_type(value)
    assert "latin" not in str(refused.value)  # the value is not quoted back


def test_the_mode_follows_the_http_binding() -> None:
    assert http_mode("application/cloudevents+json; charset=utf-8", True)[0] == "structured"  # ce-* ignored
    assert http_mode("application/cloudevents-batch+json", False)[0] == "batch"
    assert http_mode("application/json; charset=utf-8", True)[0] == "binary"
    assert http_mode("application/json", False)[0] == "json"
    with pytest.raises(BindingError) as refused:
        http_mode("application/json; charset=iso-8859-1", True)
    assert refused.value.status == 415
    with pytest.raises(BindingError) as refused:
        http_mode("application/xml", True)
    assert refused.value.status == 415


# --- HTTP binary mode --------------------------------------------------------------------------------------


def test_http_headers_become_percent_decoded_attributes() -> None:
    attributes = http_binary_attributes(
        http_headers(
            ("ce-specversion", "1.0"),
            ("ce-id", "evt%201"),
            ("ce-source", "caf%C3%A9"),
            ("ce-type", "purchase"),
            ("authorization", "Bearer secret"),
            ("CE-Subject", "ada"),
        )
    )
    assert attributes == {"specversion": "1.0", "id": "evt 1", "source": "café", "type": "purchase", "subject": "ada"}


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ([("ce-id", "a"), ("ce-id", "b")], "ce-id given more than once"),
        ([("ce-data", "{}")], "travels as the body"),
        ([("ce-datacontenttype", "application/json")], "Content-Type"),
        ([("ce-Bad_Name", "x")], "lower-case letters or digits"),
        ([("ce-source", "%FF")], "not UTF-8"),
        ([("ce-source", "x" * (MAX_ATTRIBUTE_VALUE + 1))], f"longer than {MAX_ATTRIBUTE_VALUE} bytes"),
        ([(f"ce-x{i}", "1") for i in range(MAX_ATTRIBUTE_HEADERS + 1)], f"more than {MAX_ATTRIBUTE_HEADERS}"),
    ],
)
def test_malformed_or_oversized_headers_are_refused(headers: list[tuple[str, str]], says: str) -> None:
    with pytest.raises(BindingError) as refused:
        http_binary_attributes(http_headers(*headers))
    assert refused.value.status == 400
    assert says in refused.value.reason


def test_a_binary_request_is_the_structured_event() -> None:
    media = parse_media_type("application/json; charset=UTF-8")
    doc = http_binary_document({"specversion": "1.0", "type": "visit"}, media, {"channel": "web"}, has_data=True)
    assert doc == {
        "specversion": "1.0",
        "type": "visit",
        "datacontenttype": "application/json; charset=utf-8",
        "data": {"channel": "web"},
    }
    assert "data" not in http_binary_document({"type": "visit"}, None, None, has_data=False)


def test_errors_name_the_header_they_came_in() -> None:
    assert [binary_field(f) for f in ("type", "time", "datacontenttype", "data.amount", "(event)")] == [
        "ce-type",
        "ce-time",
        "Content-Type",
        "data.amount",
        "(event)",
    ]


def test_http_events_may_leave_out_workspace_and_time() -> None:
    doc: dict[str, Any] = {"id": "e"}
    complete_http_event(doc, "demo", AT)
    assert doc == {"id": "e", "workspace": "demo", "time": "2026-12-07T10:00:00.123Z", "timesource": "received"}
    given = {"workspace": "other", "time": "2020-01-01T00:00:00Z"}
    complete_http_event(given, "demo", AT)
    assert given == {"workspace": "other", "time": "2020-01-01T00:00:00Z"}  # a foreign one is refused later


# --- Kafka -------------------------------------------------------------------------------------------------


def test_kafka_binary_mode_keeps_the_data_bytes() -> None:
    value = kafka_binary_value(kafka_headers(time="2026-01-01T00:00:00Z"), DATA, RECEIPT)
    doc = orjson.loads(value)
    assert doc["time"] == "2026-01-01T00:00:00Z" and "timesource" not in doc
    assert value.endswith(b'"data":' + DATA + b"}")  # the amount's digits as sent
    event, structured = decode_inbound_message(DATA, kafka_headers(), RECEIPT)
    assert isinstance(event, PurchaseEvent)
    assert str(event.data.amount) == "12.345678"
    assert event.time == AT and event.timesource == "kafka-createtime"
    assert structured is not None and orjson.loads(structured)["timesource"] == "kafka-createtime"


def test_kafka_content_type_and_its_duplicate_attribute() -> None:
    headers = [*kafka_headers(), ("content-type", b"application/json; charset=utf-8")]
    headers.append(("ce_datacontenttype", b"application/json"))  # as the JavaScript SDK sends it
    event, _ = decode_inbound_message(DATA, headers, RECEIPT)
    assert event.datacontenttype == "application/json; charset=utf-8"
    with pytest.raises(InvalidEvent, match="UTF-8"):
        decode_inbound_message(DATA, [*kafka_headers(), ("content-type", b"application/json; charset=latin1")], None)
    with pytest.raises(InvalidEvent, match="must be JSON"):
        decode_inbound_message(DATA, [*kafka_headers(), ("content-type", b"text/plain")], None)


@pytest.mark.parametrize(
    ("headers", "value", "says"),
    [
        ([h for h in kafka_headers() if h[0] != "ce_workspace"], DATA, "needs the ce_workspace header"),
        (kafka_headers(), b"{broken", "not valid JSON"),
        ([*kafka_headers(), ("ce_id", b"again")], DATA, "ce_id given more than once"),
        ([*kafka_headers(), ("ce_data", b"{}")], DATA, "travels as the body"),
        ([h for h in kafka_headers() if h[0] != "ce_type"], DATA, "no event type"),
        (kafka_headers(), None, "data: Field required"),
    ],
)
def test_kafka_binary_refusals_say_why(headers: list[tuple[str, bytes]], value: bytes | None, says: str) -> None:
    with pytest.raises(InvalidEvent) as refused:
        decode_inbound_message(value, headers, RECEIPT)
    assert says in refused.value.reason


def test_a_structured_event_with_time_flows_on_byte_for_byte() -> None:
    raw = orjson.dumps(_structured(time="2026-01-01T00:00:00Z"))
    event, structured = decode_inbound_message(raw, [("content-type", b"application/cloudevents+json")], RECEIPT)
    assert structured is raw
    assert isinstance(event, VisitEvent) and event.timesource is None


def test_a_structured_event_without_time_gets_the_records_timestamp() -> None:
    raw = orjson.dumps(_structured()) + b"  \n"
    event, structured = decode_inbound_message(raw, [], Receipt(AT, "kafka-logappendtime"))
    assert isinstance(event, VisitEvent)
    assert event.time == AT and event.timesource == "kafka-logappendtime"
    assert structured == orjson.dumps(_structured())[:-1] + (
        b',"time":"2026-12-07T10:00:00.123Z","timesource":"kafka-logappendtime"}'
    )
    with pytest.raises(InvalidEvent, match="time: Field required"):
        decode_inbound_message(orjson.dumps(_structured()), [], None)  # no timestamp to use
    with pytest.raises(InvalidEvent, match="set by Flywheel"):
        decode_inbound_message(orjson.dumps(_structured(timesource="received")), [], RECEIPT)


def test_the_record_timestamp_and_its_type() -> None:
    assert kafka_receipt(1_700_000_000_123, 0) == Receipt(
        dt.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=dt.UTC), "kafka-createtime"
    )
    assert kafka_receipt(1_700_000_000_123, 1).source == "kafka-logappendtime"  # type: ignore[union-attr]
    assert kafka_receipt(-1, 0) is None


def _structured(**extra: str) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "v-1",
        "source": "web",
        "type": "visit",
        "workspace": "demo",
        **extra,
        "data": {"customer": {"anonymous_id": "d-1"}, "channel": "web"},
    }
