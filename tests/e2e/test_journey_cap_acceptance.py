"""Acceptance 4 of issue 20 on the running stack (Apache Kafka, every service a process), through the gateway:
two journeys compete under the workspace's cap of 1 email per day; only the higher-priority message is sent,
and the stats of both journeys show why."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for, zone_where_it_is_midday
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.kafka


def welcome(name: str, priority: int, timezone: str) -> dict[str, Any]:
    """An email on a visit (quiet hours from 21:00 to 08:00, in a zone where it is midday now)."""
    return {
        "name": name,
        "trigger": {"type": "event", "event": "visit"},
        "entry_step": "hello",
        "steps": {
            "hello": {
                "type": "action",
                "action": {"kind": "webhook", "channel": "email", "template": f"{name}: hello"},
                "next": "done",
            },
            "done": {"type": "exit"},
        },
        "settings": {
            "timezone": timezone,
            "quiet_hours": {"start": "21:00", "end": "08:00"},
            "priority": priority,
            "when_capped": "skip",
        },
    }


async def test_two_journeys_under_a_cap_of_one_email_a_day_only_the_higher_priority_sends(
    stack: RunningStack,
) -> None:
    workspace = f"caps-{uuid.uuid4().hex[:6]}"
    key = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    internal = f"/internal/v1/workspaces/{workspace}"
    async with (
        httpx.AsyncClient(base_url=stack.journey, timeout=30, auth=stack.service_auth()) as journey,
        httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(key), timeout=30) as gateway,
    ):
        secret = (await journey.put(f"{internal}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()[
            "secret"
        ]
        async with running_receiver(secret) as receiver:
            receiver.tolerance_s = 365 * 86400  # signatures carry journey's clock, which other tests move
            assert (await journey.put(f"{internal}/channel", json={"webhook_url": receiver.url})).status_code == 200
            caps = {"caps": {"email": {"messages": 1, "per": "1d"}}}
            put = await gateway.put("/v1/messaging-settings", json=caps)
            assert put.status_code == 200, put.text
            assert (await gateway.get("/v1/messaging-settings")).json()["caps"] == caps["caps"]

            moved = await journey.post("/internal/v1/clock/advance", json={"seconds": 1})
            now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=moved.json()["offset_s"])
            timezone = zone_where_it_is_midday(now)
            ids = {}
            for name, priority in (("Newsletter", 20), ("Order update", 80)):
                created = await gateway.post("/v1/journeys", json=welcome(name, priority, timezone))
                assert created.status_code == 201, created.text
                ids[name] = created.json()["journey_id"]
                assert (await gateway.post(f"/v1/journeys/{ids[name]}/activate")).status_code == 200

            email = f"capped-{uuid.uuid4().hex[:6]}@example.com"
            posted = await gateway.post(
                "/v1/events", json=event("visit", workspace, {"email": email}, {"channel": "web"})
            )
            assert posted.status_code == 202, posted.text
            await receiver.wait_for_count(1, within=90)

            async def stats(journey_id: str, ready: Any) -> dict[str, Any] | None:
                doc: dict[str, Any] = (await gateway.get(f"/v1/journeys/{journey_id}/stats")).json()
                return doc if ready(doc) else None

            lost = await wait_for(
                lambda: stats(ids["Newsletter"], lambda s: s["skipped_by_caps"] == 1), within=60, what="skipped"
            )
            reason = f"priority: lost to journey {ids['Order update']}"
            assert lost["held_back"] == [{"outcome": "skipped", "reason": reason, "messages": 1}]
            assert lost["completed"] == 1 and lost["deliveries"]["delivered"] == 0
            won = await wait_for(
                lambda: stats(ids["Order update"], lambda s: s["deliveries"]["delivered"] == 1), within=60, what="sent"
            )
            assert won["held_back"] == [] and won["skipped_by_caps"] == won["deferred_by_caps"] == 0
            [message] = receiver.received
            assert message.body["journey"]["id"] == ids["Order update"]
            assert message.body["message"] == "Order update: hello"
            audit = (await gateway.get("/v1/audit-log")).json()
            assert any(e["action"] == "messaging_settings.changed" for e in audit["items"]), audit
