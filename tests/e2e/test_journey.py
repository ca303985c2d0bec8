"""Acceptance of the journey service on the running stack (Apache Kafka, every service a process)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import uuid
from typing import Any

import httpx
import orjson
import pytest

from contracts.topics import INBOUND, JOURNEY_ACTIONS, RESOLVED
from tests.e2e.conftest import RunningStack
from tests.helpers import event, publish, read_topic, wait_for, zone_where_it_is_midday
from tests.samples.journeys import WAIT_THEN_HELLO
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.kafka


def _purchase(workspace: str, email: str, days_ago: float) -> dict[str, Any]:
    doc = event("purchase", workspace, {"email": email}, {"order_id": uuid.uuid4().hex, "amount": "40.00"})
    doc["time"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).isoformat()
    return doc


async def test_dormant_reactivation_template_in_the_running_stack(stack: RunningStack) -> None:
    """Customers who bought 100 days ago fall dormant (scoring's sweep), the activated template sends each
    the value report; one buys and converts; for the other, moving journey's clock three days brings the
    offer, two more the advisor's task for sales."""
    workspace = f"reactivate-{uuid.uuid4().hex[:6]}"
    base = f"/internal/v1/workspaces/{workspace}"
    async with httpx.AsyncClient(base_url=stack.journey, timeout=30, auth=stack.service_auth()) as journey:
        secret = (await journey.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
        async with running_receiver(secret) as receiver:
            receiver.tolerance_s = 365 * 86400  # signatures carry journey's moved clock
            assert (await journey.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
            timezone = zone_where_it_is_midday(dt.datetime.now(dt.UTC))
            created = await journey.post(f"{base}/journey-templates/dormant_reactivation", json={"timezone": timezone})
            assert created.status_code == 201, created.text
            journey_id = created.json()["journey_id"]
            assert (await journey.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

            stays, buys = f"stays-{uuid.uuid4().hex[:6]}@example.com", f"buys-{uuid.uuid4().hex[:6]}@example.com"
            await publish(stack.bootstrap, INBOUND, [_purchase(workspace, stays, 100), _purchase(workspace, buys, 100)])
            await receiver.wait_for_count(2, within=90)  # profile, scoring's sweep, journey, the delivery loop
            assert {r.body["step"] for r in receiver.received} == {"value_report"}
            assert receiver.bad_signatures == 0

            # A goal counts from the enrolment on, by journey's clock, which earlier tests of the session may
            # have moved (tests/e2e/test_delivery_fairness.py moves it a day): the buyer buys at journey's now.
            moved = await journey.post("/internal/v1/clock/advance", json={"seconds": 1})
            ahead_days = moved.json()["offset_s"] / 86400
            await publish(stack.bootstrap, INBOUND, [_purchase(workspace, buys, -ahead_days)])

            async def stats(ready: Any) -> dict[str, Any] | None:
                doc = (await journey.get(f"{base}/journeys/{journey_id}/stats")).json()
                return doc if ready(doc) else None

            await wait_for(lambda: stats(lambda s: s["converted"] == 1), within=60, what="the buyer converted")

            await journey.post("/internal/v1/clock/advance", json={"seconds": 3 * 86400 + 60})
            await receiver.wait_for_count(3, within=60)
            offer = receiver.received[-1].body
            assert offer["step"] == "limited_offer"

            await journey.post("/internal/v1/clock/advance", json={"seconds": 2 * 86400 + 60})
            tasks = await read_topic(
                stack.bootstrap,
                JOURNEY_ACTIONS,
                expect=1,
                within=60,
                match=lambda r: (
                    r.key.startswith(f"{workspace}:".encode())
                    and orjson.loads(r.value)["type"] == "sales.task_requested"
                ),
            )
            assert orjson.loads(tasks[0].value)["data"]["customer_id"] == offer["customer_id"]
            final = await wait_for(lambda: stats(lambda s: s["completed"] == 1), within=60, what="completed")
            assert (final["entered"], final["converted"], final["completed"]) == (2, 1, 1)
            assert receiver.duplicates == 0 and len(receiver.accepted_keys) == 3


async def test_sigkill_with_10000_due_timers_delivers_each_webhook_once(stack: RunningStack) -> None:
    """10,000 enrolments wait a day; the clock moves; journey is killed while it works through the due
    timers and deliveries. After the supervisor restarted it, every customer's message reached the
    receiver, each idempotency key accepted once."""
    workspace = f"timers-{uuid.uuid4().hex[:6]}"
    base = f"/internal/v1/workspaces/{workspace}"
    customers = 10_000
    async with httpx.AsyncClient(base_url=stack.journey, timeout=30, auth=stack.service_auth()) as journey:
        secret = (await journey.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
        async with running_receiver(secret) as receiver:
            receiver.tolerance_s = 365 * 86400
            await journey.put(f"{base}/channel", json={"webhook_url": receiver.url})
            journey_id = (await journey.post(f"{base}/journeys", json=WAIT_THEN_HELLO)).json()["journey_id"]
            assert (await journey.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200

            visits = []
            for i in range(customers):
                doc = event("visit", workspace, {"external_id": f"t{i}"}, {"channel": "web"}, event_id=f"v{i}")
                doc["customerid"] = f"t{i}"
                visits.append(doc)
            await publish(stack.bootstrap, RESOLVED, visits)

            async def waiting() -> bool:
                doc = (await journey.get(f"{base}/journeys/{journey_id}/stats")).json()
                return bool(doc["waiting"] == customers)

            await wait_for(waiting, within=180, interval=0.5, what="every customer waiting a day")
            moved = await journey.post("/internal/v1/clock/advance", json={"seconds": 86400 + 60})
            offset = moved.json()["offset_s"]  # earlier tests of the session may have moved it already
            await receiver.wait_for_count(customers // 10, within=120)
            os.kill(stack.pid("journey"), signal.SIGKILL)  # the supervisor restarts it

            async def ready_again() -> bool:
                try:
                    return (await journey.get(f"{stack.metrics['journey']}/readyz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await wait_for(ready_again, within=120, interval=0.5, what="journey back")
            # The restarted process starts from the wall clock again: move it as far as before.
            await journey.post("/internal/v1/clock/advance", json={"seconds": offset})
            await receiver.wait_for_count(customers, within=300)
    assert len(set(receiver.accepted_keys)) == len(receiver.accepted_keys) == customers
    bodies = {r.body["customer_id"] for r in receiver.received if r.body}
    assert bodies == {f"t{i}" for i in range(customers)}
    print(f"resent after the kill (same idempotency key): {receiver.duplicates}")
