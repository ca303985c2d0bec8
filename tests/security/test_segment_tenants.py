"""Attacks on the Segment-compatible API with a write key of one's own workspace: writing into another workspace
(its key in the body, its name in the messages, its tracking plan's types), keys smuggled into the Basic password,
and bodies that inflate past every budget. The gateway runs in front of the real services on the session's
PostgreSQL and broker."""

from __future__ import annotations

import base64
import gzip
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import orjson
import pytest

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from services.gateway import store
from services.gateway.segment import MAX_BATCH_BYTES
from tests.helpers import read_topic
from tests.integration.gateway_fakes import assert_problem
from tests.integration.gateway_stack import GatewayInFront, gateway_client, gateway_in_front_of_the_services
from tests.samples.tracking import CART_SCHEMA


@dataclass
class Tenants:
    stack: GatewayInFront
    attacker: str  # an events:write key of the attacker's own workspace
    attacker_workspace: str
    victim_key: str  # the victim workspace's admin key (what the attacker pretends to hold)

    def client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.stack.app, client=("127.0.0.1", 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://gateway")


@pytest.fixture(scope="module")
async def tenants(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[Tenants]:
    async with gateway_in_front_of_the_services(postgres, topics, broker_kind) as stack:
        attacker_workspace = f"att_{uuid.uuid4().hex[:8]}"
        async with store.admin_connection(stack.app.state.gateway.runtime.settings.database_url) as conn:
            await store.create_workspace(conn, attacker_workspace)
            attacker = (await store.create_key(conn, attacker_workspace, "sdk", ["events:write"]))[1]
        async with gateway_client(stack) as victim:
            declared = await victim.put("/v1/event-types/cart_abandoned", json={"schema": CART_SCHEMA})
            assert declared.status_code == 200, declared.text
        yield Tenants(stack, attacker, attacker_workspace, stack.admin_key)


def basic(user: str, password: str = "") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def test_nothing_in_the_body_moves_events_into_another_workspace(tenants: Tenants, topics: str) -> None:
    run = uuid.uuid4().hex[:6]
    victim = tenants.stack.workspace
    body = {
        "batch": [
            {
                "type": "track",
                "messageId": f"{run}-cart",
                "userId": "victim-user",
                "event": "Cart Abandoned",  # a type of the victim's plan only: a visit in the attacker's workspace
                "properties": {"cart": {"total": 5, "items": 1}},
                "workspace": victim,
            },
            {"type": "identify", "messageId": f"{run}-id", "userId": "victim-user", "traits": {"workspace": victim}},
        ],
        "writeKey": tenants.victim_key,
        "workspace": victim,
        "context": {"workspace": victim},
    }
    async with tenants.client() as client:
        # The attacker's key as the user name, the victim's as the password: the user name is the key.
        answer = await client.post(
            "/segment/v1/batch", content=orjson.dumps(body), headers={**basic(tenants.attacker, tenants.victim_key),
                                                                      "content-type": "application/json"}
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
        records = await read_topic(
            topics, INBOUND, expect=2, match=lambda r: orjson.loads(r.value)["id"].startswith(f"{run}-")
        )
    events = [orjson.loads(r.value) for r in records]
    assert {e["workspace"] for e in events} == {tenants.attacker_workspace}
    assert {e["type"] for e in events} == {"visit", "identify"}
    assert all(r.key.startswith(f"{tenants.attacker_workspace}:".encode()) for r in records)


async def test_a_key_in_the_body_alone_never_authenticates_and_refusals_never_echo_keys(tenants: Tenants) -> None:
    body = orjson.dumps({"batch": [{"type": "track", "userId": "u", "event": "X"}], "writeKey": tenants.victim_key})
    async with tenants.client() as client:
        for headers in ({}, basic(""), basic("", "fw_0123abcd_" + "x" * 43), {"Authorization": "Basic %%%"}):
            refused = await client.post(
                "/segment/v1/batch", content=body, headers={**headers, "content-type": "application/json"}
            )
            problem = assert_problem(refused, 401)
            assert problem["code"] == "unauthorized" and tenants.victim_key not in refused.text
        # Basic is the Segment API's scheme only: the rest of the API keeps to Bearer.
        assert_problem(await client.get("/v1/segments", headers=basic(tenants.victim_key)), 401)


async def test_bodies_inflating_past_the_budget_cost_no_more_than_it(tenants: Tenants) -> None:
    bombs: list[tuple[bytes, dict[str, str], int]] = [
        (gzip.compress(b'{"batch": [' + b" " * (100 * MAX_BATCH_BYTES) + b"]}", 9, mtime=0), {}, 413),
        # many tiny gzip members, each inflating a little: the budget counts them all together
        (b"".join(gzip.compress(b" " * 60_000, 9, mtime=0) for _ in range(20)), {}, 413),
        (gzip.compress(b"{}")[:-8] + b"\x00" * 8, {}, 400),  # a wrong checksum
        (b'{"batch": [{"type": "track", "userId": "u", "event": "X", "properties": ' + _deep(2_000) + b"}]}", {}, 400),
        (b'{"batch": [{"type": "track", "userId": "u", "event": "X", "properties": ' + _deep(300) + b"}]}", {}, 422),
    ]
    async with tenants.client() as client:
        for body, extra, status in bombs:
            encoding = {} if body.startswith(b"{") else {"content-encoding": "gzip"}
            answer = await client.post(
                "/segment/v1/batch",
                content=body,
                headers={**basic(tenants.attacker), **encoding, **extra, "content-type": "application/json"},
            )
            # Nesting past the JSON parser's depth is a 400, past a message's budget a 422 naming it: never a 500.
            problem = assert_problem(answer, status)
            if status == 422:
                assert "nested deeper than" in problem["errors"][0]["message"]


def _deep(depth: int) -> bytes:
    return b'{"d": ' * depth + b"1" + b"}" * depth
