"""Issue 20, section 4: the workspace's frequency caps across journeys (`/v1/messaging-settings`), against the
gateway in front of the real services. A key without `journeys:write` cannot change them; another workspace's
key neither reads nor changes them (its own stay its own); a body past the budgets is refused naming the field;
every change is in the audit log; a journey's priority is validated like the rest of its document."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import httpx

from services.gateway import store
from tests.integration.gateway_stack import GatewayInFront, gateway_client
from tests.samples.journeys import HELLO

CAPS = {"caps": {"email": {"messages": 1, "per": "1d"}, "sms": {"messages": 2, "per": "7d"}}}


async def key_with(stack: GatewayInFront, scopes: list[str], workspace: str | None = None) -> str:
    async with store.admin_connection(stack.app.state.gateway.runtime.settings.database_url) as conn:
        if workspace is not None:
            await store.create_workspace(conn, workspace)
        _, plain = await store.create_key(conn, workspace or stack.workspace, "caps", scopes)
    return plain


async def test_caps_need_journeys_write_stay_in_their_workspace_and_are_audited(
    stack: GatewayInFront, tenant: httpx.AsyncClient
) -> None:
    reader = await key_with(stack, ["customers:read"])
    writer = await key_with(stack, ["journeys:write"])
    async with gateway_client(stack, reader) as read_only, gateway_client(stack, writer) as journeys:
        assert (await read_only.put("/v1/messaging-settings", json=CAPS)).status_code == 403
        put = await journeys.put("/v1/messaging-settings", json=CAPS)
        assert put.status_code == 200, put.text
        shown = (await read_only.get("/v1/messaging-settings")).json()
        assert shown["caps"] == CAPS["caps"] and shown["version"] == put.json()["version"]

    other = f"gw_{uuid.uuid4().hex[:8]}"
    async with gateway_client(stack, await key_with(stack, ["admin"], other)) as intruder:
        theirs = await intruder.get("/v1/messaging-settings")
        assert theirs.status_code == 200 and theirs.json()["caps"] == {} and theirs.json()["version"] == 0
        assert (await intruder.put("/v1/messaging-settings", json={"caps": {}})).status_code == 200  # its own
    assert (await tenant.get("/v1/messaging-settings")).json()["caps"] == CAPS["caps"]  # ours untouched

    log = (await tenant.get("/v1/audit-log", params={"limit": 100})).json()["items"]
    changes = [(e["action"], e["target"], e["outcome"]) for e in log if e["action"] == "messaging_settings.changed"]
    assert changes == [("messaging_settings.changed", "messaging", "done")]


async def test_oversized_or_unknown_caps_are_refused_naming_the_field(tenant: httpx.AsyncClient) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"caps": {"email": {"messages": 1, "per": "32d"}}}, "per"),
        ({"caps": {"email": {"messages": 0, "per": "1d"}}}, "messages"),
        ({"caps": {"email": {"messages": 10**6, "per": "1d"}}}, "messages"),
        ({"caps": {"email": {"messages": "1", "per": "1d"}}}, "messages"),
        ({"caps": {"fax": {"messages": 1, "per": "1d"}}}, "fax"),
        ({"caps": {"email": {"messages": 1, "per": "1d", "x": 1}}}, "x"),
        ({"caps": {"email": {"messages": 1, "per": "9" * 5000 + "d"}}}, "per"),
    ]
    before = (await tenant.get("/v1/messaging-settings")).json()
    for body, field in cases:
        refused = await tenant.put("/v1/messaging-settings", json=body)
        assert refused.status_code == 422 and field in refused.text, (body, refused.status_code, refused.text[:300])
    assert (await tenant.get("/v1/messaging-settings")).json() == before  # nothing was written


async def test_a_journeys_priority_is_validated(tenant: httpx.AsyncClient) -> None:
    for settings, field in (({"priority": 1000}, "settings.priority"), ({"when_capped": "never"}, "when_capped")):
        doc = copy.deepcopy(HELLO)
        doc["settings"] = {**doc["settings"], **settings}
        refused = await tenant.post("/v1/journeys", json=doc)
        assert refused.status_code == 422 and field in refused.text, refused.text
    doc = copy.deepcopy(HELLO)
    doc["settings"] = {**doc["settings"], "priority": 100, "when_capped": "skip"}
    created = await tenant.post("/v1/journeys", json=doc)
    assert created.status_code == 201, created.text
    assert created.json()["document"]["settings"]["priority"] == 100
