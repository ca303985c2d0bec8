"""Profile applies the tags and attributes journeys ask for (flywheel.journey.actions)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from contracts.topics import DEADLETTER, INBOUND, JOURNEY_ACTIONS
from tests.helpers import event, publish, read_topic
from tests.integration.conftest import RunningService
from tests.integration.test_profile_ingest import find_when, new_workspace


def request(ws: str, customer_id: str, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    origin = {"customer_id": customer_id, "journey_id": "j_1", "journey_version": 1, "enrolment_id": "e_1"}
    return {
        "specversion": "1.0",
        "id": f"{event_type}:{uuid.uuid4().hex[:8]}",
        "source": "flywheel.journey",
        "type": event_type,
        "time": dt.datetime.now(dt.UTC).isoformat(),
        "workspace": ws,
        "data": {**origin, **data},
    }


async def send(bootstrap: str, ws: str, customer_id: str, docs: list[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for doc in docs:
            await producer.send_and_wait(JOURNEY_ACTIONS, orjson.dumps(doc), key=f"{ws}:{customer_id}".encode())
    finally:
        await producer.stop()


async def test_journeys_tag_customers_and_set_attributes(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    email = f"tag-{uuid.uuid4().hex[:6]}@example.com"
    await publish(bootstrap, INBOUND, [event("identify", ws, {"email": email}, {"traits": {"name": "Ada"}})])
    customer_id = (await find_when(profile, ws, lambda v: v["traits"], email=email))["customer_id"]
    assert (await profile.client.put(f"/internal/v1/workspaces/{ws}/attributes/tier", json={"type": "enum",
            "enum_values": ["silver", "gold"]})).status_code == 200  # fmt: skip

    await send(
        bootstrap,
        ws,
        customer_id,
        [
            request(ws, customer_id, "profile.tags_requested", {"add": ["win-back", "vip"]}),
            request(ws, customer_id, "profile.attribute_requested", {"name": "tier", "value": "gold"}),
            request(ws, customer_id, "profile.attribute_requested", {"name": "tier", "value": "platinum"}),
            request(
                ws,
                customer_id,
                "sales.task_requested",
                {"title": "Call", "reason": "", "due_at": "2026-01-01T00:00:00Z"},
            ),
        ],
    )
    view = await find_when(profile, ws, lambda v: v["tags"] and "tier" in v["traits"], email=email)
    assert view["tags"] == ["vip", "win-back"] and view["traits"] == {"name": "Ada", "tier": "gold"}
    dead = await read_topic(bootstrap, DEADLETTER, expect=1, match=lambda r: r.key == f"{ws}:{customer_id}".encode())
    reason = dict(dead[0].headers)["flywheel-dlq-reason"].decode()
    assert "trait 'tier' must be one of" in reason and "platinum" not in reason

    await send(bootstrap, ws, customer_id, [request(ws, customer_id, "profile.tags_requested", {"remove": ["vip"]})])
    view = await find_when(profile, ws, lambda v: v["tags"] == ["win-back"], email=email)
    assert view["traits"]["tier"] == "gold"
