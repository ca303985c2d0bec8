"""Attacks on the gateway with a key of one's own workspace: replaying another key's answers, locking the
workspace out, numbers no store holds, guessing keys, and growing what a workspace holds without bound.

The gateway runs in front of the five real services on the session's PostgreSQL and broker."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.deps import GatewayContext
from services.gateway.protection import PUBLIC_PATHS
from services.gateway.ratelimit import RateLimiter
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services

OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi.json"
BEYOND_64_BITS = 2**64 + 1
API_KEYS_QUOTA = 6


@dataclass
class Attacked:
    stack: GatewayInFront
    admin: httpx.AsyncClient

    @property
    def state(self) -> GatewayContext:
        state: GatewayContext = self.stack.app.state.gateway
        return state

    def client(self, key: str, address: str = "127.0.0.1") -> httpx.AsyncClient:
        return gateway_client(self.stack, key, address)

    async def new_key(self, scopes: list[str], name: str = "tenant key") -> dict[str, Any]:
        made = await self.admin.post("/v1/keys", json={"name": name, "scopes": scopes})
        assert made.status_code == 201, made.text
        key: dict[str, Any] = made.json()
        return key

    async def stored_answers(self) -> list[bytes]:
        conn = await asyncpg.connect(self.state.runtime.settings.database_url)
        try:
            rows = await conn.fetch("SELECT coalesce(body, ''::bytea) AS body, headers::text FROM idempotency_keys")
        finally:
            await conn.close()
        return [bytes(r["body"]) + r["headers"].encode() for r in rows]


@pytest.fixture(scope="module")
async def attacked(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Attacked]:
    starting = gateway_in_front_of_the_services(postgres, topics, broker_kind, quota_api_keys=API_KEYS_QUOTA)
    async with starting as stack, gateway_client(stack) as admin:
        yield Attacked(stack, admin)


async def test_a_low_scope_key_replaying_an_admins_write_gets_403_and_no_secret_is_stored(attacked: Attacked) -> None:
    reader = await attacked.new_key(["customers:read"], "reader")
    target = await attacked.new_key(["customers:read"], "to rotate")
    # a public address (webhook URLs to internal ones are refused; nothing is delivered in this test)
    channel = {"webhook_url": "https://93.184.216.34/flywheel", "timezone": "UTC", "rotate_secret": True}
    writes = [
        ("POST", "/v1/keys", {"name": "ops", "scopes": ["admin"]}, "key"),
        ("POST", f"/v1/keys/{target['id']}/rotate", None, "key"),
        ("PUT", "/v1/channel", channel, "secret"),
    ]
    async with attacked.client(reader["key"]) as low:
        for method, path, body, secret_field in writes:
            headers = {"Idempotency-Key": f"replay-{uuid.uuid4()}"}
            first = await attacked.admin.request(method, path, json=body, headers=headers)
            assert first.status_code in (200, 201), first.text
            secret = first.json()[secret_field]
            assert secret

            replayed = await low.request(method, path, json=body, headers=headers)
            assert_problem(replayed, 403)
            assert secret not in replayed.text

            again = await attacked.admin.request(method, path, json=body, headers=headers)
            detail = assert_problem(again, 409)["detail"]
            assert "secret" in detail and secret not in again.text and "idempotent-replayed" not in again.headers

            assert all(secret.encode() not in answer for answer in await attacked.stored_answers())


async def test_a_key_cannot_revoke_itself_nor_the_workspaces_last_admin_key(attacked: Attacked) -> None:
    # A workspace of its own, with one admin key, as a new tenant starts.
    workspace = f"lone_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(attacked.state.runtime.settings.database_url) as conn:
        await store.create_workspace(conn, workspace)
        record, plain = await store.create_key(conn, workspace, "only admin", ["admin"])
    async with attacked.client(plain) as only:
        second = (await only.post("/v1/keys", json={"name": "second admin", "scopes": ["admin"]})).json()
        assert "itself" in assert_problem(await only.delete(f"/v1/keys/{record.id}"), 409)["detail"]
    async with attacked.client(second["key"]) as other_admin:
        assert "itself" in assert_problem(await other_admin.delete(f"/v1/keys/{second['id']}"), 409)["detail"]
        assert (await other_admin.post(f"/v1/keys/{record.id}/rotate")).status_code == 200  # two admins: fine
        assert (await other_admin.delete(f"/v1/keys/{record.id}")).status_code == 200  # another admin remains
        # `second` is the last live admin key now: nothing may take it away.
        rotated = await other_admin.post(f"/v1/keys/{second['id']}/rotate")
        assert "last live admin key" in assert_problem(rotated, 409)["detail"]
        assert_problem(await other_admin.delete(f"/v1/keys/{second['id']}"), 409)
        reader = (await other_admin.post("/v1/keys", json={"name": "r", "scopes": ["customers:read"]})).json()
        assert (await other_admin.delete(f"/v1/keys/{reader['id']}")).status_code == 200  # others go as before
        assert (await other_admin.get("/v1/keys")).status_code == 200


def _write_operations() -> list[tuple[str, str]]:
    document = json.loads(OPENAPI.read_text())
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            is_write = method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
            if path.startswith("/v1/") and is_write and "requestBody" in operation:
                operations.append((method.upper(), path))
    return operations


async def test_integers_beyond_64_bits_are_422_naming_the_field_on_every_endpoint(attacked: Attacked) -> None:
    """The issue's documents first (each was a 500 from the JSON encoder), then every write with a body."""
    documents = [
        (
            "POST",
            "/v1/segments",
            {"name": "big", "condition": {"field": "stats.orders", "op": "gte", "value": BEYOND_64_BITS}},
        ),
        (
            "POST",
            "/v1/journeys",
            {"name": "big", "trigger": {"event": "purchase"}, "steps": {"start": {"wait": {"days": BEYOND_64_BITS}}}},
        ),
        ("POST", "/v1/journey-templates/welcome_second_purchase", {"overrides": {"n": BEYOND_64_BITS}}),
        ("POST", "/v1/referral-programs", {"name": "big", "referrer_reward": {"points": BEYOND_64_BITS}}),
        ("PUT", "/v1/lead-rules", {"rules": [{"name": "big", "points": BEYOND_64_BITS}]}),
        (
            "POST",
            "/v1/events",
            {"specversion": "1.0", "id": "big", "source": "t", "type": "purchase", "data": {"amount": BEYOND_64_BITS}},
        ),
    ]
    for method, path, body in documents:
        answer = await attacked.admin.request(method, path, json=body)
        errors = assert_problem(answer, 422)["errors"]
        assert any("64 bits" in e["message"] for e in errors), (path, errors)
    for method, path in _write_operations():
        concrete = path.replace("{", "x").replace("}", "")
        answer = await attacked.admin.request(method, concrete, json={"n": [1, {"deep": -BEYOND_64_BITS}]})
        if path in PUBLIC_PATHS:  # keyless: the answer link's token is the authorisation, checked before the body
            assert_problem(answer, 401)
            continue
        assert answer.status_code == 422, (method, path, answer.text)
        errors = assert_problem(answer, 422)["errors"]
        message = "integer out of range: at most 64 bits (-2^63 to 2^63-1)"
        if path == "/v1/events":  # events are refused one by one, each error naming its event
            assert {"index": 0, "id": None, "field": "n.1.deep", "message": message} in errors
        else:
            assert errors == [{"field": "body.n.1.deep", "message": message}]
    nan = await attacked.admin.post(
        "/v1/segments",
        content=b'{"name": "x", "condition": {"value": NaN}}',
        headers={"content-type": "application/json"},
    )
    assert_problem(nan, 422)


async def test_guessing_keys_from_one_address_is_refused_without_reaching_the_database(attacked: Attacked) -> None:
    saved = attacked.state.auth_failures
    attacked.state.auth_failures = RateLimiter(rate_per_s=5 / 60, burst=5)
    try:
        async with attacked.client(attacked.stack.admin_key, address="203.0.113.9") as warm:
            assert (await warm.get("/v1/segments")).status_code == 200  # known to the key cache from now on
        for _ in range(5):
            async with attacked.client(f"fw_{uuid.uuid4().hex[:8]}_{uuid.uuid4().hex}x", "203.0.113.9") as guess:
                assert_problem(await guess.get("/v1/segments"), 401)
        async with attacked.client(f"fw_{uuid.uuid4().hex[:8]}_{uuid.uuid4().hex}y", "203.0.113.9") as guess:
            refused = await guess.get("/v1/segments")
            assert "failed authentications" in assert_problem(refused, 429)["detail"]
            assert int(refused.headers["retry-after"]) >= 1
        # Another address is not affected; a key already known at this address still works.
        async with attacked.client(f"fw_{uuid.uuid4().hex[:8]}_{uuid.uuid4().hex}z", "198.51.100.1") as elsewhere:
            assert_problem(await elsewhere.get("/v1/segments"), 401)
        async with attacked.client(attacked.stack.admin_key, "203.0.113.9") as known:
            assert (await known.get("/v1/segments")).status_code == 200
    finally:
        attacked.state.auth_failures = saved


async def test_api_keys_and_stored_answers_have_quotas_named_in_the_refusal(attacked: Attacked) -> None:
    quotas = (await attacked.admin.get("/v1/quotas")).json()
    by_name = {q["name"]: q for q in quotas["quotas"]}
    assert by_name["api_keys"]["limit"] == API_KEYS_QUOTA and by_name["idempotency_keys"]["used"] >= 1
    for _ in range(API_KEYS_QUOTA - by_name["api_keys"]["used"]):
        await attacked.new_key(["customers:read"], "filler")
    refused = await attacked.admin.post("/v1/keys", json={"name": "one too many", "scopes": ["customers:read"]})
    problem = assert_problem(refused, 409)
    quota = (problem["type"], problem["quota"], problem["limit"])
    assert quota == ("/problems/quota-exceeded", "api_keys", API_KEYS_QUOTA)

    saved = attacked.state.idempotency_quota.limit
    attacked.state.idempotency_quota.limit = 0
    try:
        headers = {"Idempotency-Key": f"over-{uuid.uuid4()}"}
        over = await attacked.admin.post("/v1/segments", json={"name": "x"}, headers=headers)
        problem = assert_problem(over, 429)
        assert problem["quota"] == "idempotency_keys" and int(over.headers["retry-after"]) >= 1
    finally:
        attacked.state.idempotency_quota.limit = saved
