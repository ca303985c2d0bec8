"""Acceptance 3 of issue 20 on the running stack (Apache Kafka, every service a process): a custom `cart_abandoned`
type declared through the gateway; a valid event triggers the cart-abandonment template and its reminder reaches
the webhook; an invalid one is refused with the field named; the plan lists both counts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for, zone_where_it_is_midday
from tests.samples.tracking import CART_SCHEMA
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.kafka


async def test_a_custom_cart_abandoned_type_triggers_the_template_and_invalid_ones_are_refused(
    stack: RunningStack,
) -> None:
    workspace = f"plan-{uuid.uuid4().hex[:6]}"
    key = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    base = f"/internal/v1/workspaces/{workspace}"
    async with (
        httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(key), timeout=30) as gateway,
        httpx.AsyncClient(base_url=stack.journey, timeout=30, auth=stack.service_auth()) as journey,
    ):
        declared = await gateway.put("/v1/event-types/cart_abandoned", json={"schema": CART_SCHEMA})
        assert declared.status_code == 200, declared.text

        secret = (await journey.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
        async with running_receiver(secret) as receiver:
            receiver.tolerance_s = 365 * 86400  # signatures carry journey's moved clock
            assert (await journey.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
            timezone = zone_where_it_is_midday(dt.datetime.now(dt.UTC))
            created = await gateway.post("/v1/journey-templates/cart_abandonment", json={"timezone": timezone})
            assert created.status_code == 201, created.text
            journey_id = created.json()["journey_id"]
            assert (await gateway.post(f"/v1/journeys/{journey_id}/activate")).status_code == 200

            email = f"cart-{uuid.uuid4().hex[:6]}@example.com"
            # A goal or trigger counts by journey's clock, which earlier tests may have moved: the event is sent at
            # journey's now.
            moved = await journey.post("/internal/v1/clock/advance", json={"seconds": 1})
            at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=moved.json()["offset_s"])
            valid = event("cart_abandoned", workspace, {"email": email}, {"cart": {"total": 42.5, "items": 2}}, time=at)
            invalid = event("cart_abandoned", workspace, {"email": email}, {"cart": {"total": "lots"}}, time=at)
            accepted = await gateway.post("/v1/events", json=valid)
            assert accepted.status_code == 202, accepted.text
            refused = await gateway.post("/v1/events", json=invalid)
            assert refused.status_code == 422
            assert [(e["field"], e["message"]) for e in refused.json()["errors"]] == [
                ("data.cart.total", 'must satisfy `type`: "number"')
            ]

            async def enrolled() -> dict[str, Any] | None:
                doc = (await journey.get(f"{base}/journeys/{journey_id}/stats")).json()
                return doc if doc["entered"] == 1 else None

            await wait_for(enrolled, within=90, what="the customer enrolled by the custom event")
            await journey.post("/internal/v1/clock/advance", json={"seconds": 3600 + 60})
            await receiver.wait_for_count(1, within=90)
            reminder = receiver.received[0].body
            assert reminder["step"] == "remind" and receiver.bad_signatures == 0

            async def counted() -> dict[str, Any] | None:
                items = (await gateway.get("/v1/event-types")).json()["items"]
                found = next(i for i in items if i["name"] == "cart_abandoned")
                return found if found["counts"] == {"accepted": 1, "rejected": 1} else None

            plan = await wait_for(counted, within=60, what="the plan's counts")
            assert plan["version"] == 1 and plan["schema"] == CART_SCHEMA
