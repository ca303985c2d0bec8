"""The gateway's merge routes in front of the real profile service (real PostgreSQL and broker): a customer's merge
history (`customers:read`) and undoing a merge (`customers:erase`, audited, replayed per Idempotency-Key), never
across workspaces."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from tests.helpers import event, publish
from tests.integration.conftest import RunningService, fresh_database
from tests.integration.gateway_fakes import started_gateway, two_workspaces
from tests.integration.gateway_stack import gateway_app, gateway_settings
from tests.integration.test_gateway_growth import assert_problem, nobody
from tests.integration.test_profile_ingest import find_when


@dataclass
class Gateway:
    client: httpx.AsyncClient
    workspace: str
    keys: dict[str, str]

    async def call(self, method: str, path: str, key: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys[key]}", **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)


@pytest.fixture
async def gateway(
    postgres: LocalPostgres, topics: str, broker_kind: str, profile: RunningService
) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    scopes = {"reader": ["customers:read"], "eraser": ["customers:erase"], "admin": ["admin"]}
    workspace, _, keys = await two_workspaces(dsn, "gw", scopes)
    assert profile.app is not None
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: httpx.MockTransport(nobody) for name in ("scoring", "journey", "referral", "sales", "loyalty")
    }
    transports["profile"] = httpx.ASGITransport(app=profile.app)
    app = gateway_app(gateway_settings(dsn, topics, broker_kind, profile_url="http://profile"), transports)
    async with started_gateway(app) as client:
        yield Gateway(client, workspace, keys)


async def test_merges_are_listed_and_undone_through_the_gateway(
    gateway: Gateway, profile: RunningService, bootstrap: str
) -> None:
    ws = gateway.workspace
    ada, tablet = {"email": "ada@example.com"}, {"anonymous_id": "tablet-7"}
    await publish(bootstrap, INBOUND, [event("visit", ws, ada, {"channel": "web"})])
    ada_id = (await find_when(profile, ws, lambda v: True, **ada))["customer_id"]
    await publish(bootstrap, INBOUND, [event("visit", ws, tablet, {"channel": "app"})])
    tablet_id = (await find_when(profile, ws, lambda v: True, **tablet))["customer_id"]
    await publish(bootstrap, INBOUND, [event("visit", ws, {**ada, **tablet}, {"channel": "store"})])
    await find_when(profile, ws, lambda v: v["merged_ids"] == [tablet_id], **ada)

    listed = await gateway.call("GET", f"/v1/customers/{tablet_id}/merges", "reader", params={"limit": 10})
    assert listed.status_code == 200, listed.text
    (merge,) = listed.json()["items"]
    assert (merge["survivor_id"], merge["merged_id"], merge["undone"]) == (ada_id, tablet_id, False)
    assert {i["kind"] for i in merge["cause"]["identifiers"]} == {"email", "anonymous_id"}
    undo_path = f"/v1/merges/{merge['merge_id']}/undo"

    # Reading is not writing; another workspace knows neither the customer nor the merge.
    assert_problem(await gateway.call("POST", undo_path, "reader", json={}), 403)
    assert_problem(await gateway.call("GET", f"/v1/customers/{ada_id}/merges", "other"), 404)
    assert_problem(await gateway.call("POST", undo_path, "other", json={"reason": "not mine"}), 404)
    assert_problem(await gateway.call("POST", "/v1/merges/m_nope/undo", "eraser"), 404)
    assert_problem(await gateway.call("POST", undo_path, "eraser", json={"reason": "x" * 513}), 422)
    assert_problem(await gateway.call("POST", undo_path, "eraser", json={"approver": "me"}), 422)

    headers = {"Idempotency-Key": f"undo-{uuid.uuid4().hex}"}
    done = await gateway.call("POST", undo_path, "eraser", json={"reason": "shared tablet"}, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["undone"] is True and done.json()["undo_reason"] == "shared tablet"
    replayed = await gateway.call("POST", undo_path, "eraser", json={"reason": "shared tablet"}, headers=headers)
    assert replayed.status_code == 200 and replayed.headers.get("idempotent-replayed") == "true"
    assert replayed.json() == done.json()
    again = assert_problem(await gateway.call("POST", undo_path, "eraser"), 409)  # no body: the reason is optional
    assert "already undone" in again["detail"]

    view = await gateway.call("GET", f"/v1/customers/{tablet_id}", "reader", headers={"Cache-Control": "no-cache"})
    assert view.status_code == 200 and view.json()["customer_id"] == tablet_id
    log = (await gateway.call("GET", "/v1/audit-log", "admin", params={"limit": 50})).json()["items"]
    undone = [(e["target"], e["outcome"]) for e in log if e["action"] == "merge.undone"]
    assert (merge["merge_id"], "done") in undone and (merge["merge_id"], "refused") in undone
    # The other workspace's attempt is in its own log, refused; nothing of this workspace's is.
    other_log = (await gateway.call("GET", "/v1/audit-log", "other")).json()["items"]
    assert [(e["action"], e["outcome"]) for e in other_log] == [("merge.undone", "refused")]
