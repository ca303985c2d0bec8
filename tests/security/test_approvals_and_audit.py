"""Issue 16: approvals are bound to the deciding key's owner, and sensitive changes are in the audit log.

The attack: a `sales:write` key (a salesperson's) approves its own discount as a manager by naming one in the
body, or makes the approval needless by raising the threshold in the sales settings. Against the gateway in front
of the real services: without `sales:approve` the key gets 403 for both; with it, the approval is recorded under
the key's owner and id, in the quote and in the audit log. Journey and channel changes and exports are in the log
too, a change another service refused is logged as refused, and another workspace's key learns nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from services.gateway import store
from tests.helpers import event, wait_for
from tests.integration.gateway_stack import GatewayInFront, gateway_client
from tests.samples.journeys import HELLO

DEAL = {"customer_id": "c-approvals", "title": "Tea for the office", "amount": "1250.00", "currency": "EUR"}
LINES = [{"sku": "tea-01", "quantity": 100, "unit_price": "12.50"}]
MANAGER = "maria@shop.example"


async def new_key(tenant: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    made = await tenant.post("/v1/keys", json={"name": "test", **body})
    assert made.status_code == 201, made.text
    key: dict[str, Any] = made.json()
    return key


async def audit_entries(tenant: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    log = await tenant.get("/v1/audit-log", params={"limit": 100, **params})
    assert log.status_code == 200, log.text
    items: list[dict[str, Any]] = log.json()["items"]
    return items


async def test_a_sales_write_key_cannot_approve_a_key_with_sales_approve_does_and_the_log_names_it(
    stack: GatewayInFront, tenant: httpx.AsyncClient
) -> None:
    seller = await new_key(tenant, name="seller", scopes=["sales:write", "customers:read"], owner="sam@shop.example")
    approver = await new_key(tenant, name="manager", scopes=["sales:write", "sales:approve"], owner=MANAGER)
    assert approver["owner"] == MANAGER and seller["owner"] == "sam@shop.example"
    unnamed = await tenant.post("/v1/keys", json={"name": "nobody's", "scopes": ["sales:approve"]})
    assert unnamed.status_code == 422 and "owner" in unnamed.text  # an approver key names who approves

    async with gateway_client(stack, seller["key"]) as sam, gateway_client(stack, approver["key"]) as maria:
        policy = {"managers": [MANAGER, "sam@shop.example"], "discount_approval_threshold_percent": "100"}
        assert (await sam.put("/v1/sales-settings", json=policy)).status_code == 403  # no raising the threshold
        policy = {"managers": [MANAGER], "discount_approval_threshold_percent": "10"}
        assert (await maria.put("/v1/sales-settings", json=policy)).status_code == 200

        deal = (await sam.post("/v1/deals", json=DEAL)).json()
        quote = await sam.post(f"/v1/deals/{deal['deal_id']}/quotes", json={"lines": LINES, "discount_percent": 30})
        assert quote.status_code == 201 and quote.json()["status"] == "pending_approval", quote.text
        quote_path = f"/v1/quotes/{quote.json()['quote_id']}"

        # The attack, before and after the change: approving one's own discount, naming a manager.
        for body in ({"approver": MANAGER, "comment": "I am Maria"}, {"comment": "mine"}, None):
            refused = await sam.post(f"{quote_path}/approve", json=body)
            assert refused.status_code == 403, refused.text
            assert refused.json()["detail"] == "the API key lacks the scope 'sales:approve'"
        assert (await sam.post(f"{quote_path}/reject", json={})).status_code == 403
        assert (await sam.post(f"{quote_path}/accept")).status_code == 409  # still waiting for a manager
        assert (await sam.get(quote_path)).json()["status"] == "pending_approval"

        named = await maria.post(f"{quote_path}/approve", json={"approver": "someone else"})
        assert named.status_code == 422 and named.json()["errors"][0]["field"] == "body.approver"
        approved = await maria.post(f"{quote_path}/approve", json={"comment": "loyal customer"})
        assert approved.status_code == 200, approved.text
        decided = approved.json()
        assert decided["status"] == "approved" and decided["approver"] == MANAGER
        assert decided["approver_key_id"] == approver["id"] and decided["decision_comment"] == "loyal customer"
        assert (await sam.get(quote_path)).json()["approver_key_id"] == approver["id"]  # kept with the quote

    entries = await audit_entries(tenant)
    decisions = [e for e in entries if e["action"].startswith("quote.")]
    assert decisions == [
        {
            **decisions[0],
            "action": "quote.approved",
            "target": decided["quote_id"],
            "actor_key_id": approver["id"],
            "actor_owner": MANAGER,
            "outcome": "done",
        }
    ], "one decision logged, by the approving key and its owner; refused attempts never reached sales"


async def test_a_key_of_another_workspace_cannot_decide_and_sees_nothing(
    stack: GatewayInFront, tenant: httpx.AsyncClient
) -> None:
    seller = await new_key(tenant, name="seller", scopes=["sales:write"])
    async with gateway_client(stack, seller["key"]) as sam:
        deal = (await sam.post("/v1/deals", json=DEAL)).json()
        quote = await sam.post(f"/v1/deals/{deal['deal_id']}/quotes", json={"lines": LINES, "discount_percent": 50})
    quote_path = f"/v1/quotes/{quote.json()['quote_id']}"

    other = f"gw_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(stack.app.state.gateway.runtime.settings.database_url) as conn:
        await store.create_workspace(conn, other)
        _, intruder_key = await store.create_key(conn, other, "intruder", ["admin"], owner=MANAGER)
    async with gateway_client(stack, intruder_key) as intruder:
        assert (await intruder.post(f"{quote_path}/approve", json={})).status_code == 404
        assert (await intruder.put("/v1/sales-settings", json={"managers": [MANAGER]})).status_code == 200  # its own
        assert (await intruder.post(f"{quote_path}/approve", json={})).status_code == 404
        theirs = await audit_entries(intruder)
    assert {(e["action"], e["outcome"]) for e in theirs} == {("quote.approved", "refused")}
    assert (await tenant.get(quote_path)).json()["status"] == "pending_approval"
    assert all(e["target"] != quote.json()["quote_id"] for e in await audit_entries(tenant))


async def test_journey_channel_and_export_changes_are_in_the_audit_log(
    stack: GatewayInFront, tenant: httpx.AsyncClient
) -> None:
    before = {e["id"] for e in await audit_entries(tenant)}
    created = await tenant.post("/v1/journeys", json=HELLO)
    assert created.status_code == 201, created.text
    journey_id = created.json()["journey_id"]
    path = f"/v1/journeys/{journey_id}"
    assert (await tenant.put(path, json={**HELLO, "name": "Hello, again"})).status_code == 200
    assert (await tenant.post(f"{path}/activate")).status_code == 200
    assert (await tenant.post(f"{path}/pause")).status_code == 200
    assert (await tenant.delete(path)).status_code == 204
    assert (await tenant.post(f"{path}/activate")).status_code == 409  # refused by journey: logged as refused
    channel = {"webhook_url": "https://93.184.216.34/flywheel?token=receivers-own-secret", "rotate_secret": True}
    assert (await tenant.put("/v1/channel", json={**channel, "rotate_secret": False})).status_code == 200
    assert (await tenant.put("/v1/channel", json=channel)).status_code == 200
    refused = await tenant.put("/v1/channel", json={"webhook_url": "http://10.0.0.1/internal"})
    assert refused.status_code == 422  # the egress policy: logged as refused
    assert (await tenant.get("/v1/customers/c-nobody/export")).status_code == 404  # nothing handed out: no entry
    posted = await tenant.post(
        "/v1/events", json=[event("identify", stack.workspace, {"external_id": "ext-ada"}, {"traits": {}})]
    )
    assert posted.status_code == 202, posted.text

    async def ada() -> str | None:
        found = await tenant.get("/v1/customers", params={"external_id": "ext-ada"})
        return str(found.json()["customer_id"]) if found.status_code == 200 else None

    customer_id = await wait_for(ada, within=30, what="the customer made by the event")
    exported = await tenant.get(f"/v1/customers/{customer_id}/export")
    assert exported.status_code == 200 and exported.json()["customer"]["customer_id"] == customer_id

    entries = [e for e in reversed(await audit_entries(tenant)) if e["id"] not in before]
    assert [(e["action"], e["target"], e["outcome"]) for e in entries[:6]] == [
        ("journey.created", journey_id, "done"),
        ("journey.updated", journey_id, "done"),
        ("journey.activated", journey_id, "done"),
        ("journey.paused", journey_id, "done"),
        ("journey.archived", journey_id, "done"),
        ("journey.activated", journey_id, "refused"),
    ]
    assert [(e["action"], e["target"], e["outcome"]) for e in entries[6:]] == [
        ("channel.changed", "https://93.184.216.34", "done"),
        ("channel.secret_rotated", "https://93.184.216.34", "done"),
        ("channel.changed", "http://10.0.0.1", "refused"),
        ("customer.exported", customer_id, "done"),
    ], "of the channel, the webhook's origin only: never its path or query (a receiver's token)"
    assert all(e["actor_key_id"] and e["actor_owner"] == f"key:{e['actor_key_id']}" for e in entries)
