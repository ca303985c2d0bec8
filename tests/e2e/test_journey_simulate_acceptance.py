"""Acceptance 5 of issue 20, its second half, on the running stack (Apache Kafka, every service a process): a
simulation of the dormant template over 1,000 customers (a segment's members) returns each path, and not a single
webhook is sent: the template is active, its channel points at a real receiver, and the receiver gets nothing.
One of them unsubscribed from email (a `consent` event): the simulation holds their messages back and says why."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from contracts.topics import INBOUND
from tests.e2e.conftest import RunningStack
from tests.helpers import event, publish, wait_for
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.kafka

CUSTOMERS = 1000


async def test_a_simulation_of_the_dormant_template_over_1000_customers_sends_no_webhook(stack: RunningStack) -> None:
    workspace = f"simulate-{uuid.uuid4().hex[:6]}"
    base = f"/internal/v1/workspaces/{workspace}"
    auth = stack.service_auth()
    async with (
        httpx.AsyncClient(base_url=stack.journey, timeout=60, auth=auth) as journey,
        httpx.AsyncClient(base_url=stack.scoring, timeout=30, auth=auth) as scoring,
    ):
        secret = (await journey.put(f"{base}/channel", json={"webhook_url": "http://127.0.0.1:9/"})).json()["secret"]
        async with running_receiver(secret) as receiver:
            receiver.tolerance_s = 365 * 86400
            assert (await journey.put(f"{base}/channel", json={"webhook_url": receiver.url})).status_code == 200
            created = await journey.post(f"{base}/journey-templates/dormant_reactivation", json={})
            assert created.status_code == 201, created.text
            journey_id = created.json()["journey_id"]
            assert (await journey.post(f"{base}/journeys/{journey_id}/activate")).status_code == 200
            segment = await scoring.post(
                f"{base}/segments",
                json={"name": "Buyers", "condition": {"all": [{"field": "stats.orders", "op": "gte", "value": 1}]}},
            )
            assert segment.status_code == 201, segment.text
            segment_id = segment.json()["segment_id"]

            # 1,000 customers who bought yesterday (none is dormant: the active template enrols nobody).
            yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
            purchases = []
            for i in range(CUSTOMERS):
                doc = event(
                    "purchase", workspace, {"email": f"c{i}@example.com"}, {"order_id": f"o-{i}", "amount": "20.00"}
                )
                doc["time"] = yesterday
                purchases.append(doc)
            unsubscribe = event(
                "consent", workspace, {"email": "c0@example.com"}, {"group": "email", "status": "unsubscribed"}
            )
            await publish(stack.bootstrap, INBOUND, [*purchases, unsubscribe])

            # The events go through profile, then scoring (the segment's members), then journey (their facts): each
            # stage waited for apart, so a slow one is named. The stack may still be working off earlier tests'
            # events (every e2e test shares it), hence the generous deadlines.
            async def scoring_members() -> int | None:
                answer = await scoring.get(f"{base}/segments/{segment_id}")
                members: int = answer.json()["members"]
                return members if members == CUSTOMERS else None

            await wait_for(scoring_members, within=240, interval=1, what="scoring counts the segment's 1,000 members")
            seen: dict[str, Any] = {}

            async def simulated() -> dict[str, Any] | None:
                answer = await journey.post(f"{base}/journeys/{journey_id}/simulate", json={"segment_id": segment_id})
                assert answer.status_code == 200, answer.text
                body: dict[str, Any] = answer.json()
                seen.update(customers=len(body["customers"]), held_back=body["summary"]["held_back"])
                everyone = len(body["customers"]) == CUSTOMERS
                return body if everyone and body["summary"]["held_back"] else None  # c0's consent arrived too

            try:
                result = await wait_for(simulated, within=120, interval=1, what="journey knows them, and the consent")
            except AssertionError as timed_out:
                raise AssertionError(f"{timed_out}; the last simulation saw {seen}") from None
            assert result["summary"]["ended"] == {"completed": CUSTOMERS}
            for run in result["customers"]:
                assert [p["step_id"] for p in run["path"]] == [
                    "value_report", "wait_purchase", "limited_offer", "wait_follow_up", "advisor", "done"
                ]  # fmt: skip
            held = [run for run in result["customers"] if run["held_back"]]
            assert len(held) == 1 and held[0]["messages"] == []
            assert [h["reason"] for h in held[0]["held_back"]] == ["consent:unsubscribed:email"] * 2
            assert result["summary"]["messages"] == {"email": 2 * (CUSTOMERS - 1)}
            for run in result["customers"]:
                if run is not held[0]:
                    assert [m["step_id"] for m in run["messages"]] == ["value_report", "limited_offer"]
            stats = (await journey.get(f"{base}/journeys/{journey_id}/stats")).json()
            assert stats["entered"] == 0
            assert stats["deliveries"]["delivered"] == 0 and stats["deliveries"]["pending"] == 0
            assert receiver.received == []
