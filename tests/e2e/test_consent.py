"""Acceptance of consent on the running stack (Apache Kafka, every service a process): a customer who unsubscribes
through the one-click link of a real message gets no further message from any journey, and the stats say why."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from contracts.topics import INBOUND
from tests.e2e.conftest import RunningStack
from tests.helpers import event, publish, wait_for, zone_where_it_is_midday
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.kafka


def _journey(name: str, trigger: str, first_wait: str | None, timezone: str) -> dict[str, Any]:
    """On `trigger`: (after `first_wait`) a message, a day's wait, another message."""
    steps: dict[str, Any] = {
        "hello": {"type": "action", "action": {"kind": "webhook", "channel": "email", "template": f"{name} 1"},
                  "next": "wait"},
        "wait": {"type": "wait", "duration": "1d", "next": "again"},
        "again": {"type": "action", "action": {"kind": "webhook", "channel": "email", "template": f"{name} 2"},
                  "next": "done"},
        "done": {"type": "exit"},
    }  # fmt: skip
    entry = "hello"
    if first_wait is not None:
        steps["first_wait"] = {"type": "wait", "duration": first_wait, "next": "hello"}
        entry = "first_wait"
    return {
        "name": name,
        "trigger": {"type": "event", "event": trigger},
        "entry_step": entry,
        "steps": steps,
        "settings": {"timezone": timezone},
    }


async def test_unsubscribed_through_the_one_click_link_gets_nothing_more_from_any_journey(
    stack: RunningStack,
) -> None:
    workspace = f"consent-{uuid.uuid4().hex[:6]}"
    base = f"/internal/v1/workspaces/{workspace}"
    email = f"ann-{uuid.uuid4().hex[:6]}@example.com"
    async with httpx.AsyncClient(base_url=stack.journey, timeout=30, auth=stack.service_auth()) as journey:
        secret = (await journey.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
        async with running_receiver(secret) as receiver:
            receiver.tolerance_s = 365 * 86400  # signatures carry journey's moved clock
            assert (await journey.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
            timezone = zone_where_it_is_midday(dt.datetime.now(dt.UTC))
            ids = []
            for document in (
                _journey("Welcome", "purchase", None, timezone),
                _journey("Tips", "visit", "2h", timezone),
            ):
                created = await journey.post(f"{base}/journeys", json=document)
                assert created.status_code == 201, created.text
                ids.append(created.json()["journey_id"])
                assert (await journey.post(f"{base}/journeys/{ids[-1]}/activate")).status_code == 200

            # A purchase and a visit: the welcome journey's first message goes at once.
            moved = await journey.post("/internal/v1/clock/advance", json={"seconds": 1})
            ahead = dt.timedelta(seconds=moved.json()["offset_s"])  # earlier tests may have moved journey's clock
            now = dt.datetime.now(dt.UTC) + ahead
            purchase = event("purchase", workspace, {"email": email}, {"order_id": uuid.uuid4().hex, "amount": "9"})
            visit = event("visit", workspace, {"email": email}, {"channel": "web"})
            for doc in (purchase, visit):
                doc["time"] = now.isoformat()
            await publish(stack.bootstrap, INBOUND, [purchase, visit])
            await receiver.wait_for_count(1, within=90)
            first = receiver.received[0].body
            assert first["message"] == "Welcome 1" and first["unsubscribe"]["group"] == "email"
            customer_id = first["customer_id"]

            # The customer clicks the link of that real message (a mail client's one-click POST to the gateway).
            url = first["unsubscribe"]["url"]
            assert url.startswith(stack.gateway)
            async with httpx.AsyncClient(timeout=30) as anyone:  # no API key
                clicked = await anyone.post(
                    url,
                    content=b"List-Unsubscribe=One-Click",
                    headers={"content-type": "application/x-www-form-urlencoded"},
                )
            assert clicked.status_code == 202, clicked.text

            async def unsubscribed() -> bool:
                view = (await journey.get(f"{base}/customers/{customer_id}/consent")).json()
                return [(c["group_id"], c["status"], c["source"]) for c in view["current"]] == [
                    ("email", "unsubscribed", "unsubscribe_link")
                ]

            await wait_for(unsubscribed, within=90, what="journey knows the customer unsubscribed")

            # Two days later: the welcome journey's second message and the tips journey's first are due.
            await journey.post("/internal/v1/clock/advance", json={"seconds": 2 * 86400 + 3 * 3600})

            async def why(journey_id: str, suppressed: int) -> dict[str, Any] | None:
                stats = (await journey.get(f"{base}/journeys/{journey_id}/stats")).json()
                deliveries: dict[str, Any] = stats["deliveries"]
                return deliveries if deliveries["suppressed"] == suppressed and not deliveries["pending"] else None

            welcome = await wait_for(lambda: why(ids[0], 1), within=90, what="welcome's second message suppressed")
            tips = await wait_for(lambda: why(ids[1], 1), within=90, what="the tips message suppressed")
            assert welcome["suppressed_reasons"] == {"unsubscribed:email": 1} and welcome["delivered"] == 1
            assert tips["suppressed_reasons"] == {"unsubscribed:email": 1} and tips["delivered"] == 0
            assert [r.body["message"] for r in receiver.received] == ["Welcome 1"]
