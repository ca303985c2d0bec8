"""Profile and the inbound `consent` event, against a real PostgreSQL and a real Kafka-protocol broker: stored on the
customer's timeline like any event and republished resolved (for journey's consent), once however often it comes;
an invalid one dead-lettered with the reason, the rest going on."""

from __future__ import annotations

import uuid

import orjson

from contracts.topics import DEADLETTER, INBOUND, RESOLVED
from tests.helpers import event, publish, read_topic, wait_for
from tests.integration.conftest import RunningService


async def test_a_consent_event_is_on_the_timeline_and_republished_resolved_once(
    profile: RunningService, bootstrap: str
) -> None:
    ws = f"ws-{uuid.uuid4().hex[:10]}"
    customer = {"email": "ada@example.com"}
    unsubscribe = event("consent", ws, customer, {"group": "newsletter", "status": "unsubscribed", "source": "link"})
    bad = event("consent", ws, customer, {"group": "news letter", "status": "maybe"})
    await publish(bootstrap, INBOUND, [unsubscribe, unsubscribe, bad])

    async def found() -> dict[str, object] | None:
        answer = await profile.client.get(f"/internal/v1/workspaces/{ws}/customers", params=customer)
        return answer.json() if answer.status_code == 200 else None

    view = await wait_for(found, what="the customer")
    path = f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}/timeline"
    timeline = (await profile.client.get(path)).json()
    assert [item["type"] for item in timeline["items"]] == ["consent"]

    resolved = await read_topic(bootstrap, RESOLVED, expect=1, match=lambda r: r.key.startswith(f"{ws}:".encode()))
    (doc,) = [orjson.loads(r.value) for r in resolved]
    assert (doc["id"], doc["type"], doc["customerid"]) == (unsubscribe["id"], "consent", view["customer_id"])
    assert doc["data"]["group"] == "newsletter" and doc["data"]["status"] == "unsubscribed"

    # Other tests' dead letters share the topic, some of them not CloudEvents in structured form (binary mode).
    dead = await read_topic(bootstrap, DEADLETTER, expect=1, match=lambda r: _event_id(r.value) == bad["id"])
    reason = dict(dead[0].headers)["flywheel-dlq-reason"].decode()
    assert "status" in reason and "group" in reason


def _event_id(value: bytes | None) -> object:
    try:
        doc = orjson.loads(value or b"null")
    except orjson.JSONDecodeError:
        return None
    return doc.get("id") if isinstance(doc, dict) else None
