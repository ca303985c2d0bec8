"""The resolved events are contract models that declare `customerid` (typed, visible to mypy), built through
the model, and travel as the inbound bytes with `customerid` added."""

from __future__ import annotations

import orjson
import pytest
from pydantic import ValidationError

from contracts.codec import Decoder, decode_inbound, encode_resolved
from contracts.inbound import INBOUND_EVENT_TYPES, PurchaseEvent
from contracts.internal import RESOLVED_EVENT_TYPES, ResolvedEnvelope, ResolvedPurchaseEvent, resolved_event
from runtime.handlers import customer_id_of
from tests.unit.test_contracts_events import CUSTOMER_ID, sample

RESOLVED = Decoder(RESOLVED_EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(INBOUND_EVENT_TYPES))
def test_each_resolved_model_is_its_inbound_model_with_customerid(event_type: str) -> None:
    model = RESOLVED_EVENT_TYPES[event_type]
    assert issubclass(model, INBOUND_EVENT_TYPES[event_type]) and issubclass(model, ResolvedEnvelope)
    assert list(model.model_fields) == [*INBOUND_EVENT_TYPES[event_type].model_fields, "customerid"]


@pytest.mark.parametrize("event_type", sorted(INBOUND_EVENT_TYPES))
def test_the_wire_bytes_are_the_received_bytes_plus_customerid(event_type: str) -> None:
    # A producer's own extension and spacing, which a re-encoding would change.
    received = b'{"xshop":  {"b":1.50}, ' + orjson.dumps(sample(event_type))[1:] + b"\n"
    inbound = decode_inbound(received)
    event = resolved_event(inbound, CUSTOMER_ID)
    assert isinstance(event, ResolvedEnvelope) and isinstance(event, INBOUND_EVENT_TYPES[event_type])
    assert event.customerid == CUSTOMER_ID
    wire = encode_resolved(received, event)
    assert wire == received.rstrip()[:-1] + b',"customerid":"' + CUSTOMER_ID.encode() + b'"}'
    decoded = RESOLVED(wire)
    assert decoded == event and customer_id_of(decoded) == CUSTOMER_ID


def test_a_producer_naming_customerid_gets_it_replaced() -> None:
    received = orjson.dumps({**sample("purchase"), "customerid": "chosen-by-the-producer"})
    event = resolved_event(decode_inbound(received), CUSTOMER_ID)
    assert isinstance(event, ResolvedPurchaseEvent) and isinstance(event, PurchaseEvent)
    doc = orjson.loads(encode_resolved(received, event))
    assert doc["customerid"] == CUSTOMER_ID and list(doc)[-1] == "customerid"
    assert RESOLVED(orjson.dumps(doc)) == event


def test_the_model_validates_the_customer_id() -> None:
    inbound = decode_inbound(orjson.dumps(sample("visit")))
    with pytest.raises(ValidationError, match="customerid"):
        resolved_event(inbound, "")
