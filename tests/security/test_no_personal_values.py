"""Dead-letter reasons and logs never carry personal values (issue 16).

Events holding known personal values (an email, a phone number, trait values) are fed to the real services in
every way they can fail: an invalid schema, a trait of the wrong type (and outside its enum), an unknown event
type, a malformed email and phone number, a trait over the budget, a key that is not of the event's workspace,
a journey's attribute request of the wrong type, and a handler error (text PostgreSQL refuses). Each is
dead-lettered; no value appears in any dead letter's reason or header, nor in any log line of the services
(captured through the handler the services log through in production)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from contracts.topics import DEADLETTER, INBOUND, JOURNEY_ACTIONS
from runtime.logs import configure_logging
from tests.helpers import event, read_topic, wait_for
from tests.integration.gateway_stack import GatewayInFront

SERVICES_SETTINGS = {"quota_trait_value_bytes": 256}

MARK = uuid.uuid4().hex[:6]
EMAIL = f"ada.lovelace.{MARK}@example.com"
PHONE = "+4930901820"
BAD_EMAIL = f"ada.lovelace.{MARK}.at.example"
BAD_PHONE = "+999 555 0123"
AGE = f"forty-{MARK}"
NAME = f"Ada Lovelace {MARK}"
# Every value above: none may appear in a reason, a header or a log line.
PERSONAL = (EMAIL, PHONE, BAD_EMAIL, BAD_PHONE, AGE, NAME, "lovelace", MARK)


@pytest.fixture
def service_logs() -> Iterator[io.StringIO]:
    """Everything logged meanwhile, as the services log in production (runtime.logs.configure_logging)."""
    captured = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    configure_logging("tests", "INFO", captured)
    try:
        yield captured
    finally:
        root.handlers[:], root.level = handlers, level
        for name, was in levels.items():
            logging.getLogger(name).setLevel(was)


def failing_events(workspace: str) -> dict[str, tuple[bytes, bytes]]:
    """(key, value) of each failing inbound event, by what is wrong with it."""

    def doc(event_type: str, customer: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        return event(event_type, workspace, customer, data)

    ada = {"email": EMAIL, "phone": PHONE}
    events: dict[str, tuple[bytes | None, dict[str, Any]]] = {
        "invalid schema": (None, doc("purchase", ada, {"order_id": f"o-{MARK}", "amount": AGE})),
        "wrong trait type": (None, doc("identify", ada, {"traits": {"age": AGE, "name": NAME}})),
        "not in the enum": (None, doc("identify", ada, {"traits": {"tier": NAME}})),
        "unknown type": (None, {**doc("identify", ada, {"traits": {}}), "type": f"lovelace-{MARK}"}),
        "malformed email": (None, doc("identify", {"email": BAD_EMAIL}, {"traits": {"name": NAME}})),
        "malformed phone": (None, doc("identify", {"phone": BAD_PHONE}, {"traits": {"name": NAME}})),
        "over the budget": (None, doc("identify", ada, {"traits": {"bio": NAME * 40}})),
        "key of no workspace": (EMAIL.encode(), doc("visit", ada, {"channel": "web"})),
        "handler error": (None, doc("identify", ada, {"traits": {"name": NAME + "\u0000"}})),
    }
    return {
        what: (key or f"{workspace}:{EMAIL}".encode(), orjson.dumps(value)) for what, (key, value) in events.items()
    }


async def produce(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def test_no_dead_letter_reason_header_or_log_line_carries_a_personal_value(
    stack: GatewayInFront, tenant: httpx.AsyncClient, topics: str, service_logs: io.StringIO
) -> None:
    workspace = stack.workspace
    for name, definition in (("age", {"type": "number"}), ("tier", {"type": "enum", "enum_values": ["gold"]})):
        assert (await tenant.put(f"/v1/attributes/{name}", json=definition)).status_code == 200
    known = event("identify", workspace, {"email": EMAIL, "phone": PHONE}, {"traits": {"name": NAME}})
    assert (await tenant.post("/v1/events", json=[known])).status_code == 202

    async def customer() -> dict[str, Any] | None:
        answer = await tenant.get("/v1/customers", params={"email": EMAIL})
        return answer.json() if answer.status_code == 200 else None

    customer_id = (await wait_for(customer, what="the customer"))["customer_id"]
    failing = failing_events(workspace)
    await produce(topics, INBOUND, list(failing.values()))
    request = {
        "specversion": "1.0",
        "id": f"action-{MARK}",
        "source": "flywheel.journey",
        "type": "profile.attribute_requested",
        "time": dt.datetime.now(dt.UTC).isoformat(),
        "workspace": workspace,
        "data": {
            "customer_id": customer_id,
            "journey_id": "j",
            "journey_version": 1,
            "enrolment_id": "e",
            "name": "age",
            "value": AGE,
        },
    }
    await produce(topics, JOURNEY_ACTIONS, [(f"{workspace}:{customer_id}".encode(), orjson.dumps(request))])
    # Through the gateway too: its refusal names fields, and nothing is logged with the values.
    refused = await tenant.post("/v1/events", json=[{**known, "id": str(uuid.uuid4()), "time": NAME}])
    assert refused.status_code == 422

    values = {value for _, value in failing.values()} | {orjson.dumps(request)}
    dead = await read_topic(topics, DEADLETTER, expect=len(values), within=60, match=lambda r: r.value in values)
    reasons = {record.value: dict(record.headers)["flywheel-dlq-reason"].decode() for record in dead}
    assert set(reasons) == values, "every failing message is dead-lettered"
    assert "handler error" in reasons[failing["handler error"][1]]
    assert "trait 'age' must be a number (got a string)" in reasons[failing["wrong trait type"][1]]
    assert "customer.phone is not a valid phone number" in reasons[failing["malformed phone"][1]]
    for record in dead:
        for name, header in record.headers:
            text = (name + "=" + header.decode("utf-8", "replace")).casefold()
            leaked = [value for value in PERSONAL if value.casefold() in text]
            assert not leaked, f"dead letter header {name} carries {leaked}: {text}"
    logged = service_logs.getvalue().casefold()
    assert "dead-lettered a message" in logged  # the capture does see the services' logs
    leaked = [value for value in PERSONAL if value.casefold() in logged]
    lines = [line for line in logged.splitlines() if any(value.casefold() in line for value in leaked)]
    assert not leaked, f"a log line carries {leaked}: {lines[:3]}"
