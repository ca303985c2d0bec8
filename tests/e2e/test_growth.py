"""Referral and sales in the running stack: their sections of the 360 view fill from events that flow
through profile (Apache Kafka, every service a process)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from contracts.topics import JOURNEY_ACTIONS
from tests.e2e.conftest import RunningStack
from tests.helpers import event, publish, wait_for

pytestmark = pytest.mark.kafka

PROGRAM = {
    "name": "Friends of the shop",
    "referrer_reward": {"kind": "amount", "value": "10.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "friend_reward": {"kind": "percent", "value": "15", "trigger": "signup"},
}


async def test_a_referred_friend_and_a_journeys_sales_task_show_in_the_360_view(stack: RunningStack) -> None:
    run = uuid.uuid4().hex[:8]
    ada, bea = {"email": f"ada-{run}@example.com"}, {"email": f"bea-{run}@example.com"}
    internal = "/internal/v1/workspaces/demo"
    async with (
        httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers()) as gateway,
        httpx.AsyncClient(base_url=stack.referral, auth=stack.service_auth()) as referral,
        httpx.AsyncClient(base_url=stack.sales, auth=stack.service_auth()) as sales,
    ):
        assert (
            await gateway.post("/v1/events", json=event("identify", "demo", ada, {"traits": {}}))
        ).status_code == 202
        ada_id = (await wait_for(lambda: _found(gateway, ada), within=30, what="the referrer resolved"))["customer_id"]

        program = await referral.post(f"{internal}/programs", json=PROGRAM)
        assert program.status_code == 201, program.text
        codes = await referral.post(
            f"{internal}/programs/{program.json()['program_id']}/codes", json={"customer_id": ada_id}
        )
        assert codes.status_code in (200, 201), codes.text
        code = codes.json()["code"]
        signed_up = event("referral", "demo", bea, {"action": "signed_up", "code": code})
        bought = event("purchase", "demo", bea, {"order_id": f"o-{run}", "amount": "50.00", "referral_code": code})
        assert (await gateway.post("/v1/events", json=[signed_up, bought])).status_code == 202

        view = await wait_for(
            lambda: _view_when(gateway, ada_id, lambda v: any(r["status"] == "granted" for r in v["referral_rewards"])),
            within=30,
            what="the referrer's reward in the 360 view",
        )
        bea_id = (await _found(gateway, bea) or {})["customer_id"]
        assert view["referral_codes"][0]["code"] == code and view["degraded"] == []
        assert [(r["role"], r["referred_id"], r["status"]) for r in view["referrals"]] == [
            ("referrer", bea_id, "purchased")
        ]
        friend = (await gateway.get(f"/v1/customers/{bea_id}")).json()
        assert [(r["role"], r["referrer_id"]) for r in friend["referrals"]] == [("referred", ada_id)]
        assert [(r["role"], r["status"]) for r in friend["referral_rewards"]] == [("friend", "granted")]

        assert (await sales.put(f"{internal}/customers/{ada_id}/owner", json={"owner": "ana"})).status_code == 200
        await publish(stack.bootstrap, JOURNEY_ACTIONS, [_task_requested(ada_id, run)])
        view = await wait_for(
            lambda: _view_when(gateway, ada_id, lambda v: bool(v["tasks"])), within=30, what="the task in the 360 view"
        )
    [task] = view["tasks"]
    assert (task["title"], task["assignee"], task["source"], task["status"]) == ("Thank Ada", "ana", "journey", "open")


def _task_requested(customer_id: str, run: str) -> dict[str, Any]:
    origin = {"customer_id": customer_id, "journey_id": "j_thanks", "journey_version": 1, "enrolment_id": f"e-{run}"}
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    return {
        "specversion": "1.0",
        "id": f"act-{run}",
        "source": "flywheel.journey",
        "type": "sales.task_requested",
        "time": dt.datetime.now(dt.UTC).isoformat(),
        "workspace": "demo",
        "data": {**origin, "step_id": "thank", "title": "Thank Ada", "due_at": due},
    }


async def _found(gateway: httpx.AsyncClient, identifier: dict[str, str]) -> dict[str, Any] | None:
    response = await gateway.get("/v1/customers", params=identifier)
    return response.json() if response.status_code == 200 else None


async def _view_when(gateway: httpx.AsyncClient, customer_id: str, ready: Any) -> dict[str, Any] | None:
    response = await gateway.get(f"/v1/customers/{customer_id}")
    view: dict[str, Any] = response.json()
    return view if response.status_code == 200 and ready(view) else None
