"""Attacks through CloudEvents' other modes with a key of one's own workspace (issue 21): binary mode naming
another workspace in `ce-workspace`, a batch leaving `workspace` out to borrow the key's, headers without
bound, and the unauthenticated webhook handshake. The gateway runs in front of the real services on the
session's PostgreSQL and broker; what a hostile request would have written is looked for in the victim's
workspace."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson

from services.gateway import store
from tests.helpers import event, wait_for
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront, gateway_client


async def victim_key(stack: GatewayInFront) -> tuple[str, str]:
    workspace = f"victim_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(stack.app.state.gateway.runtime.settings.database_url) as conn:
        await store.create_workspace(conn, workspace)
        key = (await store.create_key(conn, workspace, "victim", ["admin"]))[1]
    return workspace, key


def binary(doc: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    headers = {f"ce-{name}": str(value) for name, value in doc.items() if name != "data"}
    return orjson.dumps(doc["data"]), {**headers, "content-type": "application/json"}


async def test_binary_mode_never_writes_into_another_workspace(
    stack: GatewayInFront, tenant: httpx.AsyncClient
) -> None:
    victim, victim_secret = await victim_key(stack)
    email = f"target-{uuid.uuid4().hex[:6]}@example.com"
    planted = event("purchase", victim, {"email": email}, {"order_id": "o-1", "amount": "1.00"})
    body, headers = binary(planted)
    refused = assert_problem(await tenant.post("/v1/events", content=body, headers=headers), 422)
    assert [e["field"] for e in refused["errors"]] == ["ce-workspace"] and refused["accepted"] == []

    # Leaving the workspace out takes the key's own: the event lands in the attacker's workspace, never the victim's.
    del planted["workspace"]
    body, headers = binary(planted)
    assert (await tenant.post("/v1/events", content=body, headers=headers)).status_code == 202
    async with gateway_client(stack) as own:

        async def landed() -> bool:
            return (await own.get("/v1/customers", params={"email": email})).status_code == 200

        await wait_for(landed, within=60, what="the event in the attacker's own workspace")
    async with gateway_client(stack, victim_secret) as victim_client:
        assert_problem(await victim_client.get("/v1/customers", params={"email": email}), 404)


async def test_headers_without_bound_are_refused_before_any_work(tenant: httpx.AsyncClient) -> None:
    doc = event("visit", "ignored", {"anonymous_id": "d-1"}, {"channel": "web"})
    del doc["workspace"]
    body, headers = binary(doc)
    many = {**headers, **{f"ce-ext{i}": "x" * 2000 for i in range(64)}}
    assert "more than 32" in assert_problem(await tenant.post("/v1/events", content=body, headers=many), 400)["detail"]
    huge = {**headers, "ce-subject": "s" * 10_000}
    assert "2048" in assert_problem(await tenant.post("/v1/events", content=body, headers=huge), 400)["detail"]


async def test_the_webhook_handshake_shows_nothing_of_a_workspace(stack: GatewayInFront) -> None:
    transport = httpx.ASGITransport(app=stack.app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as anonymous:
        answer = await anonymous.options("/v1/events", headers={"WebHook-Request-Origin": "sender.example"})
        assert answer.status_code == 200 and answer.content == b""
        assert set(answer.headers) >= {"allow", "webhook-allowed-origin", "webhook-allowed-rate"}
        assert stack.workspace not in str(answer.headers)
        assert_problem(await anonymous.options("/v1/customers"), 401)  # only /v1/events answers without a key
