"""Issue 15, acceptance 2, on the running stack (Apache Kafka, every service a process, as `make run` starts
it): workspace A's webhook receiver holds every request 30 s; workspace B's 1,000 due messages all reach its
receiver within 30 s, each exactly once (by Idempotency-Key).

The messages are made the way journeys make them: each workspace runs a journey "wait a day after a visit,
then a webhook"; every customer visits, then journey's clock moves a day and every timer comes due at once.
A's customers visited first, so A's messages are the oldest due. Deliveries used to go in rounds of 20 that
waited for their slowest member, so A's rounds held B's messages back for minutes; now A holds only its
share of the delivery slots."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from contracts.topics import RESOLVED
from tests.e2e.conftest import RunningStack
from tests.helpers import event, publish, wait_for
from tests.samples.journeys import WAIT_THEN_HELLO
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.kafka

TARPIT_MESSAGES = 200
MESSAGES = 1000
HOLD_S = 30.0
WITHIN_S = 30.0


async def journey_for(journey: httpx.AsyncClient, workspace: str, url: str) -> tuple[str, str]:
    """(the channel's signing secret, the activated journey's id)."""
    base = f"/internal/v1/workspaces/{workspace}"
    channel = await journey.put(f"{base}/channel", json={"webhook_url": url})
    assert channel.status_code == 200, channel.text
    created = await journey.post(f"{base}/journeys", json=WAIT_THEN_HELLO)
    assert created.status_code == 201, created.text
    journey_id: str = created.json()["journey_id"]
    assert (await journey.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
    return channel.json()["secret"], journey_id


def visits(workspace: str, prefix: str, count: int) -> list[dict[str, Any]]:
    docs = []
    for i in range(count):
        doc = event(
            "visit", workspace, {"external_id": f"{prefix}{i}"}, {"channel": "web"}, event_id=f"{workspace}-v{i}"
        )
        doc["customerid"] = f"{prefix}{i}"
        docs.append(doc)
    return docs


async def workspace_holds(stack: RunningStack) -> float:
    async with httpx.AsyncClient(base_url=stack.metrics["journey"]) as operations:
        text = (await operations.get("/metrics")).text
    for line in text.splitlines():
        if line.startswith('flywheel_journey_delivery_holds_total{limit="workspace"}'):
            return float(line.split()[-1])
    return 0.0


async def test_a_tarpit_receiver_does_not_hold_back_another_workspaces_1000_messages(stack: RunningStack) -> None:
    a, b = f"tarpit-{uuid.uuid4().hex[:6]}", f"flowing-{uuid.uuid4().hex[:6]}"
    async with (
        httpx.AsyncClient(base_url=stack.journey, timeout=30, auth=stack.service_auth()) as journey,
        running_receiver("set below", hold_s=HOLD_S) as tarpit,
        running_receiver("set below") as receiver,
    ):
        tarpit.secret, a_journey = await journey_for(journey, a, tarpit.url)
        receiver.secret, b_journey = await journey_for(journey, b, receiver.url)
        tarpit.tolerance_s = receiver.tolerance_s = 365 * 86400  # signatures carry journey's moved clock

        await publish(stack.bootstrap, RESOLVED, visits(a, "a", TARPIT_MESSAGES))
        await publish(stack.bootstrap, RESOLVED, visits(b, "b", MESSAGES))

        async def waiting(workspace: str, journey_id: str, count: int) -> bool:
            stats = (await journey.get(f"/internal/v1/workspaces/{workspace}/journeys/{journey_id}/stats")).json()
            return bool(stats["waiting"] == count)

        await wait_for(lambda: waiting(a, a_journey, TARPIT_MESSAGES), within=120, interval=0.5, what="A waiting")
        await wait_for(lambda: waiting(b, b_journey, MESSAGES), within=120, interval=0.5, what="B waiting")
        holds_before = await workspace_holds(stack)

        due = time.monotonic()
        await journey.post("/internal/v1/clock/advance", json={"seconds": 86400 + 60})  # every timer due
        await receiver.wait_for_count(MESSAGES, within=WITHIN_S)
        took = time.monotonic() - due

        assert len(receiver.accepted_keys) == len(set(receiver.accepted_keys)) == MESSAGES
        assert receiver.duplicates == 0 and receiver.bad_signatures == 0, "each message exactly once"
        assert all(receiver.deliveries[key] == 1 for key in receiver.accepted_keys)
        assert {r.body["customer_id"] for r in receiver.received} == {f"b{i}" for i in range(MESSAGES)}
        assert tarpit.arrived >= 1, "A's receiver was holding requests meanwhile"
        assert await workspace_holds(stack) > holds_before, "workspace shares held messages back"
        print(
            f"B's {MESSAGES} messages reached its receiver {took:.1f} s after they came due; "
            f"A's receiver got {tarpit.arrived} requests meanwhile"
        )
