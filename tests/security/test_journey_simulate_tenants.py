"""Issue 20, section 7: dry runs and lift through the gateway, as a hostile workspace would try them. A key
without `customers:read` cannot run a simulation; another workspace's key can neither run nor measure our journey
(404) nor run its own journey for our customers (they are unknown there, nothing of theirs is shown); more than
1,000 customers, a horizon past 365 days or an unknown field are refused 422 naming the field; a simulation
writes and sends nothing (journey's stats stay empty)."""

from __future__ import annotations

import uuid

import httpx

from services.gateway import store
from tests.helpers import event, wait_for
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront, gateway_client
from tests.samples.journeys import HELLO


async def key_with(stack: GatewayInFront, scopes: list[str], workspace: str | None = None) -> str:
    async with store.admin_connection(stack.app.state.gateway.runtime.settings.database_url) as conn:
        if workspace is not None:
            await store.create_workspace(conn, workspace)
        _, plain = await store.create_key(conn, workspace or stack.workspace, "simulate", scopes)
    return plain


async def test_simulations_and_lift_stay_in_their_workspace_and_within_their_budgets(
    stack: GatewayInFront, tenant: httpx.AsyncClient
) -> None:
    external_id = f"ext-{uuid.uuid4().hex[:8]}"
    identify = event("identify", stack.workspace, {"external_id": external_id}, {"traits": {"first_name": "Ada"}})
    assert (await tenant.post("/v1/events", json=[identify])).status_code == 202

    async def customer() -> str | None:
        found = await tenant.get("/v1/customers", params={"external_id": external_id})
        return str(found.json()["customer_id"]) if found.status_code == 200 else None

    customer_id = await wait_for(customer, within=30, what="the customer made by the event")
    journey_id = (await tenant.post("/v1/journeys", json=HELLO)).json()["journey_id"]
    path = f"/v1/journeys/{journey_id}"

    async def simulated() -> dict[str, object] | None:
        answer = await tenant.post(f"{path}/simulate", json={"customer_ids": [customer_id]})
        assert answer.status_code == 200, answer.text
        body: dict[str, object] = answer.json()
        return body if body["customers"] else None  # journey knows the customer once it saw their event

    ours = await wait_for(simulated, within=30, what="journey knows the customer")
    assert ours["summary"] == {"ended": {"completed": 1}, "messages": {"email": 1}, "held_back": {}}
    stats = (await tenant.get(f"{path}/stats")).json()
    assert stats["entered"] == 0 and not any(stats["deliveries"][k] for k in ("delivered", "pending", "failed"))
    lift = (await tenant.get(f"{path}/lift")).json()
    assert lift["enrolled"]["customers"] == 0 and lift["conversion_rate_difference"] is None

    async with gateway_client(stack, await key_with(stack, ["journeys:write"])) as writer_only:
        assert_problem(await writer_only.post(f"{path}/simulate", json={"customer_ids": [customer_id]}), 403)

    other = f"gw_{uuid.uuid4().hex[:8]}"
    async with gateway_client(stack, await key_with(stack, ["admin"], other)) as intruder:
        assert_problem(await intruder.post(f"{path}/simulate", json={"customer_ids": [customer_id]}), 404)
        assert_problem(await intruder.get(f"{path}/lift"), 404)
        theirs = (await intruder.post("/v1/journeys", json=HELLO)).json()["journey_id"]
        answer = await intruder.post(f"/v1/journeys/{theirs}/simulate", json={"customer_ids": [customer_id]})
        assert answer.status_code == 200, answer.text
        assert answer.json()["customers"] == [] and answer.json()["unknown_customers"] == [customer_id]

    for body, field in (
        ({"customer_ids": [f"c{i}" for i in range(1001)]}, "customer_ids"),
        ({"customer_ids": [customer_id], "horizon": "400d"}, "horizon"),
        ({"customer_ids": [customer_id], "horizon": "9" * 5000 + "d"}, "horizon"),
        ({"customer_ids": [customer_id], "assume": {"events": []}}, "assume"),
        ({"customer_ids": [customer_id], "segment_id": "vip"}, "customer_ids"),
    ):
        problem = assert_problem(await tenant.post(f"{path}/simulate", json=body), 422)
        assert field in str(problem), (field, problem)
