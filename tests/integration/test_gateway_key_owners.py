"""API keys' owners and the audit log's outcomes, on the session's PostgreSQL, with stand-ins for the services.

A key acts for an owner fixed at creation (the API, the CLI, keys from before owners); changes made in another
service are logged before the call and completed from its answer, so none is made without its row."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from devstack.postgres import LocalPostgres
from runtime.db import migrate
from services.gateway import store
from tests.integration.conftest import fresh_database
from tests.integration.gateway_fakes import FakeJourney, FiveFakes, assert_problem, started_gateway
from tests.integration.gateway_stack import gateway_app, gateway_settings

HOOK = {"webhook_url": "https://hooks.example.com/flywheel"}


@dataclass
class Gateway:
    client: httpx.AsyncClient
    keys: dict[str, str]
    journey: FakeJourney
    dsn: str

    async def call(self, method: str, path: str, key: str = "admin", **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys.get(key, key)}"}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def audit(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = (await self.call("GET", "/v1/audit-log")).json()["items"]
        return items


@pytest.fixture
async def gateway(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Gateway]:
    dsn = fresh_database(postgres, "gateway")
    workspace = f"gw_{uuid.uuid4().hex[:8]}"
    async with store.admin_connection(dsn) as conn:
        await store.create_workspace(conn, workspace)
        keys = {"admin": (await store.create_key(conn, workspace, "admin", ["admin"], owner="ops@shop.example"))[1]}
    fakes = FiveFakes.of(workspace)
    async with started_gateway(gateway_app(gateway_settings(dsn, topics, broker_kind), fakes.transports())) as client:
        yield Gateway(client, keys, fakes.journey, dsn)


async def test_a_key_acts_for_the_owner_it_was_made_for_and_never_another(gateway: Gateway) -> None:
    made = await gateway.call("POST", "/v1/keys", json={"name": "maria", "scopes": ["sales:approve"], "owner": "maria"})
    assert made.status_code == 201, made.text
    assert made.json()["owner"] == "maria" and made.json()["scopes"] == ["sales:approve"]
    unnamed = (await gateway.call("POST", "/v1/keys", json={"name": "shop-web", "scopes": ["events:write"]})).json()
    assert unnamed["owner"] == f"key:{unnamed['id']}"  # acts for itself
    default = (await gateway.call("POST", "/v1/keys", json={"name": "default"})).json()
    assert "sales:approve" not in default["scopes"] and "admin" not in default["scopes"]  # only when asked for
    listed = {k["id"]: k["owner"] for k in (await gateway.call("GET", "/v1/keys")).json()["items"]}
    assert listed[made.json()["id"]] == "maria" and listed[unnamed["id"]] == unnamed["owner"]

    for owner, why in (
        (f"key:{unnamed['id']}", "reserved"),  # another key's own identity
        (" maria", "surrounding spaces"),
        ("m" * 101, "at most 100"),
        ("maria\n", "surrounding spaces"),
    ):
        refused = assert_problem(
            await gateway.call("POST", "/v1/keys", json={"name": "x", "scopes": ["sales:approve"], "owner": owner}), 422
        )
        assert refused["errors"][0]["field"] == "body.owner" and why in refused["errors"][0]["message"], refused
    unnamed_approver = await gateway.call(
        "POST", "/v1/keys", json={"name": "x", "scopes": ["sales:write", "sales:approve"]}
    )
    assert "must name its `owner`" in assert_problem(unnamed_approver, 422)["errors"][0]["message"]

    # Rotation keeps the owner; nothing can change it afterwards, not even with the database's own rights.
    rotated = (await gateway.call("POST", f"/v1/keys/{made.json()['id']}/rotate")).json()
    assert rotated["owner"] == "maria"
    connection = await asyncpg.connect(gateway.dsn)
    try:
        with pytest.raises(asyncpg.CheckViolationError, match="owner never changes"):
            await connection.execute("UPDATE api_keys SET owner = 'boss' WHERE id = $1", uuid.UUID(made.json()["id"]))
    finally:
        await connection.close()

    created = [e for e in await gateway.audit() if e["action"] == "key.created"]
    assert {e["actor_owner"] for e in created} == {"ops@shop.example"}  # who made them, as the log names them


def test_the_cli_makes_keys_for_an_owner_and_lists_it(postgres: LocalPostgres) -> None:
    dsn = fresh_database(postgres, "gateway_owners")
    runner = CliRunner()

    def flywheel(*args: str) -> Any:
        return runner.invoke(cli, [*args, "--database-url", dsn])

    assert flywheel("workspace", "create", "acme").exit_code == 0
    made = flywheel("key", "create", "-w", "acme", "-s", "sales:approve", "--owner", "maria@shop.example")
    assert made.exit_code == 0 and "acting for maria@shop.example" in made.stderr
    unnamed = flywheel("key", "create", "-w", "acme", "-s", "sales:approve")
    assert unnamed.exit_code == 2 and "must name its owner" in unnamed.stderr
    bad = flywheel("key", "create", "-w", "acme", "--owner", "key:someone-elses")
    assert bad.exit_code == 2 and "reserved" in bad.stderr
    listed = flywheel("key", "list", "-w", "acme")
    assert listed.exit_code == 0 and "maria@shop.example" in listed.stdout


async def test_keys_from_before_owners_act_for_themselves(postgres: LocalPostgres, tmp_path: Path) -> None:
    dsn = fresh_database(postgres, "gateway_before")
    before = tmp_path / "migrations"
    before.mkdir()
    for migration in sorted(store.MIGRATIONS.glob("*.sql"))[:3]:  # the gateway as it was before owners
        shutil.copy(migration, before / migration.name)
    await migrate(dsn, "gateway", before)
    key_id = uuid.uuid4()
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("INSERT INTO workspaces (name) VALUES ('acme')")
        await connection.execute(
            """INSERT INTO api_keys (id, workspace, name, prefix, key_hash, scopes)
               VALUES ($1, 'acme', 'old', 'abcd1234', 'hash', '{sales:write}')""",
            key_id,
        )
        await connection.execute(
            """INSERT INTO audit_log (workspace, actor_key_id, action, target, at)
               VALUES ('acme', $1, 'customer.erased', 'c-1', now())""",
            str(key_id),
        )
        await migrate(dsn, "gateway", store.MIGRATIONS)
        assert await connection.fetchval("SELECT owner FROM api_keys WHERE id = $1", key_id) == f"key:{key_id}"
        logged = await connection.fetchrow("SELECT actor_owner, outcome FROM audit_log")
        assert logged is not None
        assert dict(logged) == {"actor_owner": f"key:{key_id}", "outcome": "done"}
    finally:
        await connection.close()


async def test_a_change_in_another_service_is_logged_before_the_call_and_completed_from_the_answer(
    gateway: Gateway,
) -> None:
    assert (await gateway.call("POST", "/v1/journeys/j_1/activate")).status_code == 200
    assert (await gateway.call("POST", "/v1/journeys/j_1/pause")).status_code == 200
    assert_problem(await gateway.call("POST", "/v1/journeys/j_1/pause"), 409)  # the fake refuses a second pause
    gateway.journey.down = True
    assert (await gateway.call("POST", "/v1/journeys/j_1/activate")).status_code in (502, 503)
    gateway.journey.down = False
    entries = [(e["action"], e["target"], e["outcome"], e["actor_owner"]) for e in reversed(await gateway.audit())]
    assert entries == [
        ("journey.activated", "j_1", "done", "ops@shop.example"),
        ("journey.paused", "j_1", "done", "ops@shop.example"),
        ("journey.paused", "j_1", "refused", "ops@shop.example"),
        ("journey.activated", "j_1", "unknown", "ops@shop.example"),  # no answer: it may have happened
    ]

    # No audit log, no change: the service is never called.
    calls = len(gateway.journey.requests)
    connection = await asyncpg.connect(gateway.dsn)
    try:
        await connection.execute("ALTER TABLE audit_log RENAME TO audit_log_away")
        try:
            refused = assert_problem(await gateway.call("POST", "/v1/journeys/j_1/activate"), 503)
            assert "nothing was changed" in refused["detail"]
            assert_problem(await gateway.call("PUT", "/v1/channel", json={**HOOK, "rotate_secret": True}), 503)
        finally:
            await connection.execute("ALTER TABLE audit_log_away RENAME TO audit_log")
    finally:
        await connection.close()
    assert len(gateway.journey.requests) == calls
