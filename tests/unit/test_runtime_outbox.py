"""Outbound messages (the outbox's rows are checked against PostgreSQL in tests/integration)."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from pydantic import ValidationError

from contracts.envelope import Envelope
from runtime.outbox import EventBatch, OutboundMessage, event_message


def test_outbound_messages_do_not_share_a_default_header_list() -> None:
    first = OutboundMessage(topic="t", key=None, value=None)
    second = OutboundMessage(topic="t", key=None, value=None)

    first.headers.append(("a", b"1"))

    assert second.headers == []


def test_an_event_is_a_cloudevent_keyed_by_its_customer() -> None:
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    batch = EventBatch("flywheel.test", "acme", now)

    batch.add("flywheel.test.events", "test.happened", "test.happened:1", "c-1", {"customer_id": "c-1", "n": 1})

    (message,) = batch.messages
    assert message.topic == "flywheel.test.events"
    assert message.key == b"acme:c-1"
    assert message.value == (
        b'{"specversion":"1.0","id":"test.happened:1","source":"flywheel.test","type":"test.happened",'
        b'"time":"2026-03-01T12:00:00+00:00","workspace":"acme","datacontenttype":"application/json",'
        b'"data":{"customer_id":"c-1","n":1}}'
    )
    assert ("content-type", b"application/cloudevents+json") in message.headers


def test_an_event_with_a_model_is_validated_and_written_by_the_codec() -> None:
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)

    message = event_message(
        "t", "flywheel.test", "acme", "test.happened", "e-1", "c-1", {"n": None}, now, model=Envelope
    )

    assert orjson.loads(message.value or b"") == {
        "specversion": "1.0",
        "id": "e-1",
        "source": "flywheel.test",
        "type": "test.happened",
        "time": "2026-03-01T12:00:00Z",
        "workspace": "acme",
        "datacontenttype": "application/json",
        "data": {"n": None},
    }
    with pytest.raises(ValidationError):
        event_message("t", "flywheel.test", "acme", "test.happened", "", "c-1", {}, now, model=Envelope)
