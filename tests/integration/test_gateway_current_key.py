"""GET /v1/keys/current on the session's PostgreSQL, with stand-ins for the services: any valid key reads itself
(the console learns its scopes and owner from it), never another key, and a key that no longer works reads nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FiveFakes, assert_problem, started_gateway
from tests.integration.gateway_stack import gateway_app, gateway_settings

CURRENT = "/v1/keys/current"


@dataclass
class Keys:
    client: httpx.AsyncClient
    dsn: str
    workspace: str
    other_workspace: str
    plain: dict[str, str]  # name -> secret
    ids: dict[str, str]  # name -> key id

    async def current(self, key: str | None) -> httpx.Response:
        headers = {} if key is None else {"Authorization": f"Bearer {self.plain.get(key, key)}"}
        return await self.client.get(CURRENT, headers=headers)

    async def as_admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.request(
            method, path, headers={"Authorization": f"Bearer {self.plain['admin']}"}, **kwargs
        )


@pytest.fixture(scope="module")
async def keys(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Keys]:
    dsn = fresh_database(postgres, "gateway_current_key")
    workspace, other = f"gw_{uuid.uuid4().hex[:8]}", f"other_{uuid.uuid4().hex[:8]}"
    plain: dict[str, str] = {}
    ids: dict[str, str] = {}
    async with store.admin_connection(dsn) as conn:
        for name in (workspace, other):
            await store.create_workspace(conn, name)
        for key_name, ws, scopes, owner in (
            ("admin", workspace, ["admin"], "ops@shop.example"),
            ("seller", workspace, ["sales:write", "customers:read"], "maria@shop.example"),
            ("reader", workspace, ["customers:read"], None),
            ("other", other, ["admin"], "ops@other.example"),
        ):
            record, plain[key_name] = await store.create_key(conn, ws, key_name, scopes, owner=owner)
            ids[key_name] = record.id
    app = gateway_app(gateway_settings(dsn, topics, broker_kind), FiveFakes.of(workspace).transports())
    async with started_gateway(app) as client:
        yield Keys(client, dsn, workspace, other, plain, ids)


async def test_a_key_reads_itself_its_workspace_scopes_and_owner_never_its_secret(keys: Keys) -> None:
    answer = await keys.current("seller")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["id"] == keys.ids["seller"] and body["name"] == "seller" and body["workspace"] == keys.workspace
    assert sorted(body["scopes"]) == ["customers:read", "sales:write"]
    assert body["owner"] == "maria@shop.example"
    assert body["expires_at"] is None and body["rotated_at"] is None and body["created_at"]
    assert keys.plain["seller"].startswith(f"fw_{body['prefix']}_")
    assert keys.plain["seller"] not in answer.text and "key_hash" not in body


async def test_a_key_with_only_customers_read_may_call_it_and_one_made_without_owner_has_none(keys: Keys) -> None:
    body = (await keys.current("reader")).json()
    assert body["id"] == keys.ids["reader"] and body["scopes"] == ["customers:read"]
    assert body["owner"] is None  # made without one: it acts for itself (`key:<id>`), which names no person


async def test_another_workspaces_key_sees_only_itself(keys: Keys) -> None:
    answer = await keys.current("other")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["id"] == keys.ids["other"] and body["workspace"] == keys.other_workspace
    assert keys.workspace not in answer.text
    assert all(keys.ids[name] not in answer.text for name in ("admin", "seller", "reader"))
    # Nothing in the path or the query names another key: the answer is the caller's whatever is asked.
    asked = await keys.client.get(
        CURRENT, params={"id": keys.ids["admin"]}, headers={"Authorization": f"Bearer {keys.plain['other']}"}
    )
    assert asked.status_code == 200 and asked.json()["id"] == keys.ids["other"]


async def test_no_unknown_or_malformed_key_gets_401_problem_json(keys: Keys) -> None:
    missing = await keys.current(None)
    assert_problem(missing, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    for key in ("fw_deadbeef_not-a-real-secret", "not-even-a-key"):
        assert_problem(await keys.current(key), 401)


async def test_a_revoked_key_gets_401_even_before_the_key_cache_forgets_it(keys: Keys) -> None:
    made = (await keys.as_admin("POST", "/v1/keys", json={"name": "short-lived", "scopes": ["customers:read"]})).json()
    assert (await keys.current(made["key"])).json()["id"] == made["id"]  # now in the gateway's key cache
    revoked = await keys.as_admin("DELETE", f"/v1/keys/{made['id']}")
    assert revoked.status_code == 200, revoked.text
    assert_problem(await keys.current(made["key"]), 401)

    # Revoked by an operator (the CLI): the cache still takes the key for up to 30 s, the record does not.
    cached = (
        await keys.as_admin("POST", "/v1/keys", json={"name": "cli-revoked", "scopes": ["customers:read"]})
    ).json()
    assert (await keys.current(cached["key"])).status_code == 200
    async with store.admin_connection(keys.dsn) as conn:
        await store.revoke_key(conn, cached["id"])
    assert_problem(await keys.current(cached["key"]), 401)


async def test_a_rotated_keys_old_secret_says_when_it_stops_working(keys: Keys) -> None:
    made = (await keys.as_admin("POST", "/v1/keys", json={"name": "rotating", "scopes": ["customers:read"]})).json()
    rotated = (await keys.as_admin("POST", f"/v1/keys/{made['id']}/rotate")).json()
    old = (await keys.current(made["key"])).json()
    new = (await keys.current(rotated["key"])).json()
    assert old["id"] == new["id"] == made["id"]
    assert old["expires_at"] is not None and old["expires_at"] == rotated["previous_expires_at"]
    assert new["expires_at"] is None and new["rotated_at"] is not None
